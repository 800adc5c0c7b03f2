package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarchingCubesTest {

    private static Volume sphere(int n, double radiusMm, double[] spacing) {
        Geometry g = Geometry.axisAligned(new int[] {n, n, n}, spacing, new double[] {-10, 20, 5});
        byte[] v = new byte[n * n * n];
        double c = (n - 1) / 2.0;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double dx = (i - c) * spacing[0], dy = (j - c) * spacing[1], dz = (k - c) * spacing[2];
                    if (dx * dx + dy * dy + dz * dz <= radiusMm * radiusMm) {
                        v[i + n * (j + n * k)] = 2;
                    }
                }
            }
        }
        return Volume.ofBytes(g, v);
    }

    @Test
    void sphereAreaAndVolumeAreCloseToAnalytic() {
        double r = 10;
        MarchingCubes.Surface s = MarchingCubes.surface(sphere(32, r, new double[] {1, 1, 1}), 2, 30);
        double area = 4 * Math.PI * r * r;
        double volume = 4 / 3.0 * Math.PI * r * r * r;
        assertEquals(volume, s.volume(), 0.05 * volume, "volume");
        assertEquals(area, s.area(), 0.08 * area, "area");
    }

    @Test
    void anisotropicSpacingIsInMillimetres() {
        double r = 12;
        MarchingCubes.Surface s = MarchingCubes.surface(sphere(40, r, new double[] {0.8, 0.8, 1.5}), 2, 30);
        double volume = 4 / 3.0 * Math.PI * r * r * r;
        assertEquals(volume, s.volume(), 0.07 * volume, "volume");
    }

    @Test
    void surfaceIsClosedAndOriented() {
        MarchingCubes.Surface s = MarchingCubes.surface(sphere(16, 5, new double[] {1, 1, 1}), 2, 0);
        assertTrue(s.triangleCount() > 100);
        // Every directed edge appears once and its reverse once: closed and consistently oriented.
        Map<Long, Integer> directed = new HashMap<>();
        int[] t = s.triangles();
        for (int v = 0; v < t.length; v += 3) {
            for (int e = 0; e < 3; e++) {
                long key = ((long) t[v + e] << 32) | t[v + (e + 1) % 3];
                directed.merge(key, 1, Integer::sum);
            }
        }
        for (Map.Entry<Long, Integer> e : directed.entrySet()) {
            assertEquals(1, e.getValue());
            long rev = ((e.getKey() & 0xffffffffL) << 32) | (e.getKey() >>> 32);
            assertTrue(directed.containsKey(rev), "open edge");
        }
        assertTrue(s.volume() > 0, "outward orientation");
    }

    @Test
    void triangleBudgetGivesUp() {
        Volume v = sphere(32, 10, new double[] {1, 1, 1});
        int full = MarchingCubes.surface(v, 2, 0).triangleCount();
        assertEquals(null, MarchingCubes.surface(v, 2, 5, full / 2));
        assertEquals(full, MarchingCubes.surface(v, 2, 0, full).triangleCount());
    }

    @Test
    void missingLabelGivesEmptySurface() {
        assertEquals(0, MarchingCubes.surface(sphere(8, 2, new double[] {1, 1, 1}), 5, 5).triangleCount());
    }
}
