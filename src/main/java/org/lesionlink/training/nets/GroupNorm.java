package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation of a {@code (N, C, D, H, W)} tensor (Wu and He 2018), which DJL 0.32 does not have:
 * the channels are split into {@code groups} groups of {@code C / groups} channels, and each sample's
 * group is normalised to mean 0 and variance 1 over its channels and voxels,
 * {@code y = (x - mean) / sqrt(var + eps) * gamma_c + beta_c}, with the biased variance (divide by the
 * count) and a learnt scale {@code gamma} (initially 1) and shift {@code beta} (initially 0) per channel.
 *
 * <p>Instance normalisation (nnU-Net's default) is the special case of one group per channel:
 * {@link #instance()}. Computed by PyTorch's fused batch-norm kernel (training mode, batch statistics) on
 * a {@code (1, N * groups, C / groups * D, H, W)} view, which autograd differentiates; the composed
 * mean/variance version it replaced was several times slower on the CPU.
 */
public final class GroupNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    /** PyTorch's and MONAI's default epsilon for group and instance norm. */
    public static final float EPS = 1e-5f;

    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    private GroupNorm(int groups) {
        super(VERSION);
        this.groups = groups;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    /** Group norm with {@code groups} groups; the channel count must be a multiple of it. */
    public static GroupNorm of(int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        return new GroupNorm(groups);
    }

    /** Instance norm: one group per channel. */
    public static GroupNorm instance() {
        return new GroupNorm(-1);
    }

    /** The number of groups for {@code channels} channels. */
    int groupsFor(long channels) {
        int g = groups < 0 ? (int) channels : groups;
        if (channels % g != 0) {
            throw new IllegalArgumentException("group norm: " + channels + " channels cannot be split into " + g
                    + " groups");
        }
        return g;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long c = inputShapes[0].get(1);
        groupsFor(c);
        gamma.setShape(new Shape(c));
        beta.setShape(new Shape(c));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        int g = groupsFor(c);
        NDManager m = x.getManager();
        // Views of the parameters belong to the call's manager, not the parameters' (no growth per call).
        NDArray w = ps.getValue(gamma, x.getDevice(), training);
        NDArray b = ps.getValue(beta, x.getDevice(), training);
        long rows = n * g;
        // PyTorch's fused batch-norm kernel in training mode normalises each channel of a (1, rows, ...)
        // tensor with its own biased statistics: group norm with one "channel" per (sample, group).
        // The running statistics it updates are scratch arrays of this call.
        NDArray mean0 = m.zeros(new Shape(rows), x.getDataType(), x.getDevice());
        NDArray var0 = m.ones(new Shape(rows), x.getDataType(), x.getDevice());
        NDArray xr = x.reshape(1, rows, (c / g) * s.get(2), s.get(3), s.get(4));
        NDArray y;
        if (g == c) {
            // Instance norm: the per-channel affine is the kernel's own, tiled over the samples.
            NDArray wt = n == 1 ? w.reshape(rows) : w.tile(n);
            NDArray bt = n == 1 ? b.reshape(rows) : b.tile(n);
            wt.attach(m);
            bt.attach(m);
            y = x.getNDArrayInternal().batchNorm(xr, mean0, var0, wt, bt, -1, 0.1f, EPS, true).singletonOrThrow().reshape(s);
        } else {
            NDArray one = m.ones(new Shape(rows), x.getDataType(), x.getDevice());
            NDArray zero = m.zeros(new Shape(rows), x.getDataType(), x.getDevice());
            Shape perChannel = new Shape(1, c, 1, 1, 1);
            NDArray wc = w.reshape(perChannel);
            wc.attach(m);
            NDArray bc = b.reshape(perChannel);
            bc.attach(m);
            y = x.getNDArrayInternal().batchNorm(xr, mean0, var0, one, zero, -1, 0.1f, EPS, true).singletonOrThrow()
                    .reshape(s).mul(wc).add(bc);
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return groups < 0 ? "InstanceNorm()" : "GroupNorm(" + groups + ")";
    }
}
