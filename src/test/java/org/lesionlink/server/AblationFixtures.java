package org.lesionlink.server;

import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Analytic phantoms of the ablation server tests and benchmark: on a 60 mm cube at 1 mm (voxel centres at
 * -29.5 .. 29.5 mm), a lesion sphere of radius 10 mm at the origin and a "spinal canal" cylinder of radius
 * 3 mm along z through (0, -26).
 */
final class AblationFixtures {
    static final Geometry GRID = Geometry.axisAligned(new int[] {60, 60, 60}, new double[] {1, 1, 1},
            new double[] {-29.5, -29.5, -29.5});
    static final double LESION_RADIUS = 10;
    static final double CANAL_Y = -26;
    static final double CANAL_RADIUS = 3;

    private AblationFixtures() {}

    /** uint8 labelmap: {@code value} inside the sphere of {@code radius} around {@code centre}, 0 elsewhere. */
    static Volume sphere(Geometry g, double[] centre, double radius, int value) {
        byte[] v = new byte[(int) g.voxelCount()];
        for (int k = 0; k < g.dim(2); k++) {
            for (int j = 0; j < g.dim(1); j++) {
                for (int i = 0; i < g.dim(0); i++) {
                    double[] p = g.toRas(i, j, k);
                    double dx = p[0] - centre[0], dy = p[1] - centre[1], dz = p[2] - centre[2];
                    if (dx * dx + dy * dy + dz * dz <= radius * radius) {
                        v[i + g.dim(0) * (j + g.dim(1) * k)] = (byte) value;
                    }
                }
            }
        }
        return Volume.ofBytes(g, v);
    }

    static Volume lesion() {
        return sphere(GRID, new double[] {0, 0, 0}, LESION_RADIUS, 1);
    }

    /** uint8 labelmap: {@code value} inside the canal cylinder. */
    static Volume canal(int value) {
        Geometry g = GRID;
        byte[] v = new byte[(int) g.voxelCount()];
        for (int k = 0; k < g.dim(2); k++) {
            for (int j = 0; j < g.dim(1); j++) {
                for (int i = 0; i < g.dim(0); i++) {
                    double[] p = g.toRas(i, j, k);
                    double dy = p[1] - CANAL_Y;
                    if (p[0] * p[0] + dy * dy <= CANAL_RADIUS * CANAL_RADIUS) {
                        v[i + g.dim(0) * (j + g.dim(1) * k)] = (byte) value;
                    }
                }
            }
        }
        return Volume.ofBytes(g, v);
    }
}
