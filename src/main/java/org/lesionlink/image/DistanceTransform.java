package org.lesionlink.image;

import java.util.stream.IntStream;

/**
 * Exact Euclidean distance transform on an anisotropic grid (Felzenszwalb and Huttenlocher, "Distance
 * Transforms of Sampled Functions", Theory of Computing 8, 2012: the separable lower-envelope algorithm,
 * one axis after the other): for every voxel, the distance in mm between its centre and the centre of the
 * nearest voxel where the mask is false (0 on those voxels). Voxels beyond the grid do not count as false.
 * Distances are along the grid's index axes scaled by the spacing, so they are physical distances for any
 * orthogonal direction matrix. Used by the phantom generator and by the ablation package's voxel-based
 * margin reference.
 */
public final class DistanceTransform {

    private static final double INF = 1e20;

    private DistanceTransform() {
    }

    /**
     * Distance in mm from each voxel centre to the nearest voxel centre where {@code mask} is false;
     * {@link Float#MAX_VALUE} everywhere if the mask is true everywhere.
     *
     * @param mask voxels in the order {@code i + nx * (j + ny * k)}
     * @param spacing voxel size in mm along i, j, k
     */
    public static float[] distanceToOutside(boolean[] mask, int[] dims, double[] spacing) {
        if ((long) dims[0] * dims[1] * dims[2] != mask.length) {
            throw new IllegalArgumentException("mask has " + mask.length + " voxels, dims " + dims[0] + "x" + dims[1] + "x" + dims[2]);
        }
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        double[] d2 = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            d2[i] = mask[i] ? INF : 0;
        }
        // Pass along x, then y, then z; each line is independent.
        IntStream.range(0, ny * nz).parallel().forEach(line -> pass(d2, line * nx, 1, nx, spacing[0]));
        IntStream.range(0, nx * nz).parallel().forEach(line -> {
            int i = line % nx;
            int k = line / nx;
            pass(d2, i + nx * ny * k, nx, ny, spacing[1]);
        });
        IntStream.range(0, nx * ny).parallel().forEach(line -> pass(d2, line, nx * ny, nz, spacing[2]));
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = d2[i] >= INF ? Float.MAX_VALUE : (float) Math.sqrt(d2[i]);
        }
        return out;
    }

    /**
     * Distance in mm from each voxel centre to the nearest voxel centre where {@code features} is true (0 on
     * features); {@link Float#MAX_VALUE} everywhere if there is none.
     */
    public static float[] distanceToFeatures(boolean[] features, int[] dims, double[] spacing) {
        boolean[] notFeature = new boolean[features.length];
        for (int i = 0; i < features.length; i++) {
            notFeature[i] = !features[i];
        }
        return distanceToOutside(notFeature, dims, spacing);
    }

    /** One 1D squared-distance pass over {@code n} values starting at {@code start} with {@code stride}. */
    private static void pass(double[] d2, int start, int stride, int n, double h) {
        double[] f = new double[n];
        for (int q = 0; q < n; q++) {
            f[q] = d2[start + q * stride];
        }
        int[] v = new int[n];
        double[] z = new double[n + 1];
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] >= INF) {
                continue;
            }
            double xq = q * h;
            while (true) {
                if (k < 0) {
                    k = 0;
                    v[0] = q;
                    z[0] = -Double.MAX_VALUE;
                    break;
                }
                double xv = v[k] * h;
                double s = ((f[q] + xq * xq) - (f[v[k]] + xv * xv)) / (2 * (xq - xv));
                if (s <= z[k]) {
                    k--;
                    continue;
                }
                k++;
                v[k] = q;
                z[k] = s;
                break;
            }
            z[k + 1] = Double.MAX_VALUE;
        }
        if (k < 0) {
            return; // no finite value on this line: leave it at INF
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            double x = q * h;
            while (z[j + 1] < x) {
                j++;
            }
            double dx = x - v[j] * h;
            d2[start + q * stride] = dx * dx + f[v[j]];
        }
    }
}
