package org.lesionlink.evaluation.metric;

/**
 * Lesion-wise Dice and HD95 as the BraTS 2023 challenges define them ({@code rachitsaluja/BraTS-2023-Metrics},
 * {@code get_lesion_wise_score} / {@code get_lesion_wise_results}), with the BraTS-METS parameters by default.
 *
 * <ol>
 *   <li><b>Truth lesions.</b> The truth mask is dilated {@code dilation} times with the 18-neighbourhood
 *       ({@link Morphology#dilate18}); truth voxels lying in the same 26-connected component of the dilated
 *       mask form one lesion. (BraTS first labels the truth with 26-connectivity and merges the components
 *       that share a dilated component; the resulting lesions are the same voxel sets.)
 *   <li><b>Predicted lesions.</b> 26-connected components of the prediction, not merged, not filtered.
 *   <li><b>Matching.</b> Each truth lesion is dilated {@code dilation} times again; every predicted
 *       component touching the dilated lesion is matched to it (a component may match several lesions).
 *       The lesion's Dice and HD95 are those of the undilated lesion against the union of its matched
 *       components; a lesion without a match is a false negative with Dice 0 and HD95
 *       {@code penaltyMm} (BraTS: infinity, replaced by 374).
 *   <li><b>Small truth lesions.</b> Lesions of at most {@code smallLesionVoxels} voxels are left out of
 *       every count and sum, matched or not; components matched only to them are not false positives.
 *       (BraTS compares the lesion volume in mm^3 with 2; at its 1 mm isotropic spacing that is voxels.)
 *   <li><b>False positives.</b> Predicted components matched to no truth lesion, whatever their size;
 *       each adds Dice 0 and HD95 {@code penaltyMm}.
 *   <li><b>Per case.</b> {@code dice = sum(lesion Dice) / (nTruth + nFP)},
 *       {@code hd95 = (sum(lesion HD95) + nFP * penalty) / (nTruth + nFP)}, nTruth counting lesions above
 *       the size threshold; when the denominator is 0 (no lesion, no false positive) Dice is 1 and HD95 0.
 * </ol>
 *
 * <p>Differences from the BraTS tool, on purpose: HD95 per lesion is this package's
 * {@link SurfaceDistances#hd95()} (surface voxels, unweighted percentiles), whereas BraTS uses the
 * DeepMind {@code surface-distance} package (surfel-area-weighted percentiles on a surface of voxel
 * faces), so single lesion HD95 values differ by up to about a voxel; the matching, penalties and sums
 * are the same.
 *
 * <p>Detection by lesion size: each counted truth lesion has an equivalent diameter
 * {@code (6 V / pi)^(1/3)} from its volume V in mm^3, and falls in the bucket below 5 mm, 5 to 10 mm
 * (both inclusive) or above 10 mm; the bucket's detection sensitivity is its matched lesions over its
 * lesions (NaN when it has none).
 */
public final class LesionWise {

    /** Parameters; {@link #BRATS_METS_2023} are the challenge's values for metastases. */
    public record Params(int dilation, int smallLesionVoxels, double penaltyMm) {
        public static final Params BRATS_METS_2023 = new Params(1, 2, 374);

        public Params {
            if (dilation < 0 || smallLesionVoxels < 0 || !(penaltyMm >= 0)) {
                throw new IllegalArgumentException("bad lesion-wise parameters: dilation " + dilation
                        + ", small lesion voxels " + smallLesionVoxels + ", penalty " + penaltyMm);
            }
        }
    }

    /** Equivalent-diameter buckets for detection sensitivity, in mm. */
    public static final double SMALL_MM = 5;
    public static final double LARGE_MM = 10;

    /**
     * Per-case lesion-wise result.
     *
     * @param dice lesion-wise Dice
     * @param hd95 lesion-wise HD95 in mm
     * @param truePositives counted truth lesions with a match
     * @param falseNegatives counted truth lesions without a match
     * @param falsePositives predicted components matched to no truth lesion
     * @param truthLesions counted truth lesions (above the size threshold)
     * @param predictedLesions all 26-connected predicted components
     * @param bucketLesions counted truth lesions per size bucket (below 5 mm, 5-10 mm, above 10 mm)
     * @param bucketDetected matched ones among them
     * @param lesions one row per counted truth lesion
     */
    public record Result(double dice, double hd95, int truePositives, int falseNegatives, int falsePositives,
                         int truthLesions, int predictedLesions, int[] bucketLesions, int[] bucketDetected,
                         Lesion[] lesions) {

        /** Detection sensitivity in size bucket 0, 1 or 2; NaN when the bucket holds no lesion. */
        public double bucketSensitivity(int bucket) {
            return bucketLesions[bucket] == 0 ? Double.NaN : (double) bucketDetected[bucket] / bucketLesions[bucket];
        }
    }

    /** One counted truth lesion. */
    public record Lesion(int voxels, double volumeMm3, double diameterMm, int matchedComponents, double dice, double hd95) {
    }

    private LesionWise() {
    }

    public static Result evaluate(BinaryMask truth, BinaryMask pred, Params params) {
        truth.requireSameGrid(pred);
        Box all = Box.union(truth.boundingBox(), pred.boundingBox());
        if (all == null) {
            return new Result(1, 0, 0, 0, 0, 0, 0, new int[3], new int[3], new Lesion[0]);
        }
        // Everything happens in a box around both masks, grown so that dilation and surfaces are unaffected.
        Box crop = all.grow(params.dilation() + 1, truth.nx(), truth.ny(), truth.nz());
        BinaryMask t = truth.crop(crop);
        BinaryMask p = pred.crop(crop);
        Components lesions = Components.label26(mergedTruth(t, params.dilation()));
        Components comps = Components.label26(p);
        int[] lesionOf = lesions.labels();
        boolean[] tv = t.voxels();

        boolean[] matched = new boolean[comps.count() + 1];
        int[] bucketLesions = new int[3];
        int[] bucketDetected = new int[3];
        java.util.List<Lesion> rows = new java.util.ArrayList<>();
        double diceSum = 0;
        double hdSum = 0;
        int tp = 0;
        int fn = 0;
        for (int l = 1; l <= lesions.count(); l++) {
            Box lb = lesions.boxes()[l];
            // Truth voxels of this lesion (the dilated component minus the dilation ring).
            BinaryMask lesion = select(t, lb.grow(params.dilation() + 1, t.nx(), t.ny(), t.nz()), lesionOf, l, tv);
            int voxels = (int) lesion.count();
            Box region = lb.grow(params.dilation() + 1, t.nx(), t.ny(), t.nz());
            int[] hits = touchingComponents(lesion, region, comps.labels(), t, params.dilation());
            for (int c : hits) {
                matched[c] = true;
            }
            if (voxels <= params.smallLesionVoxels()) {
                continue;
            }
            double volume = voxels * t.voxelVolumeMm3();
            double diameter = Math.cbrt(6 * volume / Math.PI);
            int bucket = diameter < SMALL_MM ? 0 : diameter <= LARGE_MM ? 1 : 2;
            bucketLesions[bucket]++;
            double dice;
            double hd95;
            if (hits.length == 0) {
                fn++;
                dice = 0;
                hd95 = params.penaltyMm();
            } else {
                tp++;
                bucketDetected[bucket]++;
                Box box = lb;
                for (int c : hits) {
                    box = Box.union(box, comps.boxes()[c]);
                }
                box = box.grow(1, t.nx(), t.ny(), t.nz());
                BinaryMask lm = select(t, box, lesionOf, l, tv);
                BinaryMask pm = selectComponents(t, box, comps.labels(), hits);
                dice = Overlap.of(lm, pm).dice();
                hd95 = SurfaceDistances.between(lm, pm).hd95();
            }
            diceSum += dice;
            hdSum += hd95;
            rows.add(new Lesion(voxels, volume, diameter, hits.length, dice, hd95));
        }
        int fp = 0;
        for (int c = 1; c <= comps.count(); c++) {
            if (!matched[c]) {
                fp++;
            }
        }
        int counted = tp + fn;
        double dice;
        double hd95;
        if (counted + fp == 0) {
            dice = 1;
            hd95 = 0;
        } else {
            dice = diceSum / (counted + fp);
            hd95 = (hdSum + fp * params.penaltyMm()) / (counted + fp);
        }
        return new Result(dice, hd95, tp, fn, fp, counted, comps.count(), bucketLesions, bucketDetected,
                rows.toArray(new Lesion[0]));
    }

    /** Truth voxels labelled by the components of the dilated truth: lesion l = truth voxels in component l. */
    private static BinaryMask mergedTruth(BinaryMask t, int dilation) {
        return Morphology.dilate18(t, dilation);
    }

    /** The truth voxels of lesion {@code l} inside {@code box}, as a mask cropped to that box. */
    private static BinaryMask select(BinaryMask t, Box box, int[] lesionOf, int l, boolean[] tv) {
        int cx = box.sizeX();
        int cy = box.sizeY();
        int cz = box.sizeZ();
        boolean[] out = new boolean[cx * cy * cz];
        int o = 0;
        for (int k = 0; k < cz; k++) {
            for (int j = 0; j < cy; j++) {
                int src = t.index(box.x0(), box.y0() + j, box.z0() + k);
                for (int i = 0; i < cx; i++, o++) {
                    out[o] = tv[src + i] && lesionOf[src + i] == l;
                }
            }
        }
        return new BinaryMask(cx, cy, cz, t.spacing(), out);
    }

    /** Voxels of the given predicted components inside {@code box}, as a mask cropped to that box. */
    private static BinaryMask selectComponents(BinaryMask t, Box box, int[] compOf, int[] comps) {
        int max = 0;
        for (int c : comps) {
            max = Math.max(max, c);
        }
        boolean[] want = new boolean[max + 1];
        for (int c : comps) {
            want[c] = true;
        }
        int cx = box.sizeX();
        int cy = box.sizeY();
        int cz = box.sizeZ();
        boolean[] out = new boolean[cx * cy * cz];
        int o = 0;
        for (int k = 0; k < cz; k++) {
            for (int j = 0; j < cy; j++) {
                int src = t.index(box.x0(), box.y0() + j, box.z0() + k);
                for (int i = 0; i < cx; i++, o++) {
                    int c = compOf[src + i];
                    out[o] = c != 0 && c <= max && want[c];
                }
            }
        }
        return new BinaryMask(cx, cy, cz, t.spacing(), out);
    }

    /** Predicted component labels found under the lesion dilated {@code dilation} times (lesion is cropped to region). */
    private static int[] touchingComponents(BinaryMask lesion, Box region, int[] compOf, BinaryMask grid, int dilation) {
        BinaryMask dilated = Morphology.dilate18(lesion, dilation);
        boolean[] d = dilated.voxels();
        java.util.TreeSet<Integer> found = new java.util.TreeSet<>();
        int o = 0;
        for (int k = 0; k < region.sizeZ(); k++) {
            for (int j = 0; j < region.sizeY(); j++) {
                int src = grid.index(region.x0(), region.y0() + j, region.z0() + k);
                for (int i = 0; i < region.sizeX(); i++, o++) {
                    if (d[o] && compOf[src + i] != 0) {
                        found.add(compOf[src + i]);
                    }
                }
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }
}
