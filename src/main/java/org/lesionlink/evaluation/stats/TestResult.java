package org.lesionlink.evaluation.stats;

/**
 * Outcome of a hypothesis test, with the method that produced the p-value spelled out so that reports
 * can print it beside the number.
 *
 * @param test name of the test, e.g. {@code mann-whitney-u}
 * @param statistic the test statistic as scipy reports it (U of the first sample; Wilcoxon's T)
 * @param p the p-value, NaN when the test could not be run
 * @param method how p was obtained, e.g. {@code exact} or {@code asymptotic (normal, tie correction, continuity correction)}
 */
public record TestResult(String test, double statistic, double p, String method) {

    static TestResult notRun(String test, String why) {
        return new TestResult(test, Double.NaN, Double.NaN, "not run: " + why);
    }
}
