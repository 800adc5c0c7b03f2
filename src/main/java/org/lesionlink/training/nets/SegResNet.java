package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SegResNet (Myronenko 2018, as described in MONAI's documentation and seed 2), 3D, without the VAE branch:
 *
 * <ul>
 *   <li>initial 3x3x3 convolution to {@code initFilters} channels;
 *   <li>encoder stage {@code s} (width {@code initFilters * 2^s}): for {@code s > 0} a 3x3x3 convolution
 *       with stride 2, then {@code blocksDown[s]} residual blocks ({@link ResBlock}: norm-ReLU-conv
 *       -norm-ReLU-conv + identity);
 *   <li>decoder, deepest first, per stage: 1x1x1 convolution halving the width, non-trainable x2
 *       {@link Upsample} (trilinear or nearest), addition of the encoder output of the same scale, then
 *       {@code blocksUp[s]} residual blocks;
 *   <li>final norm-ReLU and 1x1x1 convolution (with bias) to the output channels.
 * </ul>
 *
 * Convolutions inside the network have no bias (they are followed by a normalisation).
 *
 * @see Config
 */
public final class SegResNet extends AbstractBlock {

    private static final byte VERSION = 1;

    /**
     * @param initFilters width of the first stage (MONAI's default 8; seed 2's paper 32)
     * @param blocksDown residual blocks per encoder stage (default 1, 2, 2, 4)
     * @param blocksUp residual blocks per decoder stage, deepest first (one fewer entries; default 1, 1, 1)
     * @param norm {@code group} or {@code instance}
     * @param groups groups of the group norm (default 8); must divide {@code initFilters}
     * @param upsample {@code trilinear} (default, MONAI's "nontrainable") or {@code nearest}
     */
    public record Config(int initFilters, int[] blocksDown, int[] blocksUp, String norm, int groups, String upsample) {
        public Config {
            if (initFilters < 1) {
                throw new IllegalArgumentException("initFilters must be >= 1, got " + initFilters);
            }
            blocksDown = blocksDown == null ? new int[] {1, 2, 2, 4} : blocksDown.clone();
            blocksUp = blocksUp == null ? ones(blocksDown.length - 1) : blocksUp.clone();
            if (blocksDown.length < 1 || blocksUp.length != blocksDown.length - 1) {
                throw new IllegalArgumentException("blocksUp needs one entry fewer than blocksDown, got "
                        + Arrays.toString(blocksDown) + " and " + Arrays.toString(blocksUp));
            }
            if (Arrays.stream(blocksDown).anyMatch(b -> b < 0) || Arrays.stream(blocksUp).anyMatch(b -> b < 0)) {
                throw new IllegalArgumentException("block counts must be >= 0");
            }
            norm = norm == null ? "group" : norm;
            Layers.Norm n = Layers.Norm.parse(norm);
            if (groups == 0) {
                groups = 8;
            }
            if (n == Layers.Norm.GROUP && (groups < 1 || initFilters % groups != 0)) {
                throw new IllegalArgumentException("group norm with " + groups + " groups needs initFilters divisible by it, got "
                        + initFilters);
            }
            upsample = upsample == null ? "trilinear" : upsample;
            Upsample.Mode.parse(upsample);
        }

        /** MONAI-like defaults with the given width: blocks (1, 2, 2, 4) / (1, 1, 1), 8 groups (fewer if the width needs), trilinear. */
        public static Config defaults(int initFilters) {
            return new Config(initFilters, null, null, "group", Math.min(8, initFilters), "trilinear");
        }

        @Override
        public int[] blocksDown() {
            return blocksDown.clone();
        }

        @Override
        public int[] blocksUp() {
            return blocksUp.clone();
        }

        private static int[] ones(int n) {
            int[] o = new int[Math.max(n, 0)];
            Arrays.fill(o, 1);
            return o;
        }
    }

    private final Config config;
    private final Block convInit;
    private final List<Block> down = new ArrayList<>();
    private final List<Block> upSample = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final Block head;

    public SegResNet(Config config, int outChannels) {
        super(VERSION);
        this.config = config;
        Layers.Norm norm = Layers.Norm.parse(config.norm());
        int g = config.groups();
        int f = config.initFilters();
        int[] bd = config.blocksDown();
        int[] bu = config.blocksUp();
        convInit = addChildBlock("convInit", Layers.conv(f, 3, 1, false));
        for (int s = 0; s < bd.length; s++) {
            int width = f << s;
            SequentialBlock stage = new SequentialBlock();
            if (s > 0) {
                stage.add(Layers.conv(width, 3, 2, false));
            }
            for (int b = 0; b < bd[s]; b++) {
                stage.add(new ResBlock(width, norm, g));
            }
            down.add(addChildBlock("down" + s, stage));
        }
        Upsample.Mode mode = Upsample.Mode.parse(config.upsample());
        for (int u = 0; u < bu.length; u++) {
            int width = f << (bd.length - 2 - u);
            upSample.add(addChildBlock("upsample" + u, Layers.sequence(Layers.conv(width, 1, 1, false), new Upsample(mode))));
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < bu[u]; b++) {
                stage.add(new ResBlock(width, norm, g));
            }
            up.add(addChildBlock("up" + u, stage));
        }
        head = addChildBlock("head", Layers.sequence(Layers.norm(norm, g), Layers.relu(), Layers.conv(outChannels, 1, 1, true)));
    }

    public Config config() {
        return config;
    }

    /** Patch sizes must be multiples of this along every axis. */
    public int divisor() {
        return 1 << (config.blocksDown().length - 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = Layers.init(convInit, manager, dataType, inputShapes[0]);
        for (Block stage : down) {
            x = Layers.init(stage, manager, dataType, x); // the skip additions keep the shape
        }
        for (int u = 0; u < up.size(); u++) {
            x = Layers.init(upSample.get(u), manager, dataType, x);
            x = Layers.init(up.get(u), manager, dataType, x);
        }
        Layers.init(head, manager, dataType, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = convInit.forward(ps, inputs, training).singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (Block stage : down) {
            x = stage.forward(ps, new NDList(x), training).singletonOrThrow();
            skips.add(x);
        }
        for (int u = 0; u < up.size(); u++) {
            x = upSample.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
            x = x.add(skips.get(down.size() - 2 - u));
            x = up.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return head.getOutputShapes(new Shape[] {new Shape(s.get(0), config.initFilters(), s.get(2), s.get(3), s.get(4))});
    }
}
