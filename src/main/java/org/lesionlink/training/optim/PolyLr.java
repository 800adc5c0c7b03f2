package org.lesionlink.training.optim;

/**
 * nnU-Net's polynomial learning-rate decay, stepped once per epoch:
 * {@code lr(epoch) = lr0 * (1 - epoch / maxEpochs)^0.9}.
 */
public record PolyLr(float initial, int maxEpochs, double exponent) {

    public static final double EXPONENT = 0.9;

    public PolyLr {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be >= 1, got " + maxEpochs);
        }
    }

    public PolyLr(float initial, int maxEpochs) {
        this(initial, maxEpochs, EXPONENT);
    }

    /** The rate for 0-based {@code epoch}. */
    public float at(int epoch) {
        return (float) (initial * Math.pow(1 - (double) Math.min(epoch, maxEpochs) / maxEpochs, exponent));
    }
}
