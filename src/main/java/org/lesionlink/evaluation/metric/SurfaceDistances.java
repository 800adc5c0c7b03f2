package org.lesionlink.evaluation.metric;

import org.lesionlink.image.DistanceTransform;

import java.util.Arrays;

/**
 * Directed distances between the {@link Surface surfaces} of two non-empty masks: for every surface voxel
 * of one mask, the Euclidean distance in mm (with the grid's spacing) from its centre to the centre of
 * the nearest surface voxel of the other mask. Computed with an exact {@link DistanceTransform} on the
 * smallest box holding both masks (grown by one voxel so that box edges never create surface), which
 * gives the same distances as the whole grid because every surface voxel lies in that box.
 *
 * <p><b>Definitions.</b> {@link #hausdorff()} is the maximum over both directed sets.
 * {@link #hd95()} is the 95th percentile of each directed set, then the larger of the two (the
 * "directed, then max" convention of MONAI and of the BraTS surface-distance code); percentiles
 * interpolate linearly between order statistics, as {@code numpy.percentile}'s default does.
 *
 * @param truthToPred one distance per surface voxel of the first mask (sorted ascending)
 * @param predToTruth one distance per surface voxel of the second mask (sorted ascending)
 */
public record SurfaceDistances(double[] truthToPred, double[] predToTruth) {

    /** Both masks must be non-empty and on the same grid. */
    public static SurfaceDistances between(BinaryMask truth, BinaryMask pred) {
        truth.requireSameGrid(pred);
        Box bt = truth.boundingBox();
        Box bp = pred.boundingBox();
        if (bt == null || bp == null) {
            throw new IllegalArgumentException("surface distances need two non-empty masks (truth "
                    + (bt == null ? "empty" : "non-empty") + ", prediction " + (bp == null ? "empty" : "non-empty") + ")");
        }
        Box box = Box.union(bt, bp).grow(1, truth.nx(), truth.ny(), truth.nz());
        BinaryMask t = truth.crop(box);
        BinaryMask p = pred.crop(box);
        boolean[] st = Surface.of(t);
        boolean[] sp = Surface.of(p);
        double[] toPred = sampleAt(st, DistanceTransform.squaredToFeatures(sp, new int[] {t.nx(), t.ny(), t.nz()}, t.spacing()));
        double[] toTruth = sampleAt(sp, DistanceTransform.squaredToFeatures(st, new int[] {t.nx(), t.ny(), t.nz()}, t.spacing()));
        return new SurfaceDistances(toPred, toTruth);
    }

    private static double[] sampleAt(boolean[] where, double[] squared) {
        int n = 0;
        for (boolean w : where) {
            if (w) {
                n++;
            }
        }
        double[] out = new double[n];
        int c = 0;
        for (int i = 0; i < where.length; i++) {
            if (where[i]) {
                out[c++] = Math.sqrt(squared[i]);
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Maximum surface distance in either direction (mm). */
    public double hausdorff() {
        return Math.max(truthToPred[truthToPred.length - 1], predToTruth[predToTruth.length - 1]);
    }

    /** Larger of the two directed 95th percentiles (mm). */
    public double hd95() {
        return percentile(95);
    }

    /** Larger of the two directed {@code p}-th percentiles (mm). */
    public double percentile(double p) {
        return Math.max(Percentiles.ofSorted(truthToPred, p), Percentiles.ofSorted(predToTruth, p));
    }
}
