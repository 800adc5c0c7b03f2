package org.lesionlink.training.loss;

import ai.djl.ndarray.NDArray;

/**
 * nnU-Net's default loss: soft Dice plus cross-entropy, weighted 1:1.
 *
 * <ul>
 *   <li>Soft Dice per scored channel {@code k}, with {@code p} the probabilities and {@code y} the target:
 *       {@code TP = sum p y, FP = sum p (1 - y), FN = sum (1 - p) y} over the voxels of each sample (or of
 *       the whole batch with batch Dice); {@code D_k = (2 TP + s) / (2 TP + FP + FN + s)} with
 *       {@code s = 1e-5}; the Dice term is {@code 1 - mean(D)} over channels (and samples). nnU-Net uses
 *       {@code -mean(D)}; the offset changes no gradient. A channel absent from a sample and not predicted
 *       scores about 1; absent but predicted scores about 0 (as in nnU-Net, no special case).
 *   <li>Softmax (label) models: Dice over the foreground channels (background excluded, nnU-Net's
 *       {@code do_bg=False}) plus multi-class cross-entropy over all channels.
 *   <li>Sigmoid (region) models: Dice over all region channels plus binary cross-entropy per region
 *       (nnU-Net's {@code DC_and_BCE_loss} for region training).
 * </ul>
 */
public final class DiceCe implements SegmentationLoss {

    private final Output output;
    private final boolean batchDice;

    public DiceCe(Output output, boolean batchDice) {
        this.output = output;
        this.batchDice = batchDice;
    }

    @Override
    public NDArray compute(NDArray logits, NDArray target) {
        NDArray p = Terms.scoredProbabilities(logits, output);
        NDArray y = Terms.scoredTargets(target, output);
        NDArray tp = Terms.sum(p.mul(y), batchDice);
        NDArray fp = Terms.sum(p, batchDice).sub(tp);
        NDArray fn = Terms.sum(y, batchDice).sub(tp);
        NDArray dice = tp.mul(2).add(Terms.SMOOTH).div(tp.mul(2).add(fp).add(fn).add(Terms.SMOOTH));
        NDArray diceLoss = dice.mean().neg().add(1);
        NDArray ce = output == Output.SIGMOID ? Terms.bceWithLogits(logits, target, 1f) : Terms.crossEntropy(logits, target);
        return diceLoss.add(ce);
    }

    @Override
    public String id() {
        return "dice-ce";
    }
}
