package org.lesionlink.evaluation.metric;

/**
 * Voxel counts of a prediction against the truth over the whole grid, and the overlap metrics built
 * from them.
 *
 * <ul>
 *   <li>Dice = 2 TP / (2 TP + FP + FN); <b>1 when both masks are empty</b> (nothing to find, nothing
 *       found: perfect agreement, as BraTS scores it).
 *   <li>Sensitivity = TP / (TP + FN); NaN when the truth is empty (undefined).
 *   <li>Specificity = TN / (TN + FP); NaN when the truth covers the whole grid (undefined).
 * </ul>
 */
public record Overlap(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

    public static Overlap of(BinaryMask truth, BinaryMask pred) {
        truth.requireSameGrid(pred);
        boolean[] t = truth.voxels();
        boolean[] p = pred.voxels();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i]) {
                if (p[i]) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (p[i]) {
                fp++;
            }
        }
        return new Overlap(tp, fp, fn, t.length - tp - fp - fn);
    }

    public long truthVoxels() {
        return truePositives + falseNegatives;
    }

    public long predictedVoxels() {
        return truePositives + falsePositives;
    }

    public double dice() {
        long denom = 2 * truePositives + falsePositives + falseNegatives;
        return denom == 0 ? 1.0 : 2.0 * truePositives / denom;
    }

    public double sensitivity() {
        long denom = truePositives + falseNegatives;
        return denom == 0 ? Double.NaN : (double) truePositives / denom;
    }

    public double specificity() {
        long denom = trueNegatives + falsePositives;
        return denom == 0 ? Double.NaN : (double) trueNegatives / denom;
    }
}
