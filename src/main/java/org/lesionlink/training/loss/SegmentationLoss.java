package org.lesionlink.training.loss;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * A training loss on network logits {@code (N, K, D, H, W)} and a float target of the same shape:
 * for {@link Output#SIGMOID} one binary mask per region (BraTS: WT, TC, ET; overlapping), for
 * {@link Output#SOFTMAX} a one-hot map with background as channel 0. Returns a scalar.
 */
public interface SegmentationLoss {

    /** How the network's channels are read. */
    enum Output {
        /** Independent sigmoid per channel (region models). */
        SIGMOID,
        /** Softmax over channels, channel 0 background (label models). */
        SOFTMAX
    }

    NDArray compute(NDArray logits, NDArray target);

    /** A short name, as on the command line. */
    String id();

    /** The losses by command-line name: {@code dice-ce} or {@code tversky-bce}, with seed 2's settings. */
    static SegmentationLoss of(String id, Output output, boolean batchDice) {
        return switch (id.toLowerCase(Locale.ROOT)) {
            case "dice-ce" -> new DiceCe(output, batchDice);
            case "tversky-bce" -> new TverskyBce(output, TverskyBce.ALPHA, TverskyBce.BETA, TverskyBce.POS_WEIGHT, batchDice);
            default -> throw new IllegalArgumentException("unknown loss '" + id + "' (expected dice-ce or tversky-bce)");
        };
    }
}
