package org.lesionlink.evaluation.stats;

/**
 * Mann-Whitney U test of two independent samples, with the behaviour of {@code scipy.stats.mannwhitneyu}
 * (scipy 1.10) at its defaults {@code use_continuity=True, method='auto'}:
 *
 * <ul>
 *   <li>U is the statistic of the first sample, {@code U1 = R1 - n1 (n1 + 1) / 2} with R1 its rank sum
 *       (mid-ranks for ties).
 *   <li><b>Method choice:</b> the exact null distribution when at least one sample has 8 or fewer values
 *       and there are no ties in the pooled data; otherwise the normal approximation.
 *   <li><b>Exact:</b> the null distribution of U counts the arrangements of the two samples (coefficients
 *       of the Gaussian binomial coefficient), p = P(U' >= U) for the statistic U' of the alternative
 *       (U1 for "greater", U2 = n1 n2 - U1 for "less", max(U1, U2) doubled for "two-sided").
 *   <li><b>Asymptotic:</b> {@code z = (U' - n1 n2 / 2 - 0.5) / s} with the tie-corrected
 *       {@code s = sqrt(n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1))))}, p = P(Z > z) (doubled for
 *       two-sided).
 *   <li>p is clipped to [0, 1].
 * </ul>
 */
public final class MannWhitneyU {

    public static final String NAME = "mann-whitney-u";

    private MannWhitneyU() {
    }

    public static TestResult test(double[] x, double[] y, Alternative alternative) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            return TestResult.notRun(NAME, "empty sample (" + n1 + " and " + n2 + " values)");
        }
        double[] xy = new double[n1 + n2];
        System.arraycopy(x, 0, xy, 0, n1);
        System.arraycopy(y, 0, xy, n1, n2);
        for (double v : xy) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("Mann-Whitney U needs values without NaN");
            }
        }
        Ranks ranks = Ranks.of(xy);
        boolean exact = !(n1 > 8 && n2 > 8) && !ranks.hasTies();
        double r1 = 0;
        for (int i = 0; i < n1; i++) {
            r1 += ranks.ranks[i];
        }
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * n2 - u1;
        double u;
        double factor = 1;
        switch (alternative) {
            case GREATER -> u = u1;
            case LESS -> u = u2;
            default -> {
                u = Math.max(u1, u2);
                factor = 2;
            }
        }
        double p;
        String method;
        if (exact) {
            p = exactSf((long) u, n1, n2);
            method = "exact";
        } else {
            int n = n1 + n2;
            double s = Math.sqrt(n1 * (double) n2 / 12 * ((n + 1) - ranks.tieTerm() / ((double) n * (n - 1))));
            double z = (u - n1 * (double) n2 / 2 - 0.5) / s;
            p = SpecialFunctions.normalSf(z);
            method = "asymptotic (normal approximation, continuity correction"
                    + (ranks.hasTies() ? ", tie-corrected variance" : "") + ")";
        }
        p = Math.min(1, Math.max(0, p * factor));
        return new TestResult(NAME, u1, p, method);
    }

    /** P(U >= u) under the null for sample sizes m and n, as P(U <= m n - u) by symmetry. */
    static double exactSf(long u, int m, int n) {
        double[] counts = distribution(m, n);
        long k = (long) m * n - u;
        if (k < 0) {
            return 0;
        }
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double below = 0;
        for (int i = 0; i <= Math.min(k, counts.length - 1); i++) {
            below += counts[i];
        }
        return below / total;
    }

    /**
     * Number of arrangements giving U = 0..m n: the coefficients of the Gaussian binomial
     * [m + n choose m]_q, built as the product over i = 1..min(m, n) of (1 - q^(max + i)) / (1 - q^i).
     */
    static double[] distribution(int m, int n) {
        int small = Math.min(m, n);
        int large = Math.max(m, n);
        int top = m * n;
        double[] c = new double[top + large + small + 2]; // room for the intermediate products
        c[0] = 1;
        int deg = 0;
        for (int i = 1; i <= small; i++) {
            int shift = large + i;
            int newDeg = deg + shift;
            // multiply by (1 - q^shift)
            for (int k = newDeg; k >= shift; k--) {
                c[k] -= c[k - shift];
            }
            // divide by (1 - q^i): running sums with stride i
            for (int k = i; k <= newDeg; k++) {
                c[k] += c[k - i];
            }
            deg = newDeg - i;
        }
        return java.util.Arrays.copyOf(c, top + 1);
    }
}
