package org.lesionlink.phantom;

import java.util.Arrays;

/**
 * One-dimensional k-means on intensities (Lloyd's algorithm on a 256-bin histogram), and the two-class
 * partial-volume model that turns an intensity into tissue fractions given the sorted class means.
 */
final class IntensityClusters {

    private static final int BINS = 256;

    private IntensityClusters() {
    }

    /** Sorted means of {@code k} clusters of the values where {@code mask} is true. */
    static double[] kMeans(float[] values, boolean[] mask, int k) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < values.length; i++) {
            if (mask[i]) {
                lo = Math.min(lo, values[i]);
                hi = Math.max(hi, values[i]);
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("no voxels to cluster");
        }
        double width = Math.max(hi - lo, 1e-6) / BINS;
        long[] hist = new long[BINS];
        for (int i = 0; i < values.length; i++) {
            if (mask[i]) {
                hist[Math.min(BINS - 1, (int) ((values[i] - lo) / width))]++;
            }
        }
        double[] centre = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            centre[b] = lo + (b + 0.5) * width;
        }
        // Start at evenly spaced quantiles.
        double[] means = new double[k];
        long total = Arrays.stream(hist).sum();
        for (int c = 0; c < k; c++) {
            means[c] = quantile(hist, centre, total, (c + 0.5) / k);
        }
        for (int iter = 0; iter < 50; iter++) {
            double[] sum = new double[k];
            long[] n = new long[k];
            for (int b = 0; b < BINS; b++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (Math.abs(centre[b] - means[c]) < Math.abs(centre[b] - means[best])) {
                        best = c;
                    }
                }
                sum[best] += hist[b] * centre[b];
                n[best] += hist[b];
            }
            boolean moved = false;
            for (int c = 0; c < k; c++) {
                if (n[c] > 0) {
                    double m = sum[c] / n[c];
                    moved |= Math.abs(m - means[c]) > 1e-9;
                    means[c] = m;
                }
            }
            if (!moved) {
                break;
            }
        }
        Arrays.sort(means);
        return means;
    }

    private static double quantile(long[] hist, double[] centre, long total, double q) {
        long target = (long) (q * total);
        long acc = 0;
        for (int b = 0; b < hist.length; b++) {
            acc += hist[b];
            if (acc > target) {
                return centre[b];
            }
        }
        return centre[hist.length - 1];
    }

    /**
     * Fractions of the classes with sorted {@code means} in a voxel of intensity {@code v}, assuming it mixes
     * at most the two classes whose means bracket it (linear mixing); below the first or above the last
     * mean the voxel is pure. Writes {@code means.length} values into {@code out}.
     */
    static void partialVolume(double v, double[] means, double[] out) {
        Arrays.fill(out, 0);
        int n = means.length;
        if (v <= means[0]) {
            out[0] = 1;
            return;
        }
        if (v >= means[n - 1]) {
            out[n - 1] = 1;
            return;
        }
        for (int c = 0; c < n - 1; c++) {
            if (v <= means[c + 1]) {
                double t = (v - means[c]) / (means[c + 1] - means[c]);
                out[c] = 1 - t;
                out[c + 1] = t;
                return;
            }
        }
    }
}
