/**
 * Statistics for comparing segmentation models, as the seed papers report them: descriptive summaries
 * with Student-t 95% confidence intervals ({@link org.lesionlink.evaluation.stats.Summary}), the
 * Shapiro-Wilk normality test ({@link org.lesionlink.evaluation.stats.ShapiroWilk}, AS R94), the
 * Mann-Whitney U test ({@link org.lesionlink.evaluation.stats.MannWhitneyU}) and the Wilcoxon signed-rank
 * test ({@link org.lesionlink.evaluation.stats.WilcoxonSignedRank}). Each test reproduces the defaults of
 * the scipy.stats function of the same name in scipy 1.10 and reports, in its
 * {@link org.lesionlink.evaluation.stats.TestResult}, which method (exact or approximate) produced the
 * p-value. Pure functions on double arrays; no dependencies.
 */
package org.lesionlink.evaluation.stats;
