/**
 * Evaluation of segmentations against the truth, reproducing the seed papers' analysis as a product
 * feature ({@code lesionlink evaluate}).
 *
 * <ul>
 *   <li>{@link org.lesionlink.evaluation.Task} and {@link org.lesionlink.evaluation.Region}: which labels
 *       make up each evaluated region (brain ET/TC/WT, spine lesion/vertebra/canal, or custom).
 *   <li>{@link org.lesionlink.evaluation.CaseEvaluator}: every {@link org.lesionlink.evaluation.Metric} of
 *       one case, via {@link org.lesionlink.evaluation.metric} (definitions there).
 *   <li>{@link org.lesionlink.evaluation.CaseFiles} and {@link org.lesionlink.evaluation.Evaluation}:
 *       finding the cases of a folder and evaluating them in parallel.
 *   <li>{@link org.lesionlink.evaluation.Analysis}: summaries, model comparisons (one-sided Mann-Whitney U,
 *       Wilcoxon signed-rank) and challenging cases, via {@link org.lesionlink.evaluation.stats};
 *       {@link org.lesionlink.evaluation.Reports} and {@link org.lesionlink.evaluation.Plots} write them.
 * </ul>
 */
package org.lesionlink.evaluation;
