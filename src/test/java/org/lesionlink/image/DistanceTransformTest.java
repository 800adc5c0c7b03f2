package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {

    @Test
    void equalsBruteForceOnRandomAnisotropicGrids() {
        Random r = new Random(3);
        for (int trial = 0; trial < 30; trial++) {
            int nx = 1 + r.nextInt(12);
            int ny = 1 + r.nextInt(10);
            int nz = 1 + r.nextInt(8);
            double[] s = {0.3 + r.nextDouble() * 2, 0.3 + r.nextDouble() * 2, 0.3 + r.nextDouble() * 3};
            boolean[] f = new boolean[nx * ny * nz];
            double density = r.nextDouble() * 0.2;
            for (int i = 0; i < f.length; i++) {
                f[i] = r.nextDouble() < density;
            }
            double[] fast = DistanceTransform.squaredToFeatures(f, new int[] {nx, ny, nz}, s);
            double[] slow = bruteForce(f, nx, ny, nz, s);
            for (int i = 0; i < f.length; i++) {
                if (Double.isInfinite(slow[i])) {
                    assertTrue(Double.isInfinite(fast[i]), "no features: +inf");
                } else {
                    assertEquals(slow[i], fast[i], 1e-9 * Math.max(1, slow[i]), "trial " + trial + " voxel " + i);
                }
            }
        }
    }

    @Test
    void singleFeatureGivesAnalyticDistances() {
        double[] s = {0.5, 1.0, 3.0};
        boolean[] f = new boolean[5 * 4 * 3];
        f[0] = true;
        double[] d = DistanceTransform.squaredToFeatures(f, new int[] {5, 4, 3}, s);
        // voxel (4, 3, 2): (2 mm, 3 mm, 6 mm) away -> 49 mm^2
        assertEquals(49.0, d[4 + 5 * (3 + 4 * 2)], 1e-12);
    }

    /** O(voxels x features) reference. */
    private static double[] bruteForce(boolean[] features, int nx, int ny, int nz, double[] spacing) {
        double[] d = new double[features.length];
        Arrays.fill(d, Double.POSITIVE_INFINITY);
        for (int f = 0; f < features.length; f++) {
            if (!features[f]) {
                continue;
            }
            for (int p = 0; p < d.length; p++) {
                double dx = (p % nx - f % nx) * spacing[0];
                double dy = ((p / nx) % ny - (f / nx) % ny) * spacing[1];
                double dz = (p / (nx * ny) - f / (nx * ny)) * spacing[2];
                d[p] = Math.min(d[p], dx * dx + dy * dy + dz * dz);
            }
        }
        return d;
    }
}
