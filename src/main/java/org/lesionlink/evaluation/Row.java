package org.lesionlink.evaluation;

/** One value of {@code cases.csv}: a metric of one region of one case as segmented by one model. */
public record Row(String caseId, String model, String region, Metric metric, double value) {
}
