/**
 * Transfer-learning studies as one command ({@code lesionlink study}), after seed 2: fine-tune a pretrained
 * model and train the same network from scratch on local cases, for each configured loss, with k-fold
 * cross-validation; segment the local test cases with each fold ensemble; evaluate; and compare
 * fine-tuned against scratch the way the paper does (per-region mean Dice, HD95, HD, sensitivity and
 * specificity with 95% CIs, one-sided Mann-Whitney U, challenging cases).
 *
 * <ul>
 *   <li>{@link org.lesionlink.study.StudyConfig}: what to run.
 *   <li>{@link org.lesionlink.study.Study}: the steps, each resumable (training resumes from checkpoints,
 *       existing predictions are kept).
 *   <li>{@link org.lesionlink.study.StudyReport}: {@code study.md}, {@code study.csv}, {@code study.json}.
 * </ul>
 *
 * Training goes through {@link org.lesionlink.training}, segmentation through
 * {@link org.lesionlink.inference}, statistics through {@link org.lesionlink.evaluation}; nothing here
 * touches DJL.
 */
package org.lesionlink.study;
