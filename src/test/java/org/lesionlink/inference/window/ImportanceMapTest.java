package org.lesionlink.inference.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImportanceMapTest {

    @Test
    void peakIsTenAtPatchCentreAndAllWeightsArePositive() {
        int[] patch = {16, 12, 7};
        float[] g = ImportanceMap.gaussian(patch);
        int centre = 8 + 16 * (6 + 12 * 3);
        assertEquals(10f, g[centre]);
        float max = 0;
        for (float v : g) {
            assertTrue(v > 0);
            max = Math.max(max, v);
        }
        assertEquals(10f, max);
    }

    @Test
    void separableProductOfGaussiansWithSigmaOneEighthOfThePatch() {
        int[] patch = {16, 16, 16};
        float[] g = ImportanceMap.gaussian(patch);
        // Corner (0,0,0): offset -8 on each axis, sigma 2: 10 * exp(-0.5 * 16)^3.
        assertEquals(10 * Math.exp(-24), g[0], 1e-6 * 10 * Math.exp(-24));
        // Even patch: the map is not symmetric, the last voxel is 7 away from the centre.
        int last = 15 + 16 * (15 + 16 * 15);
        assertEquals(10 * Math.exp(-3 * 0.5 * 49 / 4.0), g[last], 1e-6 * g[last]);
    }

    @Test
    void truncationBeyondFourSigmaUsesTheSmallestNonZeroWeight() {
        // patch 9 on one axis, sigma 9/8 -> radius int(4.5 + 0.5) = 5 > 4: nothing truncated; patch 3 with
        // sigma scale 0.1 -> sigma 0.3, radius int(1.7) = 1: offsets of 1 kept. Use a tiny sigma scale to force it.
        float[] g = ImportanceMap.gaussian(new int[] {9, 1, 1}, 0.05); // sigma 0.45, radius 2
        // offsets -4..4: |d| > 2 are zero in scipy and replaced by the minimum non-zero value (offset 2).
        assertEquals(g[2], g[0]);
        assertEquals(g[2], g[1]);
        assertEquals(g[6], g[8]);
        assertTrue(g[2] < g[3]);
    }
}
