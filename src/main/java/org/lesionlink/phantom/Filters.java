package org.lesionlink.phantom;

import java.util.stream.IntStream;

/** Separable Gaussian smoothing of a float image in place, in voxel units per axis; edges are clamped. */
final class Filters {

    /** Below this sigma (voxels) an axis is left alone. */
    static final double MIN_SIGMA = 0.2;

    private Filters() {
    }

    static void gaussian(float[] data, int[] dims, double[] sigmaVoxels) {
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        if (sigmaVoxels[0] >= MIN_SIGMA && nx > 1) {
            float[] k = kernel(sigmaVoxels[0]);
            IntStream.range(0, ny * nz).parallel().forEach(line -> smooth(data, line * nx, 1, nx, k));
        }
        if (sigmaVoxels[1] >= MIN_SIGMA && ny > 1) {
            float[] k = kernel(sigmaVoxels[1]);
            IntStream.range(0, nx * nz).parallel().forEach(line -> smooth(data, line % nx + nx * ny * (line / nx), nx, ny, k));
        }
        if (sigmaVoxels[2] >= MIN_SIGMA && nz > 1) {
            float[] k = kernel(sigmaVoxels[2]);
            IntStream.range(0, nx * ny).parallel().forEach(line -> smooth(data, line, nx * ny, nz, k));
        }
    }

    /** Normalised taps for offsets -r..r, r = ceil(3 sigma). */
    static float[] kernel(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double w = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + r] = (float) w;
            sum += w;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    private static void smooth(float[] data, int start, int stride, int n, float[] k) {
        int r = k.length / 2;
        float[] line = new float[n];
        for (int q = 0; q < n; q++) {
            line[q] = data[start + q * stride];
        }
        for (int q = 0; q < n; q++) {
            float s = 0;
            for (int t = -r; t <= r; t++) {
                int p = q + t;
                p = p < 0 ? 0 : (p >= n ? n - 1 : p);
                s += k[t + r] * line[p];
            }
            data[start + q * stride] = s;
        }
    }
}
