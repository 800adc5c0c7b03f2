package org.lesionlink.evaluation.metric;

/**
 * All voxel-level and lesion-wise metrics of one prediction mask against one truth mask.
 *
 * <p><b>Empty masks.</b> Both empty: Dice 1, HD and HD95 0 (perfect agreement). Exactly one empty: Dice
 * 0 and HD = HD95 = {@link LesionWise.Params#penaltyMm()} (374 mm by default, the BraTS-METS value for
 * an infinite distance), so that a missed or hallucinated structure weighs in the averages instead of
 * dropping out of them as a NaN would. Sensitivity and specificity are NaN when undefined
 * ({@link Overlap}).
 *
 * @param overlap voxel counts, Dice, sensitivity, specificity
 * @param hausdorff maximum symmetric surface distance, mm
 * @param hd95 larger of the two directed 95th-percentile surface distances, mm
 * @param volumeTrueMl truth volume in millilitres (cm^3)
 * @param volumePredMl predicted volume in millilitres
 * @param lesions lesion-wise (BraTS-METS) metrics
 */
public record MaskMetrics(Overlap overlap, double hausdorff, double hd95, double volumeTrueMl, double volumePredMl,
                          LesionWise.Result lesions) {

    public static MaskMetrics of(BinaryMask truth, BinaryMask pred, LesionWise.Params params) {
        Overlap o = Overlap.of(truth, pred);
        double hd;
        double hd95;
        boolean truthEmpty = o.truthVoxels() == 0;
        boolean predEmpty = o.predictedVoxels() == 0;
        if (truthEmpty && predEmpty) {
            hd = 0;
            hd95 = 0;
        } else if (truthEmpty || predEmpty) {
            hd = params.penaltyMm();
            hd95 = params.penaltyMm();
        } else {
            SurfaceDistances sd = SurfaceDistances.between(truth, pred);
            hd = sd.hausdorff();
            hd95 = sd.hd95();
        }
        double ml = truth.voxelVolumeMm3() / 1000.0;
        return new MaskMetrics(o, hd, hd95, o.truthVoxels() * ml, o.predictedVoxels() * ml,
                LesionWise.evaluate(truth, pred, params));
    }
}
