package org.lesionlink.evaluation.stats;

import java.util.Arrays;
import org.lesionlink.evaluation.metric.Percentiles;

/**
 * Descriptive statistics of one sample, over its finite values (NaN and infinities are left out and
 * {@link #n} says how many values were used).
 *
 * <ul>
 *   <li>{@code sd}: sample standard deviation (divisor n - 1); NaN for n < 2.
 *   <li>95% CI of the mean: {@code mean +/- t(0.975, n - 1) * sd / sqrt(n)}, the Student t quantile
 *       from {@link StudentT}; NaN for n < 2.
 *   <li>median, quartiles: linear-interpolation percentiles ({@link Percentiles}), IQR = q3 - q1.
 *   <li>Shapiro-Wilk W and p ({@link ShapiroWilk}); NaN for n < 3 or a sample without spread.
 * </ul>
 */
public record Summary(int n, double mean, double sd, double ciLow, double ciHigh, double median, double q1,
                      double q3, double shapiroW, double shapiroP) {

    public double iqr() {
        return q3 - q1;
    }

    public static Summary of(double[] values) {
        double[] x = Arrays.stream(values).filter(Double::isFinite).toArray();
        int n = x.length;
        if (n == 0) {
            double nan = Double.NaN;
            return new Summary(0, nan, nan, nan, nan, nan, nan, nan, nan, nan);
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double sd = Double.NaN;
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (n >= 2) {
            double ss = 0;
            for (double v : x) {
                ss += (v - mean) * (v - mean);
            }
            sd = Math.sqrt(ss / (n - 1));
            double half = StudentT.quantile(0.975, n - 1) * sd / Math.sqrt(n);
            lo = mean - half;
            hi = mean + half;
        }
        double[] s = x.clone();
        Arrays.sort(s);
        ShapiroWilk.Result sw = null;
        if (n >= 3 && s[n - 1] > s[0]) {
            try {
                sw = ShapiroWilk.test(x);
            } catch (IllegalArgumentException spreadLostInFloat) {
                // values that differ only beyond float precision: no spread for AS R94 either
            }
        }
        return new Summary(n, mean, sd, lo, hi, Percentiles.ofSorted(s, 50), Percentiles.ofSorted(s, 25),
                Percentiles.ofSorted(s, 75), sw == null ? Double.NaN : sw.w(), sw == null ? Double.NaN : sw.p());
    }
}
