package org.lesionlink.evaluation;

import java.util.function.ToDoubleFunction;
import org.lesionlink.evaluation.metric.LesionWise;
import org.lesionlink.evaluation.metric.MaskMetrics;

/**
 * The metrics reported per case, model and region, with their names in {@code cases.csv} and which
 * direction is better (which decides the one-sided alternative of the model comparisons).
 */
public enum Metric {
    DICE("dice", Direction.HIGHER, m -> m.overlap().dice()),
    HD("hd", Direction.LOWER, MaskMetrics::hausdorff),
    HD95("hd95", Direction.LOWER, MaskMetrics::hd95),
    SENSITIVITY("sensitivity", Direction.HIGHER, m -> m.overlap().sensitivity()),
    SPECIFICITY("specificity", Direction.HIGHER, m -> m.overlap().specificity()),
    VOLUME_TRUE_ML("volume_true_ml", Direction.NONE, MaskMetrics::volumeTrueMl),
    VOLUME_PRED_ML("volume_pred_ml", Direction.NONE, MaskMetrics::volumePredMl),
    LESION_DICE("lesion_dice", Direction.HIGHER, m -> m.lesions().dice()),
    LESION_HD95("lesion_hd95", Direction.LOWER, m -> m.lesions().hd95()),
    LESION_TP("lesion_tp", Direction.HIGHER, m -> m.lesions().truePositives()),
    LESION_FP("lesion_fp", Direction.LOWER, m -> m.lesions().falsePositives()),
    LESION_FN("lesion_fn", Direction.LOWER, m -> m.lesions().falseNegatives()),
    LESION_COUNT_TRUE("lesion_count_true", Direction.NONE, m -> m.lesions().truthLesions()),
    LESION_COUNT_PRED("lesion_count_pred", Direction.NONE, m -> m.lesions().predictedLesions()),
    LESION_SENSITIVITY_LT5MM("lesion_sensitivity_lt5mm", Direction.HIGHER, m -> m.lesions().bucketSensitivity(0)),
    LESION_SENSITIVITY_5TO10MM("lesion_sensitivity_5to10mm", Direction.HIGHER, m -> m.lesions().bucketSensitivity(1)),
    LESION_SENSITIVITY_GT10MM("lesion_sensitivity_gt10mm", Direction.HIGHER, m -> m.lesions().bucketSensitivity(2));

    /** Which values are better; NONE for descriptive quantities such as volumes. */
    public enum Direction { HIGHER, LOWER, NONE }

    private final String id;
    private final Direction direction;
    private final ToDoubleFunction<MaskMetrics> extract;

    Metric(String id, Direction direction, ToDoubleFunction<MaskMetrics> extract) {
        this.id = id;
        this.direction = direction;
        this.extract = extract;
    }

    /** Name in the reports. */
    public String id() {
        return id;
    }

    public Direction direction() {
        return direction;
    }

    public double of(MaskMetrics m) {
        return extract.applyAsDouble(m);
    }

    /** Whether the value depends only on the truth (the same for every model), so comparing models on it is void. */
    public boolean truthOnly() {
        return this == VOLUME_TRUE_ML || this == LESION_COUNT_TRUE;
    }

    static {
        // keep the bucket edges in the names honest
        if (LesionWise.SMALL_MM != 5 || LesionWise.LARGE_MM != 10) {
            throw new AssertionError("lesion size bucket names assume 5 and 10 mm");
        }
    }
}
