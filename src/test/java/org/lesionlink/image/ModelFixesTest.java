package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Regression tests for small fixes made to the model while adding resampling. */
class ModelFixesTest {

    private static final Geometry G = Geometry.axisAligned(new int[] {4, 5, 6}, new double[] {1, 1, 2}, new double[] {0, 0, 0});

    @Test
    void regionRejectsWrongArityWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> G.region(new int[] {0, 0}, new int[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("start"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> G.region(new int[] {0, 0, 0}, new int[] {1, 1}));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
    }

    @Test
    void withSpacingRejectsNonPositiveOrNonFiniteSpacing() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> G.withSpacing(new double[] {1, bad, 1}));
            assertTrue(e.getMessage().contains("spacing 1"), e.getMessage());
        }
        assertEquals(3, G.withSpacing(new double[] {1, 1, 4}).dim(2));
    }

    @Test
    void integerClampNeverReturnsNegativeZero() {
        assertEquals(0L, Double.doubleToRawLongBits(DataType.INT16.clamp(-0.3)));
        assertEquals(0L, Double.doubleToRawLongBits(DataType.UINT8.clamp(-0.0)));
        assertEquals(-1.0, DataType.INT16.clamp(-0.7));
    }
}
