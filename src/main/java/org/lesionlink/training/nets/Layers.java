package org.lesionlink.training.nets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import java.util.Locale;

/** Small factories shared by the networks. */
final class Layers {

    private Layers() {}

    /** Which normalisation a network uses. */
    enum Norm {
        GROUP,
        INSTANCE;

        static Norm parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("norm must be group or instance, got '" + s + "'");
            }
        }
    }

    static Block norm(Norm norm, int groups) {
        return norm == Norm.INSTANCE ? GroupNorm.instance() : GroupNorm.of(groups);
    }

    /** A cubic convolution, padded to keep the size at stride 1 (and halve it at stride 2). */
    static Conv3d conv(int filters, int kernel, int stride, boolean bias) {
        int pad = kernel / 2;
        return (Conv3d) Conv3d.builder().setKernelShape(new Shape(kernel, kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride, stride)).optPadding(new Shape(pad, pad, pad)).optBias(bias).build();
    }

    static Block relu() {
        return Activation.reluBlock();
    }

    /** nnU-Net's nonlinearity: leaky ReLU with slope 0.01. */
    static Block leakyRelu() {
        return Activation.leakyReluBlock(0.01f);
    }

    static SequentialBlock sequence(Block... blocks) {
        SequentialBlock s = new SequentialBlock();
        for (Block b : blocks) {
            s.add(b);
        }
        return s;
    }

    /** Initialises {@code b} for {@code in} and returns its output shape. */
    static Shape init(Block b, NDManager manager, DataType type, Shape in) {
        b.initialize(manager, type, in);
        return b.getOutputShapes(new Shape[] {in})[0];
    }
}
