package org.lesionlink.inference.post;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;
import org.lesionlink.inference.ModelSpec;

/** Components, hole filling and the lesion table on analytic phantoms with anisotropic spacing. */
class LesionsTest {

    static final ModelSpec SPEC = ModelSpec.parse("""
            {"name": "t", "version": "1", "task": "spinal-metastases",
             "inputs": [{"name": "ct", "normalization": "none"}],
             "targetSpacing": [1, 1, 1], "patchSize": [8, 8, 8], "activation": "softmax",
             "labels": [{"value": 1, "name": "NETC", "colour": "#ff0000"},
                        {"value": 2, "name": "SNFH", "colour": "#00ff00"},
                        {"value": 3, "name": "ET", "colour": "#0000ff"}],
             "regions": [{"name": "WT", "labels": [1, 2, 3]}, {"name": "TC", "labels": [1, 3]}],
             "folds": ["f.pt"], "engine": "torchscript"}
            """, "test");

    static int idx(int[] d, int i, int j, int k) {
        return i + d[0] * (j + d[1] * k);
    }

    @Test
    void boxAndSingleVoxelWithAnisotropicSpacing() {
        int[] d = {12, 10, 8};
        Geometry g = Geometry.axisAligned(d, new double[] {1, 2, 3}, new double[] {10, 20, 30});
        byte[] labels = new byte[d[0] * d[1] * d[2]];
        // A 5 x 3 x 2 box from (1, 1, 1): ET core voxel, the rest SNFH.
        for (int k = 1; k < 3; k++) {
            for (int j = 1; j < 4; j++) {
                for (int i = 1; i < 6; i++) {
                    labels[idx(d, i, j, k)] = 2;
                }
            }
        }
        labels[idx(d, 3, 2, 1)] = 3;
        labels[idx(d, 10, 8, 6)] = 1; // an isolated voxel
        List<Lesion> lesions = Lesions.measure(labels, g, SPEC);
        assertEquals(2, lesions.size());
        Lesion box = lesions.get(0);
        assertEquals(30, box.voxels());
        assertEquals(30 * 6 / 1000.0, box.volumeMl(), 1e-12);
        assertEquals(29 * 6 / 1000.0, box.labelVolumesMl().get("SNFH"), 1e-12);
        assertEquals(6 / 1000.0, box.labelVolumesMl().get("ET"), 1e-12);
        assertEquals(0.0, box.labelVolumesMl().get("NETC"));
        assertEquals(30 * 6 / 1000.0, box.regionVolumesMl().get("WT"), 1e-12);
        assertEquals(6 / 1000.0, box.regionVolumesMl().get("TC"), 1e-12);
        // Corner to corner: 4 voxels x 1 mm, 2 x 2 mm, 1 x 3 mm.
        assertEquals(Math.sqrt(16 + 16 + 9), box.longestDiameterMm(), 1e-12);
        assertArrayEquals(new double[] {10 + 3, 20 + 2 * 2, 30 + 3 * 1.5}, box.centroidRas(), 1e-12);
        Lesion dot = lesions.get(1);
        assertEquals(1, dot.voxels());
        assertEquals(0.0, dot.longestDiameterMm());
        assertArrayEquals(new double[] {20, 36, 48}, dot.centroidRas(), 1e-12);
    }

    @Test
    void cornerNeighboursJoinAndSmallComponentsGo() {
        int[] d = {6, 6, 6};
        byte[] labels = new byte[216];
        labels[idx(d, 1, 1, 1)] = 1;
        labels[idx(d, 2, 2, 2)] = 3; // touches only at a corner: same lesion under 26-connectivity
        labels[idx(d, 4, 4, 4)] = 2;
        labels[idx(d, 4, 4, 5)] = 2;
        labels[idx(d, 0, 5, 0)] = 1;
        Components c = Components.ofForeground(labels, d);
        assertEquals(3, c.count());
        assertEquals(Components.ofForeground(labels, d).label(idx(d, 1, 1, 1)), c.label(idx(d, 2, 2, 2)));
        assertEquals(1, Components.removeSmall(labels, d, 2));
        assertEquals(0, labels[idx(d, 0, 5, 0)]);
        assertEquals(3, labels[idx(d, 2, 2, 2)]);
    }

    @Test
    void longestDiameterEqualsBruteForceOnRandomBlobsOnAnObliqueGrid() {
        int[] d = {14, 11, 9};
        Geometry g = Geometry.of(d, new double[] {0.7, 1.1, 2.5}, new double[] {3, -4, 5},
                new double[][] {{0.9, -0.3, 0.1}, {0.3, 0.95, 0}, {0, 0.1, 1}});
        Random r = new Random(3);
        byte[] labels = new byte[d[0] * d[1] * d[2]];
        for (int v = 0; v < labels.length; v++) {
            labels[v] = (byte) (r.nextDouble() < 0.3 ? 1 + r.nextInt(3) : 0);
        }
        Components c = Components.ofForeground(labels, d);
        double[] fast = Lesions.longestDiameters(c, g);
        for (int id = 1; id <= c.count(); id++) {
            double best = 0;
            for (int a = 0; a < labels.length; a++) {
                if (c.label(a) != id) {
                    continue;
                }
                double[] p = g.toRas(a % d[0], (a / d[0]) % d[1], a / (d[0] * d[1]));
                for (int b = a + 1; b < labels.length; b++) {
                    if (c.label(b) == id) {
                        double[] q = g.toRas(b % d[0], (b / d[0]) % d[1], b / (d[0] * d[1]));
                        best = Math.max(best, Math.sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1])
                                + (p[2] - q[2]) * (p[2] - q[2])));
                    }
                }
            }
            assertEquals(best, fast[id], 1e-9, "component " + id);
        }
    }

    @Test
    void fillHolesFillsEnclosedBackgroundOnly() {
        int[] d = {5, 5, 5};
        boolean[] m = new boolean[125];
        for (int k = 1; k < 4; k++) {
            for (int j = 1; j < 4; j++) {
                for (int i = 1; i < 4; i++) {
                    m[idx(d, i, j, k)] = true;
                }
            }
        }
        m[idx(d, 2, 2, 2)] = false; // enclosed hole
        boolean[] f = Masks.fillHoles(m, d);
        assertEquals(true, f[idx(d, 2, 2, 2)]);
        assertEquals(false, f[idx(d, 0, 0, 0)]);
        m[idx(d, 2, 2, 1)] = false; // open the hole to a face: 6-connected to the outside now
        m[idx(d, 2, 2, 0)] = false;
        assertEquals(false, Masks.fillHoles(m, d)[idx(d, 2, 2, 2)]);
    }
}
