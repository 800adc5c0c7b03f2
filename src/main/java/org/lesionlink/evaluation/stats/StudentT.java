package org.lesionlink.evaluation.stats;

/**
 * Student's t distribution: CDF through the regularized incomplete beta function,
 * {@code P(T <= t) = 1 - I_x(df/2, 1/2) / 2} with {@code x = df / (df + t^2)} for t >= 0, and the quantile
 * by bisection on that CDF (to the last bits of a double; it is monotone, so bisection cannot fail).
 */
public final class StudentT {

    private StudentT() {
    }

    public static double cdf(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        double x = df / (df + t * t);
        double tail = 0.5 * SpecialFunctions.regularizedBeta(x, df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** The t with {@code cdf(t, df) = p}, for 0 < p < 1. */
    public static double quantile(double p, double df) {
        checkDf(df);
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("quantile needs 0 < p < 1, got " + p);
        }
        if (p == 0.5) {
            return 0;
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        // upper tail q = 1 - p computed from the beta side keeps precision for p near 1
        double q = 1 - p;
        double lo = 0;
        double hi = 1;
        while (upperTail(hi, df) > q) {
            hi *= 2;
            if (hi > 1e300) {
                return Double.POSITIVE_INFINITY;
            }
        }
        for (int i = 0; i < 2000 && hi - lo > Math.ulp(hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (upperTail(mid, df) > q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** P(T > t) for t >= 0. */
    private static double upperTail(double t, double df) {
        return 0.5 * SpecialFunctions.regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    private static void checkDf(double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("degrees of freedom must be > 0, got " + df);
        }
    }
}
