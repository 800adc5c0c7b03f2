package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain U-Net in the style of nnU-Net's default 3D network:
 *
 * <ul>
 *   <li>encoder stage {@code s} (width {@code min(initFilters * 2^s, maxFilters)}): two
 *       conv3x3x3-norm-leakyReLU(0.01) layers, the first with stride 2 for {@code s > 0};
 *   <li>decoder, deepest first: {@link TransposedConv} (kernel 2, stride 2) to the width of the stage
 *       below, concatenation with that stage's encoder output (skip first, then the upsampled features, on
 *       the channel axis), two conv-norm-leakyReLU layers;
 *   <li>final 1x1x1 convolution to the output channels.
 * </ul>
 *
 * Convolutions have a bias and the norm is instance norm by default, as in nnU-Net. There is no deep
 * supervision (nnU-Net adds auxiliary outputs at lower resolutions during training).
 */
public final class UNet extends AbstractBlock {

    private static final byte VERSION = 1;

    /**
     * @param stages resolution stages including the first (nnU-Net: 5 or 6 for 3D full resolution)
     * @param initFilters width of the first stage (nnU-Net: 32)
     * @param maxFilters width cap (nnU-Net 3D: 320)
     * @param norm {@code instance} (default) or {@code group}
     * @param groups groups when {@code norm} is group
     */
    public record Config(int stages, int initFilters, int maxFilters, String norm, int groups) {
        public Config {
            if (stages < 1 || stages > 8) {
                throw new IllegalArgumentException("stages must be in 1..8, got " + stages);
            }
            if (initFilters < 1) {
                throw new IllegalArgumentException("initFilters must be >= 1, got " + initFilters);
            }
            if (maxFilters == 0) {
                maxFilters = 320;
            }
            if (maxFilters < initFilters) {
                throw new IllegalArgumentException("maxFilters must be >= initFilters, got " + maxFilters);
            }
            norm = norm == null ? "instance" : norm;
            if (Layers.Norm.parse(norm) == Layers.Norm.GROUP && (groups < 1 || initFilters % groups != 0)) {
                throw new IllegalArgumentException("group norm with " + groups + " groups needs initFilters divisible by it, got "
                        + initFilters);
            }
        }

        public static Config defaults(int stages, int initFilters) {
            return new Config(stages, initFilters, Math.max(320, initFilters), "instance", 0);
        }

        int width(int stage) {
            return Math.min(initFilters << stage, maxFilters);
        }
    }

    private final Config config;
    private final List<Block> down = new ArrayList<>();
    private final List<Block> upConv = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final Block head;

    public UNet(Config config, int outChannels) {
        super(VERSION);
        this.config = config;
        Layers.Norm norm = Layers.Norm.parse(config.norm());
        for (int s = 0; s < config.stages(); s++) {
            int w = config.width(s);
            down.add(addChildBlock("down" + s, Layers.sequence(
                    Layers.conv(w, 3, s == 0 ? 1 : 2, true), Layers.norm(norm, config.groups()), Layers.leakyRelu(),
                    Layers.conv(w, 3, 1, true), Layers.norm(norm, config.groups()), Layers.leakyRelu())));
        }
        for (int s = config.stages() - 2; s >= 0; s--) {
            int w = config.width(s);
            upConv.add(addChildBlock("upconv" + s, new TransposedConv(w)));
            up.add(addChildBlock("up" + s, Layers.sequence(
                    Layers.conv(w, 3, 1, true), Layers.norm(norm, config.groups()), Layers.leakyRelu(),
                    Layers.conv(w, 3, 1, true), Layers.norm(norm, config.groups()), Layers.leakyRelu())));
        }
        head = addChildBlock("head", Layers.conv(outChannels, 1, 1, true));
    }

    public Config config() {
        return config;
    }

    /** Patch sizes must be multiples of this along every axis. */
    public int divisor() {
        return 1 << (config.stages() - 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        List<Shape> skips = new ArrayList<>();
        for (Block stage : down) {
            x = Layers.init(stage, manager, dataType, x);
            skips.add(x);
        }
        for (int u = 0; u < up.size(); u++) {
            x = Layers.init(upConv.get(u), manager, dataType, x);
            Shape skip = skips.get(down.size() - 2 - u);
            x = Layers.init(up.get(u), manager, dataType,
                    new Shape(x.get(0), x.get(1) + skip.get(1), x.get(2), x.get(3), x.get(4)));
        }
        Layers.init(head, manager, dataType, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (Block stage : down) {
            x = stage.forward(ps, new NDList(x), training).singletonOrThrow();
            skips.add(x);
        }
        for (int u = 0; u < up.size(); u++) {
            x = upConv.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
            x = skips.get(down.size() - 2 - u).concat(x, 1);
            x = up.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return head.getOutputShapes(new Shape[] {new Shape(s.get(0), config.width(0), s.get(2), s.get(3), s.get(4))});
    }
}
