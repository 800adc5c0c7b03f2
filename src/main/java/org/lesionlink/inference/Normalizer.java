package org.lesionlink.inference;

/**
 * Per-channel intensity normalisation with nnU-Net v2's semantics ({@code ZScoreNormalization},
 * {@code CTNormalization}), applied in place to a cropped channel. Statistics are computed in double
 * precision (nnU-Net uses float32 numpy reductions; the difference is far below the 1e-4 tolerance of the
 * cross-checks). Standard deviations are population ones (ddof 0), floored at 1e-8 as in nnU-Net.
 */
public final class Normalizer {

    /** nnU-Net's floor for the standard deviation. */
    public static final double EPS = 1e-8;

    private Normalizer() {}

    /**
     * @param values one channel of the crop, normalised in place
     * @param mask the filled non-zero mask of the crop (used by {@code zscore-nonzero})
     */
    public static void apply(ModelSpec.Input input, float[] values, boolean[] mask) {
        switch (input.normalization()) {
            case NONE -> { }
            case ZSCORE -> zscore(values, null);
            case ZSCORE_NONZERO -> zscore(values, mask);
            case CT -> ct(values, input.ct());
        }
    }

    /** Z-score over the voxels of {@code mask} (all voxels when null); voxels outside the mask are kept. */
    static void zscore(float[] x, boolean[] mask) {
        double sum = 0;
        long n = 0;
        for (int v = 0; v < x.length; v++) {
            if (mask == null || mask[v]) {
                sum += x[v];
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        double mean = sum / n;
        double ss = 0;
        for (int v = 0; v < x.length; v++) {
            if (mask == null || mask[v]) {
                double d = x[v] - mean;
                ss += d * d;
            }
        }
        double std = Math.max(Math.sqrt(ss / n), EPS);
        for (int v = 0; v < x.length; v++) {
            if (mask == null || mask[v]) {
                x[v] = (float) ((x[v] - mean) / std);
            }
        }
    }

    /** Clip to the stored window, then z-score with the stored mean and std, everywhere. */
    static void ct(float[] x, ModelSpec.CtStats s) {
        double std = Math.max(s.std(), EPS);
        for (int v = 0; v < x.length; v++) {
            double c = Math.min(Math.max(x[v], s.lower()), s.upper());
            x[v] = (float) ((c - s.mean()) / std);
        }
    }
}
