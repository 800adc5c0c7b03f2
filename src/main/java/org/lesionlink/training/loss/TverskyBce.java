package org.lesionlink.training.loss;

import ai.djl.ndarray.NDArray;

/**
 * Seed 2's TverskyBCE: Tversky loss plus binary cross-entropy with a positive-class weight, combined 1:1.
 *
 * <ul>
 *   <li>Tversky index per scored channel: {@code TI = (TP + s) / (TP + alpha FP + beta FN + s)} with
 *       {@code TP, FP, FN} as in {@link DiceCe}, {@code alpha = 0.3}, {@code beta = 0.7} (false negatives
 *       cost more: recall over precision) and {@code s = 1e-5} (keeps an empty channel defined); the
 *       Tversky term is {@code 1 - mean(TI)}.
 *   <li>BCE with {@code pos_weight = 10}: {@code -(10 y log p + (1 - y) log(1 - p))}, averaged over voxels
 *       and channels.
 *   <li>Sigmoid (region) models: both terms over every region channel, BCE on the logits (as PyTorch's
 *       {@code BCEWithLogitsLoss(pos_weight=10)}).
 *   <li>Softmax (label) models: both terms over the foreground channels only, on the softmax
 *       probabilities (one-vs-rest BCE per lesion class; {@code 1 - p} floored at 1e-7 before the log).
 *       Seed 2 used the loss with nnU-Net's region-free setup; this reading for softmax outputs is ours.
 * </ul>
 */
public final class TverskyBce implements SegmentationLoss {

    public static final float ALPHA = 0.3f;
    public static final float BETA = 0.7f;
    public static final float POS_WEIGHT = 10f;

    private final Output output;
    private final float alpha;
    private final float beta;
    private final float posWeight;
    private final boolean batch;

    public TverskyBce(Output output, float alpha, float beta, float posWeight, boolean batch) {
        this.output = output;
        this.alpha = alpha;
        this.beta = beta;
        this.posWeight = posWeight;
        this.batch = batch;
    }

    @Override
    public NDArray compute(NDArray logits, NDArray target) {
        NDArray p = Terms.scoredProbabilities(logits, output);
        NDArray y = Terms.scoredTargets(target, output);
        NDArray tp = Terms.sum(p.mul(y), batch);
        NDArray fp = Terms.sum(p, batch).sub(tp);
        NDArray fn = Terms.sum(y, batch).sub(tp);
        NDArray ti = tp.add(Terms.SMOOTH).div(tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(Terms.SMOOTH));
        NDArray tversky = ti.mean().neg().add(1);
        NDArray bce = output == Output.SIGMOID
                ? Terms.bceWithLogits(logits, target, posWeight)
                : Terms.bceOnSoftmax(logits, target, posWeight);
        return tversky.add(bce);
    }

    @Override
    public String id() {
        return "tversky-bce";
    }
}
