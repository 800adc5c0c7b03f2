package org.lesionlink.evaluation.metric;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform on an anisotropic voxel grid, by the separable lower-envelope
 * algorithm of Felzenszwalb and Huttenlocher ("Distance Transforms of Sampled Functions", Theory of
 * Computing 8, 2012): one 1D squared-distance transform per axis (i, then j, then k), each the lower
 * envelope of parabolas rooted at the samples, with sample positions in millimetres so that each axis
 * has its own spacing. Linear in the number of voxels; the result is exact up to floating-point rounding.
 */
public final class DistanceTransform {

    private DistanceTransform() {
    }

    /**
     * Squared distance in mm^2 from the centre of every voxel to the centre of the nearest feature voxel
     * (0 on features); {@code +Infinity} everywhere if there is no feature.
     *
     * @param features voxels in the order {@code i + nx * (j + ny * k)}
     * @param spacing voxel size in mm along i, j, k
     */
    public static double[] squared(boolean[] features, int nx, int ny, int nz, double[] spacing) {
        if ((long) nx * ny * nz != features.length) {
            throw new IllegalArgumentException("features length " + features.length + " is not " + nx + "x" + ny + "x" + nz);
        }
        double[] d = new double[features.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = features[i] ? 0 : Double.POSITIVE_INFINITY;
        }
        int maxN = Math.max(nx, Math.max(ny, nz));
        Line line = new Line(maxN);
        // axis i: contiguous rows
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                line.transform(d, nx * (j + ny * k), 1, nx, spacing[0]);
            }
        }
        if (ny > 1) {
            for (int k = 0; k < nz; k++) {
                for (int i = 0; i < nx; i++) {
                    line.transform(d, i + nx * ny * k, nx, ny, spacing[1]);
                }
            }
        }
        if (nz > 1) {
            int slice = nx * ny;
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    line.transform(d, i + nx * j, slice, nz, spacing[2]);
                }
            }
        }
        return d;
    }

    /** Scratch space for one 1D transform, reused along all lines of a pass. */
    private static final class Line {
        private final double[] f;
        private final int[] v;
        private final double[] z;

        Line(int n) {
            f = new double[n];
            v = new int[n];
            z = new double[n + 1];
        }

        /** In-place 1D squared distance transform of {@code n} samples at {@code start + q * stride}. */
        void transform(double[] d, int start, int stride, int n, double s) {
            int k = -1;
            for (int q = 0, p = start; q < n; q++, p += stride) {
                f[q] = d[p];
            }
            for (int q = 0; q < n; q++) {
                if (f[q] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                double fq = f[q] + sq(q * s);
                double cut = Double.NEGATIVE_INFINITY;
                while (k >= 0) {
                    int r = v[k];
                    cut = (fq - (f[r] + sq(r * s))) / (2 * s * (q - r));
                    if (cut <= z[k]) {
                        k--;
                    } else {
                        break;
                    }
                }
                if (k < 0) {
                    k = 0;
                    v[0] = q;
                    z[0] = Double.NEGATIVE_INFINITY;
                } else {
                    k++;
                    v[k] = q;
                    z[k] = cut;
                }
                z[k + 1] = Double.POSITIVE_INFINITY;
            }
            if (k < 0) {
                return; // no finite sample on this line: stays +inf
            }
            int m = 0;
            for (int q = 0, p = start; q < n; q++, p += stride) {
                double x = q * s;
                while (z[m + 1] < x) {
                    m++;
                }
                d[p] = sq(x - v[m] * s) + f[v[m]];
            }
        }
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Brute-force reference for tests and assertions: O(voxels x features). */
    static double[] squaredBruteForce(boolean[] features, int nx, int ny, int nz, double[] spacing) {
        double[] d = new double[features.length];
        Arrays.fill(d, Double.POSITIVE_INFINITY);
        for (int f = 0; f < features.length; f++) {
            if (!features[f]) {
                continue;
            }
            int fi = f % nx;
            int fj = (f / nx) % ny;
            int fk = f / (nx * ny);
            for (int p = 0; p < d.length; p++) {
                int pi = p % nx;
                int pj = (p / nx) % ny;
                int pk = p / (nx * ny);
                double dd = sq((pi - fi) * spacing[0]) + sq((pj - fj) * spacing[1]) + sq((pk - fk) * spacing[2]);
                if (dd < d[p]) {
                    d[p] = dd;
                }
            }
        }
        return d;
    }
}
