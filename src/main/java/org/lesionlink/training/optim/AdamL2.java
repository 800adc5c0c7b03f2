package org.lesionlink.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adam with L2 weight decay added to the gradient, as PyTorch's {@code Adam(weight_decay=...)} (not
 * AdamW), which MONAI's SegResNet recipes use; seed 2: lr 1e-4, weight decay 1e-5. Betas 0.9, 0.999,
 * epsilon 1e-8. Step {@code t} (1-based):
 *
 * <pre>
 * g = grad + weightDecay * w
 * m = beta1 m + (1 - beta1) g
 * v = beta2 v + (1 - beta2) g^2
 * w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 */
public final class AdamL2 extends StatefulOptimizer {

    public static final float LR = 1e-4f;
    public static final float WEIGHT_DECAY = 1e-5f;
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;

    private final float weightDecay;

    public AdamL2(NDManager parent, float lr, float weightDecay) {
        super(new Plain(), parent, lr);
        this.weightDecay = weightDecay;
    }

    @Override
    protected int slots() {
        return 2;
    }

    @Override
    protected void apply(NDArray w, NDArray grad, NDArray[] state) {
        long t = steps();
        NDArray g = weightDecay == 0 ? grad : grad.add(w.mul(weightDecay));
        NDArray m = state[0];
        NDArray v = state[1];
        m.muli(BETA1).addi(g.mul(1 - BETA1));
        v.muli(BETA2).addi(g.square().muli(1 - BETA2));
        double bc1 = 1 - Math.pow(BETA1, t);
        double bc2 = 1 - Math.pow(BETA2, t);
        NDArray denom = v.div((float) bc2).sqrt().add(EPS);
        w.subi(m.div(denom).muli((float) (learningRate() / bc1)));
    }
}
