package org.lesionlink.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.lesionlink.evaluation.metric.BinaryMask;
import org.lesionlink.evaluation.metric.LesionWise;
import org.lesionlink.evaluation.metric.MaskMetrics;
import org.lesionlink.image.Volume;

/**
 * Evaluates one predicted label map against the truth: every {@link Metric} for every {@link Region}.
 *
 * @param regions regions to evaluate, in report order
 * @param lesionParams lesion-wise parameters (BraTS-METS 2023 by default); its penalty is also the HD
 *     of a region that is empty on exactly one side
 */
public record CaseEvaluator(List<Region> regions, LesionWise.Params lesionParams) {

    public CaseEvaluator {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("no regions to evaluate");
        }
    }

    public static CaseEvaluator of(Task task) {
        return new CaseEvaluator(task.regions(), LesionWise.Params.BRATS_METS_2023);
    }

    /** The rows of one case and model; the volumes must lie on the same grid (checked by the caller). */
    public List<Row> evaluate(String caseId, String model, Volume truth, Volume pred) {
        List<Row> rows = new ArrayList<>();
        for (Region r : regions) {
            MaskMetrics m = MaskMetrics.of(BinaryMask.ofLabels(truth, r.labels()), BinaryMask.ofLabels(pred, r.labels()), lesionParams);
            for (Metric metric : Metric.values()) {
                rows.add(new Row(caseId, model, r.name(), metric, metric.of(m)));
            }
        }
        return rows;
    }
}
