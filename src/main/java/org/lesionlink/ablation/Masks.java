package org.lesionlink.ablation;

import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/** Label selection and surface extraction shared by the lesion and the critical structure. */
final class Masks {

    private Masks() {
    }

    /** Voxels whose (rescaled) value equals {@code label}, or any non-zero value when label is null. */
    static boolean[] select(Volume labels, Integer label) {
        if (labels.channels() != 1) {
            throw new IllegalArgumentException("a labelmap must have one channel, got " + labels.channels());
        }
        float[] v = labels.toFloats(0);
        boolean[] m = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = label == null ? v[i] != 0 : Math.rint(v[i]) == label && v[i] != 0;
        }
        return m;
    }

    /**
     * Surface voxels: mask voxels with at least one of their 6 face neighbours outside the mask; voxels on
     * the grid's border count as surface (the mask XOR its erosion with a 6-connected cross, as in the
     * usual margin computation, with the outside of the grid treated as background).
     */
    static boolean[] surface(boolean[] mask, int[] dims) {
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        boolean[] s = new boolean[mask.length];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int p = i + nx * (j + ny * k);
                    if (!mask[p]) {
                        continue;
                    }
                    s[p] = i == 0 || i == nx - 1 || j == 0 || j == ny - 1 || k == 0 || k == nz - 1
                            || !mask[p - 1] || !mask[p + 1] || !mask[p - nx] || !mask[p + nx]
                            || !mask[p - nx * ny] || !mask[p + nx * ny];
                }
            }
        }
        return s;
    }

    /** RAS centres of the true voxels as {xs, ys, zs}. */
    static double[][] centres(boolean[] mask, Geometry grid) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        double[][] out = new double[3][n];
        int nx = grid.dim(0);
        int ny = grid.dim(1);
        Affine m = grid.ijkToRas();
        int q = 0;
        for (int p = 0; p < mask.length; p++) {
            if (!mask[p]) {
                continue;
            }
            int i = p % nx;
            int j = (p / nx) % ny;
            int k = p / (nx * ny);
            double[] r = m.apply(i, j, k);
            out[0][q] = r[0];
            out[1][q] = r[1];
            out[2][q] = r[2];
            q++;
        }
        return out;
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
