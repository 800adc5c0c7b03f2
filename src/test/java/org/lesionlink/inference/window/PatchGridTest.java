package org.lesionlink.inference.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Tile placement table; expected starts computed with nnU-Net's formula in numpy (np.round: half to even). */
class PatchGridTest {

    @ParameterizedTest(name = "size {0}, patch {1}, step {2} -> {3}")
    @CsvSource(delimiter = ';', value = {
        "16; 16; 0.5; 0",                       // exact fit: one tile
        "32; 16; 0.5; 0 8 16",                  // exact multiple of the step
        "33; 16; 0.5; 0 6 11 17",               // one voxel more: a fourth tile, step 17/3
        "40; 16; 0.5; 0 8 16 24",
        "20; 16; 0.5; 0 4",                     // just above the patch: two heavily overlapping tiles
        "11; 6; 0.5; 0 2 5",                    // step 2.5: rounds half to even, 2.5 -> 2
        "13; 6; 0.5; 0 2 5 7",
        "100; 24; 0.5; 0 11 22 33 43 54 65 76",
        "50; 24; 0.5; 0 9 17 26",
        "32; 16; 1.0; 0 16",                    // step 1: no overlap
        "33; 16; 1.0; 0 8 17",
        "155; 128; 0.5; 0 27",
        "240; 128; 0.5; 0 56 112",
        "5; 1; 0.5; 0 1 2 3 4",                 // patch 1 (slice axis of a 2D model): every slice once
        "1; 1; 0.5; 0",
    })
    void startsMatchNnUNet(int size, int patch, double step, String expected) {
        int[] want = java.util.Arrays.stream(expected.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(want, PatchGrid.starts(size, patch, step));
    }

    @Test
    void imageSmallerThanPatchIsPaddedSymmetricallyFirst() {
        int[][] pad = PatchGrid.padding(new int[] {10, 16, 5}, new int[] {16, 16, 16});
        assertArrayEquals(new int[] {3, 0, 5}, pad[0]);
        assertArrayEquals(new int[] {3, 0, 6}, pad[1]); // odd difference: the extra voxel goes after
        assertArrayEquals(new int[] {16, 16, 16}, PatchGrid.paddedDims(new int[] {10, 16, 5}, new int[] {16, 16, 16}));
        assertThrows(IllegalArgumentException.class, () -> PatchGrid.starts(10, 16, 0.5));
    }

    @Test
    void anisotropicTilesAreTheProductOfTheAxes() {
        int[] dims = {40, 16, 33};
        int[] patch = {16, 16, 16};
        List<int[]> tiles = PatchGrid.tiles(dims, patch, 0.5);
        assertEquals(4 * 1 * 4, tiles.size());
        assertEquals(tiles.size(), PatchGrid.count(dims, patch, 0.5));
        assertArrayEquals(new int[] {0, 0, 0}, tiles.get(0));
        assertArrayEquals(new int[] {8, 0, 0}, tiles.get(1)); // i varies fastest
        assertArrayEquals(new int[] {24, 0, 17}, tiles.get(tiles.size() - 1));
        for (int[] t : tiles) {
            for (int a = 0; a < 3; a++) {
                assertEquals(true, t[a] >= 0 && t[a] + patch[a] <= dims[a], "tile inside the image");
            }
        }
    }
}
