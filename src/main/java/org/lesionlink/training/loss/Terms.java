package org.lesionlink.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The pieces the losses share. All sums are per sample and channel, or over the batch too (batch Dice). */
final class Terms {

    /** nnU-Net's smoothing term of the soft Dice; also used for Tversky. */
    static final float SMOOTH = 1e-5f;

    /** Floor of {@code 1 - p} before its logarithm in the softmax one-vs-rest BCE. */
    static final float LOG_FLOOR = 1e-7f;

    private Terms() {}

    /** Sum over the spatial axes (and the batch when {@code batch}); shape (N, K) or (1, K). */
    static NDArray sum(NDArray x, boolean batch) {
        return batch ? x.sum(new int[] {0, 2, 3, 4}) : x.sum(new int[] {2, 3, 4});
    }

    /** Probabilities of the channels that are scored by the overlap terms: all (sigmoid) or foreground (softmax). */
    static NDArray scoredProbabilities(NDArray logits, SegmentationLoss.Output output) {
        if (output == SegmentationLoss.Output.SIGMOID) {
            return Activation.sigmoid(logits);
        }
        return foreground(logits.softmax(1));
    }

    static NDArray scoredTargets(NDArray target, SegmentationLoss.Output output) {
        return output == SegmentationLoss.Output.SIGMOID ? target : foreground(target);
    }

    static NDArray foreground(NDArray x) {
        return x.get(":, 1:");
    }

    /**
     * Binary cross-entropy on logits with a weight on the positive term, averaged over all elements:
     * {@code posWeight * y * softplus(-x) + (1 - y) * softplus(x)}, i.e.
     * {@code -(posWeight y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))} (PyTorch's
     * {@code BCEWithLogitsLoss(pos_weight)}).
     */
    static NDArray bceWithLogits(NDArray logits, NDArray y, float posWeight) {
        NDArray pos = y.mul(Activation.softPlus(logits.neg())).mul(posWeight);
        NDArray neg = y.neg().add(1).mul(Activation.softPlus(logits));
        return pos.add(neg).mean();
    }

    /**
     * One-vs-rest binary cross-entropy on softmax probabilities of the foreground channels, averaged over
     * all their elements: {@code -(posWeight y log p + (1 - y) log max(1 - p, 1e-7))} with {@code log p}
     * from log-softmax.
     */
    static NDArray bceOnSoftmax(NDArray logits, NDArray target, float posWeight) {
        NDArray logP = foreground(logits.logSoftmax(1));
        NDArray p = foreground(logits.softmax(1));
        NDArray y = foreground(target);
        NDArray pos = y.mul(logP).mul(posWeight);
        NDArray neg = y.neg().add(1).mul(p.neg().add(1).maximum(LOG_FLOOR).log());
        return pos.add(neg).mean().neg();
    }

    /** Multi-class cross-entropy on logits with a one-hot target, averaged over voxels and samples. */
    static NDArray crossEntropy(NDArray logits, NDArray target) {
        return target.mul(logits.logSoftmax(1)).sum(new int[] {1}).mean().neg();
    }
}
