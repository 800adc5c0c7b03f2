package org.lesionlink.evaluation.metric;

/** Analytic test objects voxelised on anisotropic grids: a voxel is inside when its centre is. */
final class Phantoms {

    private Phantoms() {
    }

    static BinaryMask empty(int nx, int ny, int nz, double[] spacing) {
        return new BinaryMask(nx, ny, nz, spacing, new boolean[nx * ny * nz]);
    }

    /** Ball of radius r (mm) centred at c (mm from the centre of voxel 0,0,0). */
    static BinaryMask ball(int nx, int ny, int nz, double[] s, double[] c, double r) {
        boolean[] v = new boolean[nx * ny * nz];
        paintBall(v, nx, ny, nz, s, c, r);
        return new BinaryMask(nx, ny, nz, s, v);
    }

    static void paintBall(boolean[] v, int nx, int ny, int nz, double[] s, double[] c, double r) {
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double dx = i * s[0] - c[0];
                    double dy = j * s[1] - c[1];
                    double dz = k * s[2] - c[2];
                    if (dx * dx + dy * dy + dz * dz <= r * r) {
                        v[i + nx * (j + ny * k)] = true;
                    }
                }
            }
        }
    }

    /** The mask moved by {@code by} voxels along {@code axis} (voxels moved out of the grid are lost). */
    static BinaryMask shift(BinaryMask m, int axis, int by) {
        int nx = m.nx();
        int ny = m.ny();
        int nz = m.nz();
        boolean[] out = new boolean[m.size()];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    if (!m.get(i, j, k)) {
                        continue;
                    }
                    int[] q = {i, j, k};
                    q[axis] += by;
                    if (q[0] >= 0 && q[0] < nx && q[1] >= 0 && q[1] < ny && q[2] >= 0 && q[2] < nz) {
                        out[q[0] + nx * (q[1] + ny * q[2])] = true;
                    }
                }
            }
        }
        return new BinaryMask(nx, ny, nz, m.spacing(), out);
    }

    /** Axis-aligned block of voxels [i0, i1] x [j0, j1] x [k0, k1] (inclusive). */
    static void paintBlock(boolean[] v, int nx, int ny, int i0, int i1, int j0, int j1, int k0, int k1) {
        for (int k = k0; k <= k1; k++) {
            for (int j = j0; j <= j1; j++) {
                for (int i = i0; i <= i1; i++) {
                    v[i + nx * (j + ny * k)] = true;
                }
            }
        }
    }

    /** Volume of the intersection of two balls of radius r whose centres are d apart. */
    static double lensVolume(double r, double d) {
        if (d >= 2 * r) {
            return 0;
        }
        return Math.PI * (4 * r + d) * (2 * r - d) * (2 * r - d) / 12;
    }

    static double ballVolume(double r) {
        return 4.0 / 3.0 * Math.PI * r * r * r;
    }
}
