package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BoundingBoxTest {

    private static void assertRejected(String fragment, Executable e) {
        Throwable t = assertThrows(RuntimeException.class, e);
        assertTrue(t.getMessage() != null && t.getMessage().contains(fragment), "message '" + t.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void validatesItsArguments() {
        assertRejected("start", () -> new BoundingBox(null, new int[] {1, 1, 1}));
        assertRejected("start needs 3 values", () -> new BoundingBox(new int[] {0, 0}, new int[] {1, 1, 1}));
        assertRejected("size needs 3 values", () -> new BoundingBox(new int[] {0, 0, 0}, new int[] {1, 1, 1, 1}));
        assertRejected("size must be >= 1", () -> BoundingBox.of(0, 0, 0, 1, 0, 1));
        assertRejected("overflows", () -> BoundingBox.of(Integer.MAX_VALUE, 0, 0, 1, 1, 1));
        assertRejected("before first corner", () -> BoundingBox.fromCorners(new int[] {3, 0, 0}, new int[] {2, 5, 5}));
        assertRejected("does not overlap", () -> BoundingBox.of(5, 0, 0, 2, 2, 2).clipTo(new int[] {4, 4, 4}));
    }

    @Test
    void isImmutable() {
        int[] start = {1, 2, 3};
        BoundingBox b = new BoundingBox(start, new int[] {4, 5, 6});
        start[0] = 99;
        b.start()[1] = 99;
        assertArrayEquals(new int[] {1, 2, 3}, b.start());
        assertEquals(BoundingBox.of(1, 2, 3, 4, 5, 6), b);
        assertEquals(BoundingBox.of(1, 2, 3, 4, 5, 6).hashCode(), b.hashCode());
        assertEquals("BoundingBox[start [1, 2, 3], size [4, 5, 6]]", b.toString());
    }

    @Test
    void cornersGrowAndClip() {
        BoundingBox b = BoundingBox.fromCorners(new int[] {2, 3, 4}, new int[] {2, 5, 9});
        assertEquals(BoundingBox.of(2, 3, 4, 1, 3, 6), b);
        assertEquals(3, b.end(0));
        assertEquals(18, b.voxelCount());
        BoundingBox grown = b.grow(3);
        assertEquals(BoundingBox.of(-1, 0, 1, 7, 9, 12), grown);
        assertFalse(grown.isWithin(new int[] {10, 10, 10}));
        BoundingBox clipped = grown.clipTo(new int[] {10, 8, 10});
        assertEquals(BoundingBox.of(0, 0, 1, 6, 8, 9), clipped);
        assertTrue(clipped.isWithin(new int[] {10, 8, 10}));
        assertEquals(BoundingBox.of(1, 3, 4, 2, 5, 6), b.grow(new int[] {1, 0, 0}, new int[] {0, 2, 0}));
        assertRejected("size must be >= 1", () -> b.grow(-1));
    }
}
