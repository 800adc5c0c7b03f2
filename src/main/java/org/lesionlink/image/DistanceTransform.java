package org.lesionlink.image;

import java.util.stream.IntStream;

/**
 * Exact Euclidean distance transform on an anisotropic grid (Felzenszwalb and Huttenlocher, "Distance
 * Transforms of Sampled Functions", Theory of Computing 8, 2012): one 1D squared-distance transform per
 * axis (i, then j, then k), each the lower envelope of parabolas rooted at the samples, with positions in
 * millimetres so each axis has its own spacing. Linear in the number of voxels and exact up to rounding.
 * Distances run between voxel centres along the index axes scaled by the spacing, so they are physical
 * distances for any orthogonal direction matrix. Voxels beyond the grid do not count as features.
 * Used by the phantom generator, the evaluation metrics and the ablation margin reference.
 */
public final class DistanceTransform {

    private DistanceTransform() {
    }

    /**
     * Squared distance in mm² from each voxel centre to the nearest feature voxel centre (0 on features);
     * {@code +Infinity} everywhere if there is no feature.
     *
     * @param features voxels in the order {@code i + nx * (j + ny * k)}
     * @param spacing voxel size in mm along i, j, k
     */
    public static double[] squaredToFeatures(boolean[] features, int[] dims, double[] spacing) {
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        if ((long) nx * ny * nz != features.length) {
            throw new IllegalArgumentException("mask has " + features.length + " voxels, dims " + nx + "x" + ny + "x" + nz);
        }
        double[] d2 = new double[features.length];
        for (int i = 0; i < d2.length; i++) {
            d2[i] = features[i] ? 0 : Double.POSITIVE_INFINITY;
        }
        // Lines of one pass are independent; each task gets its own scratch line.
        IntStream.range(0, ny * nz).parallel().forEach(line -> pass(d2, line * nx, 1, nx, spacing[0]));
        if (ny > 1) {
            IntStream.range(0, nx * nz).parallel().forEach(line -> pass(d2, line % nx + nx * ny * (line / nx), nx, ny, spacing[1]));
        }
        if (nz > 1) {
            IntStream.range(0, nx * ny).parallel().forEach(line -> pass(d2, line, nx * ny, nz, spacing[2]));
        }
        return d2;
    }

    /**
     * Distance in mm from each voxel centre to the nearest voxel centre where {@code features} is true (0 on
     * features); {@link Float#MAX_VALUE} everywhere if there is none.
     */
    public static float[] distanceToFeatures(boolean[] features, int[] dims, double[] spacing) {
        double[] d2 = squaredToFeatures(features, dims, spacing);
        float[] out = new float[d2.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isInfinite(d2[i]) ? Float.MAX_VALUE : (float) Math.sqrt(d2[i]);
        }
        return out;
    }

    /**
     * Distance in mm from each voxel centre to the nearest voxel centre where {@code mask} is false (0 there);
     * {@link Float#MAX_VALUE} everywhere if the mask is true everywhere.
     */
    public static float[] distanceToOutside(boolean[] mask, int[] dims, double[] spacing) {
        boolean[] outside = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            outside[i] = !mask[i];
        }
        return distanceToFeatures(outside, dims, spacing);
    }

    /** In-place 1D squared distance transform of the {@code n} samples at {@code start + q * stride}. */
    private static void pass(double[] d2, int start, int stride, int n, double h) {
        double[] f = new double[n];
        for (int q = 0; q < n; q++) {
            f[q] = d2[start + q * stride];
        }
        int[] v = new int[n];
        double[] z = new double[n + 1];
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            double fq = f[q] + sq(q * h);
            double cut = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                int r = v[k];
                cut = (fq - (f[r] + sq(r * h))) / (2 * h * (q - r));
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
            return; // no finite sample on this line: it stays +inf
        }
        int m = 0;
        for (int q = 0; q < n; q++) {
            double x = q * h;
            while (z[m + 1] < x) {
                m++;
            }
            d2[start + q * stride] = sq(x - v[m] * h) + f[v[m]];
        }
    }

    private static double sq(double x) {
        return x * x;
    }
}
