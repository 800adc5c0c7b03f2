package org.lesionlink.evaluation.stats;

import java.util.Arrays;

/**
 * Shapiro-Wilk test of normality by Royston's algorithm AS R94 (Applied Statistics 44(4), 1995), the
 * algorithm {@code scipy.stats.shapiro} runs: approximate coefficients from normal order statistics
 * (with Royston's polynomial corrections of the two most extreme), W as the squared correlation between
 * the ordered sample and those coefficients, and the p-value from Royston's normalising transformations
 * (log(1 - W) for n > 11; -log(gamma - log(1 - W)) for 4 <= n <= 11; the exact arcsine form for n = 3).
 *
 * <p><b>Precision.</b> AS R94 is specified, and run by scipy (1.10, {@code swilk.f}), in IEEE single
 * precision, including its normal quantile (Beasley and Springer's AS 111) and its truncated constants
 * (e.g. sqrt(1/2) = 0.70711). This class performs the same operations in {@code float}, in the same
 * order, so W and p agree with scipy's to a few units in the last place of a float (about 1e-7), not
 * merely to the accuracy of the approximation. The consequence, shared with scipy, is that for large n
 * the float rounding of 1 - W limits p to about 5 significant digits. The final normal tail is taken in
 * double precision and rounded to float, as AS R94 does.
 *
 * <p>As in scipy, the sample is centred on its median before it is sorted and rounded to float.
 */
public final class ShapiroWilk {

    /** W statistic and its p-value (both held as the floats the algorithm computes). */
    public record Result(double w, double p) {
    }

    // Royston (1995), Table/Section "Approximations": polynomial coefficients in single precision.
    private static final float[] C1 = {0.0f, 0.221157f, -0.147981f, -2.07119f, 4.434685f, -2.706056f};
    private static final float[] C2 = {0.0f, 0.042981f, -0.293762f, -1.752461f, 5.682633f, -3.582633f};
    private static final float[] C3 = {0.5440f, -0.39978f, 0.025054f, -6.714e-4f};
    private static final float[] C4 = {1.3822f, -0.77857f, 0.062767f, -0.0020322f};
    private static final float[] C5 = {-1.5861f, -0.31082f, -0.083751f, 0.0038915f};
    private static final float[] C6 = {-0.4803f, -0.082676f, 0.0030302f};
    private static final float[] G = {-2.273f, 0.459f};
    private static final float SQRTH = 0.70711f;
    private static final float SMALL = 1e-19f;
    private static final float PI6 = 1.909859f;
    private static final float STQR = 1.047198f;

    private ShapiroWilk() {
    }

    /** Tests a sample of 3 to 5000 finite values; throws for fewer than 3 or a sample with zero range. */
    public static Result test(double[] sample) {
        int n = sample.length;
        if (n < 3) {
            throw new IllegalArgumentException("Shapiro-Wilk needs at least 3 values, got " + n);
        }
        double[] c = sample.clone();
        double med = median(c);
        float[] x = new float[n];
        double[] centred = new double[n];
        for (int i = 0; i < n; i++) {
            centred[i] = c[i] - med;
        }
        Arrays.sort(centred);
        for (int i = 0; i < n; i++) {
            x[i] = (float) centred[i];
        }
        float[] a = coefficients(n);
        float range = x[n - 1] - x[0];
        if (range < SMALL) {
            throw new IllegalArgumentException("Shapiro-Wilk is undefined for a sample without spread (all values equal)");
        }
        // Mean of the coefficients (with their signs) and of the range-scaled data.
        float sa = -a[0];
        float sx = x[0] / range;
        int j = n - 2; // 0-based partner index of i, running from the top
        for (int i = 1; i < n; i++) {
            float xi = x[i] / range;
            sx += xi;
            if (i != j) {
                sa += Integer.signum(i - j) * a[Math.min(i, j)];
            }
            j--;
        }
        sa /= n;
        sx /= n;
        float ssa = 0;
        float ssx = 0;
        float sax = 0;
        j = n - 1;
        for (int i = 0; i < n; i++) {
            float asa = i != j ? Integer.signum(i - j) * a[Math.min(i, j)] - sa : -sa;
            float xsx = x[i] / range - sx;
            ssa += asa * asa;
            ssx += xsx * xsx;
            sax += asa * xsx;
            j--;
        }
        float ssassx = (float) Math.sqrt(ssa * ssx);
        float w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx);
        float w = 1.0f - w1;
        return new Result(w, pValue(n, w, w1));
    }

    /** The n/2 coefficients a_1..a_{n/2} (a_1 for the extremes), as AS R94 approximates them. */
    private static float[] coefficients(int n) {
        int half = n / 2;
        float[] a = new float[half];
        if (n == 3) {
            a[0] = SQRTH;
            return a;
        }
        float an = n;
        float an25 = an + 0.25f;
        float summ2 = 0;
        float[] m = new float[half];
        for (int i = 0; i < half; i++) {
            m[i] = normalQuantileAs111(((float) (i + 1) - 0.375f) / an25);
            summ2 += m[i] * m[i];
        }
        summ2 *= 2.0f;
        float ssumm2 = (float) Math.sqrt(summ2);
        float rsn = 1.0f / (float) Math.sqrt(an);
        float a1 = poly(C1, rsn) - m[0] / ssumm2;
        int first;
        float fac;
        if (n > 5) {
            first = 2;
            float a2 = -m[1] / ssumm2 + poly(C2, rsn);
            fac = (float) Math.sqrt((summ2 - 2.0f * (m[0] * m[0]) - 2.0f * (m[1] * m[1]))
                    / (1.0f - 2.0f * (a1 * a1) - 2.0f * (a2 * a2)));
            a[1] = a2;
        } else {
            first = 1;
            fac = (float) Math.sqrt((summ2 - 2.0f * (m[0] * m[0])) / (1.0f - 2.0f * (a1 * a1)));
        }
        a[0] = a1;
        for (int i = first; i < half; i++) {
            a[i] = -m[i] / fac;
        }
        return a;
    }

    private static double pValue(int n, float w, float w1) {
        if (n == 3) {
            // exact for n = 3
            float pw = PI6 * ((float) Math.asin(Math.sqrt(w)) - STQR);
            return Math.max(0f, pw);
        }
        float y = (float) Math.log(w1);
        float xx = (float) Math.log(n);
        float mean;
        float sd;
        if (n <= 11) {
            float gamma = poly(G, n);
            if (y >= gamma) {
                return SMALL;
            }
            y = -(float) Math.log(gamma - y);
            mean = poly(C3, n);
            sd = (float) Math.exp(poly(C4, n));
        } else {
            mean = poly(C5, xx);
            sd = (float) Math.exp(poly(C6, xx));
        }
        float z = (y - mean) / sd;
        return (float) SpecialFunctions.normalSf(z);
    }

    /** c[0] + c[1] x + ... by Horner's rule from the top, in float. */
    private static float poly(float[] c, float x) {
        float result = c[0];
        if (c.length == 1) {
            return result;
        }
        float p = x * c[c.length - 1];
        for (int j = c.length - 2; j >= 1; j--) {
            p = (p + c[j]) * x;
        }
        return result + p;
    }

    /**
     * Lower-tail normal quantile in single precision by Beasley and Springer (Applied Statistics AS 111,
     * 1977): a rational function of (p - 1/2)^2 in the centre, of sqrt(-ln(tail)) in the tails.
     */
    static float normalQuantileAs111(float p) {
        float q = p - 0.5f;
        if (Math.abs(q) <= 0.42f) {
            float r = q * q;
            return q * (((-25.44106049637f * r + 41.39119773534f) * r - 18.61500062529f) * r + 2.50662823884f)
                    / ((((3.13082909833f * r - 21.06224101826f) * r + 23.08336743743f) * r - 8.47351093090f) * r + 1.0f);
        }
        float r = q > 0 ? 1.0f - p : p;
        if (r <= 0) {
            return 0;
        }
        r = (float) Math.sqrt(-(float) Math.log(r));
        float v = (((2.32121276858f * r + 4.85014127135f) * r - 2.29796479134f) * r - 2.78718931138f)
                / ((1.63706781897f * r + 3.54388924762f) * r + 1.0f);
        return q < 0 ? -v : v;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
