package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * {@link #instance()}. Built from NDArray operations, so autograd differentiates it.
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
        NDArray xg = x.reshape(n, g, -1);
        NDArray mean = xg.mean(new int[] {2}, true);
        NDArray centred = xg.sub(mean);
        NDArray var = centred.square().mean(new int[] {2}, true);
        NDArray y = centred.div(var.add(EPS).sqrt()).reshape(s);
        Shape perChannel = new Shape(1, c, 1, 1, 1);
        // Views of the parameters belong to the call's manager, not the parameters' (no growth per call).
        NDArray w = ps.getValue(gamma, x.getDevice(), training).reshape(perChannel);
        w.attach(x.getManager());
        NDArray b = ps.getValue(beta, x.getDevice(), training).reshape(perChannel);
        b.attach(x.getManager());
        return new NDList(y.mul(w).add(b));
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
