package org.lesionlink.evaluation.metric;

import java.util.Arrays;

/**
 * Percentiles with linear interpolation between order statistics: for sorted values x[0..n-1] the
 * p-th percentile is at fractional rank h = (n - 1) p / 100, i.e. {@code x[floor h] + (h - floor h) *
 * (x[floor h + 1] - x[floor h])}. This is Hyndman and Fan's definition 7, the default of
 * {@code numpy.percentile} and of R's {@code quantile}.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** Percentile of values already sorted ascending; NaN for no values. */
    public static double ofSorted(double[] sorted, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        double h = (n - 1) * p / 100.0;
        int lo = (int) Math.floor(h);
        if (lo >= n - 1) {
            return sorted[n - 1];
        }
        double frac = h - lo;
        return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
    }

    /** Percentile of unsorted values (copied, then sorted). */
    public static double of(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return ofSorted(s, p);
    }
}
