package org.lesionlink.evaluation.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            double[] fast = DistanceTransform.squared(f, nx, ny, nz, s);
            double[] slow = DistanceTransform.squaredBruteForce(f, nx, ny, nz, s);
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
        double[] d = DistanceTransform.squared(f, 5, 4, 3, s);
        // voxel (4, 3, 2): (2 mm, 3 mm, 6 mm) away -> 49 mm^2
        assertEquals(49.0, d[4 + 5 * (3 + 4 * 2)], 1e-12);
    }
}
