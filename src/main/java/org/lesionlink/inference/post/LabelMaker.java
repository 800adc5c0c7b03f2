package org.lesionlink.inference.post;

import org.lesionlink.inference.ModelSpec;

/**
 * From network logits to the final label map of a model: argmax (softmax models) or a probability
 * threshold per region painted in region order (sigmoid models), then removal of small foreground
 * components, all as the model's {@link ModelSpec.PostProcessing} says. One place for it, so that
 * {@code segment}, {@code serve} and the search that chooses the parameters on validation cases
 * ({@code lesionlink tune-postprocessing}) produce the same labels from the same logits.
 */
public final class LabelMaker {

    private LabelMaker() {}

    /**
     * The label map of {@code logits} (one array per network output channel) on a grid of {@code dims}
     * voxels of {@code voxelMm3} mm^3 each, postprocessed with {@code post} rather than the model's own
     * (the search tries several): {@link #labels} then {@link #removeSmall}.
     */
    public static byte[] apply(ModelSpec spec, ModelSpec.PostProcessing post, float[][] logits, int[] dims, double voxelMm3) {
        byte[] out = labels(spec, post, logits, dims[0] * dims[1] * dims[2]);
        removeSmall(out, dims, post, voxelMm3);
        return out;
    }

    /** Argmax (softmax models) or each region above its threshold in {@code post}, painted in region order. */
    public static byte[] labels(ModelSpec spec, ModelSpec.PostProcessing post, float[][] logits, int n) {
        return spec.activation() == ModelSpec.Activation.SOFTMAX ? argmax(spec, logits, n) : regions(spec, post, logits, n);
    }

    /** Removes the foreground components under {@code post}'s minimum size; returns how many went. */
    public static int removeSmall(byte[] labels, int[] dims, ModelSpec.PostProcessing post, double voxelMm3) {
        return Components.removeSmall(labels, dims, post.minVoxels(voxelMm3));
    }

    /** Argmax over background and labels; ties keep the first channel, as numpy/torch argmax. */
    private static byte[] argmax(ModelSpec spec, float[][] logits, int n) {
        byte[] out = new byte[n];
        int[] value = new int[logits.length];
        for (int c = 1; c < logits.length; c++) {
            value[c] = spec.labels().get(c - 1).value();
        }
        for (int v = 0; v < n; v++) {
            int best = 0;
            float max = logits[0][v];
            for (int c = 1; c < logits.length; c++) {
                if (logits[c][v] > max) {
                    max = logits[c][v];
                    best = c;
                }
            }
            out[v] = (byte) value[best];
        }
        return out;
    }

    /** Each region where its probability exceeds its threshold, painted in region order (later wins). */
    private static byte[] regions(ModelSpec spec, ModelSpec.PostProcessing post, float[][] logits, int n) {
        byte[] out = new byte[n];
        int[] order = spec.regionClassOrder();
        for (int r = 0; r < logits.length; r++) {
            byte paint = (byte) order[r];
            double p = post.threshold(r);
            // sigmoid(l) > p  <=>  l > logit(p); 0.5 gives exactly "l > 0"
            float cut = (float) Math.log(p / (1 - p));
            float[] l = logits[r];
            for (int v = 0; v < n; v++) {
                if (l[v] > cut) {
                    out[v] = paint;
                }
            }
        }
        return out;
    }
}
