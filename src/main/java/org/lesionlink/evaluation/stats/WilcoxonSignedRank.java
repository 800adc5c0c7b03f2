package org.lesionlink.evaluation.stats;

/**
 * Wilcoxon signed-rank test of paired samples, with the behaviour of {@code scipy.stats.wilcoxon} in
 * scipy 1.10 at its defaults ({@code zero_method='wilcox', correction=False, method='auto'}), checked
 * against the scipy installed on the development machines:
 *
 * <ul>
 *   <li>d = x - y. <b>Method choice:</b> the exact distribution when there are at most 50 pairs and no
 *       zero difference; otherwise the normal approximation. Ties among |d| do <em>not</em> switch
 *       scipy 1.10 to the approximation: it uses the no-ties exact distribution with the (then
 *       half-integer) rank sum truncated to an integer. We do the same, for agreement, and say so in the
 *       method.
 *   <li><b>Statistic:</b> r+ (sum of mid-ranks of |d| over positive d) for one-sided alternatives,
 *       min(r+, r-) for two-sided.
 *   <li><b>Exact:</b> the distribution of r+ over the 2^n sign patterns; "greater" is P(R+ >= r+),
 *       "less" P(R+ <= r+), two-sided twice the smaller (1 at the centre).
 *   <li><b>Approximation:</b> zero differences are dropped ('wilcox'), then
 *       {@code z = (T - n (n + 1) / 4) / sqrt((n (n + 1) (2 n + 1) - sum(t^3 - t) / 2) / 24)} without
 *       continuity correction.
 * </ul>
 */
public final class WilcoxonSignedRank {

    public static final String NAME = "wilcoxon-signed-rank";
    private static final int EXACT_MAX = 50;

    private WilcoxonSignedRank() {
    }

    public static TestResult test(double[] x, double[] y, Alternative alternative) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples need equal lengths, got " + x.length + " and " + y.length);
        }
        int n = x.length;
        if (n == 0) {
            return TestResult.notRun(NAME, "no pairs");
        }
        double[] d = new double[n];
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            d[i] = x[i] - y[i];
            if (Double.isNaN(d[i])) {
                throw new IllegalArgumentException("Wilcoxon signed-rank needs values without NaN");
            }
            if (d[i] == 0) {
                zeros++;
            }
        }
        boolean exact = n <= EXACT_MAX && zeros == 0;
        if (!exact) {
            if (zeros == n) {
                return TestResult.notRun(NAME, "all differences are zero");
            }
            double[] nz = new double[n - zeros];
            int c = 0;
            for (double v : d) {
                if (v != 0) {
                    nz[c++] = v;
                }
            }
            d = nz;
        }
        int count = d.length;
        double[] abs = new double[count];
        for (int i = 0; i < count; i++) {
            abs[i] = Math.abs(d[i]);
        }
        Ranks ranks = Ranks.of(abs);
        double rPlus = 0;
        double rMinus = 0;
        for (int i = 0; i < count; i++) {
            if (d[i] > 0) {
                rPlus += ranks.ranks[i];
            } else if (d[i] < 0) {
                rMinus += ranks.ranks[i];
            }
        }
        double t = alternative == Alternative.TWO_SIDED ? Math.min(rPlus, rMinus) : rPlus;
        double p;
        String method;
        if (exact) {
            double[] pmf = distribution(count);
            int r = (int) rPlus; // truncation, as scipy 1.10 does when ties make r+ a half-integer
            switch (alternative) {
                case GREATER -> p = sum(pmf, r, pmf.length - 1);
                case LESS -> p = sum(pmf, 0, r);
                default -> p = r == (pmf.length - 1) / 2 ? 1.0 : 2 * Math.min(sum(pmf, 0, r), sum(pmf, r, pmf.length - 1));
            }
            p = Math.min(1, Math.max(0, p));
            method = ranks.hasTies()
                    ? "exact (ties among |d|: no-ties distribution, rank sum truncated, as scipy 1.10)"
                    : "exact";
        } else {
            double mn = count * (count + 1.0) * 0.25;
            double se = count * (count + 1.0) * (2.0 * count + 1.0);
            se -= 0.5 * ranks.tieTerm();
            se = Math.sqrt(se / 24);
            double z = (t - mn) / se;
            p = switch (alternative) {
                case GREATER -> SpecialFunctions.normalSf(z);
                case LESS -> SpecialFunctions.normalCdf(z);
                default -> 2 * SpecialFunctions.normalSf(Math.abs(z));
            };
            method = "normal approximation (" + (zeros > 0 ? zeros + " zero differences dropped, " : "")
                    + (ranks.hasTies() ? "tie-corrected variance, " : "") + "no continuity correction)";
        }
        return new TestResult(NAME, t, p, method);
    }

    /** P(R+ = r) for r = 0..n(n+1)/2 under the null (each sign +/- with probability 1/2). */
    static double[] distribution(int n) {
        int max = n * (n + 1) / 2;
        double[] c = new double[max + 1];
        c[0] = 1;
        int top = 0;
        for (int k = 1; k <= n; k++) {
            // adding rank k: half of the mass stays, half moves up by k
            for (int r = top + k; r >= 0; r--) {
                double stay = c[r] * 0.5;
                double moved = r >= k ? c[r - k] * 0.5 : 0;
                c[r] = stay + moved;
            }
            top += k;
        }
        return c;
    }

    private static double sum(double[] a, int from, int to) {
        double s = 0;
        for (int i = Math.max(0, from); i <= Math.min(to, a.length - 1); i++) {
            s += a[i];
        }
        return s;
    }
}
