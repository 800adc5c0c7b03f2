package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;

/**
 * Non-trainable x2 upsampling of the three spatial axes of {@code (N, C, D, H, W)}, which DJL 0.32's
 * PyTorch engine only offers for 2D images. Built from NDArray operations (autograd passes through).
 *
 * <ul>
 *   <li>{@link Mode#NEAREST}: every voxel repeated twice along each axis ({@code out[2i] = out[2i+1] = x[i]}).
 *   <li>{@link Mode#TRILINEAR}: linear interpolation with half-voxel alignment ({@code align_corners=False},
 *       PyTorch's and MONAI's default), separable per axis; along one axis
 *       {@code out[2i] = 0.75 x[i] + 0.25 x[i-1]} and {@code out[2i+1] = 0.75 x[i] + 0.25 x[i+1]}, with
 *       the index clamped at the borders ({@code x[-1] = x[0]}, {@code x[n] = x[n-1]}).
 * </ul>
 */
public final class Upsample extends AbstractBlock {

    private static final byte VERSION = 1;

    public enum Mode {
        NEAREST,
        TRILINEAR;

        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("upsample must be nearest or trilinear, got '" + s + "'");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Mode mode;

    public Upsample(Mode mode) {
        super(VERSION);
        this.mode = mode;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (int axis = 2; axis <= 4; axis++) {
            x = mode == Mode.NEAREST ? x.repeat(axis, 2) : linear(x, axis);
        }
        return new NDList(x);
    }

    /** Linear x2 along one axis (half-voxel aligned, clamped borders). */
    static NDArray linear(NDArray x, int axis) {
        long n = x.getShape().get(axis);
        NDArray prev;
        NDArray next;
        if (n == 1) {
            prev = x;
            next = x;
        } else {
            prev = take(x, axis, "0:1").concat(take(x, axis, "0:" + (n - 1)), axis);
            next = take(x, axis, "1:" + n).concat(take(x, axis, (n - 1) + ":" + n), axis);
        }
        NDArray even = x.mul(0.75f).add(prev.mul(0.25f));
        NDArray odd = x.mul(0.75f).add(next.mul(0.25f));
        Shape s = x.getShape();
        long[] out = s.getShape();
        out[axis] = 2 * n;
        return even.stack(odd, axis + 1).reshape(new Shape(out));
    }

    private static NDArray take(NDArray x, int axis, String range) {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < axis; a++) {
            sb.append(":,");
        }
        sb.append(range);
        return x.get(new NDIndex(sb.toString()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3), 2 * s.get(4))};
    }

    @Override
    public String toString() {
        return "Upsample(" + mode.id() + ", x2)";
    }
}
