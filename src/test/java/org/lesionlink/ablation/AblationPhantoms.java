package org.lesionlink.ablation;

import org.lesionlink.image.Geometry;

/** Analytic test objects on voxel grids: spheres, cylinders. */
final class AblationPhantoms {

    private AblationPhantoms() {
    }

    /** An axis-aligned grid of {@code n} voxels per axis with spacing {@code h}, centred on the RAS origin. */
    static Geometry centredGrid(int[] n, double[] h) {
        double[] origin = new double[3];
        for (int a = 0; a < 3; a++) {
            origin[a] = -(n[a] - 1) / 2.0 * h[a];
        }
        return Geometry.axisAligned(n, h, origin);
    }

    static boolean[] sphere(Geometry g, Point3 c, double r) {
        boolean[] m = new boolean[(int) g.voxelCount()];
        int nx = g.dim(0);
        int ny = g.dim(1);
        for (int k = 0; k < g.dim(2); k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double[] p = g.toRas(i, j, k);
                    double dx = p[0] - c.x();
                    double dy = p[1] - c.y();
                    double dz = p[2] - c.z();
                    m[i + nx * (j + ny * k)] = dx * dx + dy * dy + dz * dz <= r * r;
                }
            }
        }
        return m;
    }

    /** An infinite cylinder along S (a spinal canal) through (x, y) with radius r. */
    static boolean[] cylinderAlongZ(Geometry g, double x, double y, double r) {
        boolean[] m = new boolean[(int) g.voxelCount()];
        int nx = g.dim(0);
        int ny = g.dim(1);
        for (int k = 0; k < g.dim(2); k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double[] p = g.toRas(i, j, k);
                    double dx = p[0] - x;
                    double dy = p[1] - y;
                    m[i + nx * (j + ny * k)] = dx * dx + dy * dy <= r * r;
                }
            }
        }
        return m;
    }

    static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
