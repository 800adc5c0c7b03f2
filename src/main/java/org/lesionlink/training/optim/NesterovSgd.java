package org.lesionlink.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * SGD with Nesterov momentum as PyTorch's {@code SGD(nesterov=True, dampening=0)}, which nnU-Net uses
 * (momentum 0.99, lr 1e-2, weight decay 3e-5). DJL 0.32's {@code Sgd} has plain momentum only and its
 * {@code Nag} is not implemented by the PyTorch engine, hence this class. One step, with {@code b}
 * starting at 0:
 *
 * <pre>
 * g = grad + weightDecay * w
 * b = momentum * b + g
 * w = w - lr * (g + momentum * b)
 * </pre>
 */
public final class NesterovSgd extends StatefulOptimizer {

    /** nnU-Net's defaults (seed 2: lr 1e-2, momentum 0.99; nnU-Net's trainer: weight decay 3e-5). */
    public static final float LR = 1e-2f;
    public static final float MOMENTUM = 0.99f;
    public static final float WEIGHT_DECAY = 3e-5f;

    private final float momentum;
    private final float weightDecay;

    public NesterovSgd(NDManager parent, float lr, float momentum, float weightDecay) {
        super(new Plain(), parent, lr);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    protected void apply(NDArray w, NDArray grad, NDArray[] state) {
        NDArray g = weightDecay == 0 ? grad.duplicate() : grad.add(w.mul(weightDecay));
        NDArray b = state[0];
        b.muli(momentum).addi(g);
        g.addi(b.mul(momentum));
        w.subi(g.muli(learningRate()));
    }
}
