package org.lesionlink.evaluation.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values that can be checked by hand or against printed tables; no peer needed. */
class StatsKnownValuesTest {

    @Test
    void tQuantilesMatchPrintedTables() {
        // t(0.975, 1) = tan(0.475 pi) exactly (Cauchy)
        assertEquals(Math.tan(0.475 * Math.PI), StudentT.quantile(0.975, 1), 1e-12);
        // tables: 2.262157 (df 9), 2.776445 (df 4); the limit is the normal 1.959964
        assertEquals(2.262157162740991, StudentT.quantile(0.975, 9), 1e-9);
        assertEquals(-2.262157162740991, StudentT.quantile(0.025, 9), 1e-9);
        assertEquals(2.7764451051977987, StudentT.quantile(0.975, 4), 1e-9);
        assertEquals(1.959963984540054, StudentT.quantile(0.975, 1e9), 1e-6);
        // and the quantile inverts the CDF to the last bits
        assertEquals(0.975, StudentT.cdf(StudentT.quantile(0.975, 9), 9), 1e-15);
    }

    @Test
    void summaryOfOneToFive() {
        Summary s = Summary.of(new double[] {5, 1, Double.NaN, 4, 2, 3});
        assertEquals(5, s.n());
        assertEquals(3, s.mean(), 1e-15);
        assertEquals(Math.sqrt(2.5), s.sd(), 1e-15);
        double half = 2.7764451051977987 * Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(3 - half, s.ciLow(), 1e-12);
        assertEquals(3 + half, s.ciHigh(), 1e-12);
        assertEquals(3, s.median());
        assertEquals(2, s.q1());
        assertEquals(4, s.q3());
        assertTrue(s.shapiroP() > 0.5, "1..5 looks normal");
    }

    @Test
    void constantSampleHasNoShapiroWilk() {
        Summary s = Summary.of(new double[] {1, 1, 1, 1});
        assertEquals(0, s.sd());
        assertTrue(Double.isNaN(s.shapiroW()));
    }

    @Test
    void mannWhitneyExactExtremes() {
        double[] x = {1, 2, 3};
        double[] y = {4, 5, 6};
        TestResult less = MannWhitneyU.test(x, y, Alternative.LESS);
        assertEquals(0, less.statistic());
        assertEquals(1 / 20.0, less.p(), 1e-15); // one arrangement in C(6,3)
        assertEquals("exact", less.method());
        assertEquals(1.0, MannWhitneyU.test(x, y, Alternative.GREATER).p(), 1e-15);
        assertEquals(0.1, MannWhitneyU.test(x, y, Alternative.TWO_SIDED).p(), 1e-15);
        double[] counts = MannWhitneyU.distribution(3, 3);
        assertEquals(10, counts.length);
        assertEquals(20, java.util.Arrays.stream(counts).sum(), 1e-12);
    }

    @Test
    void mannWhitneyWithTiesUsesTheApproximation() {
        TestResult r = MannWhitneyU.test(new double[] {1, 2, 2}, new double[] {2, 3, 4}, Alternative.LESS);
        assertTrue(r.method().startsWith("asymptotic") && r.method().contains("tie"), r.method());
    }

    @Test
    void wilcoxonExactAllPositive() {
        double[] x = {1.1, 2.3, 3.2, 4.8, 5.1};
        double[] y = {1, 2, 3, 4, 5};
        TestResult g = WilcoxonSignedRank.test(x, y, Alternative.GREATER);
        assertEquals(15, g.statistic());
        assertEquals(1 / 32.0, g.p(), 1e-15);
        assertEquals("exact", g.method());
        TestResult z = WilcoxonSignedRank.test(new double[] {1, 2, 3}, new double[] {1, 2, 3}, Alternative.GREATER);
        assertTrue(Double.isNaN(z.p()) && z.method().startsWith("not run"));
    }
}
