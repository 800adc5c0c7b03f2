package org.lesionlink.training.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 3D transposed convolution with kernel 2 and stride 2 (the upsampling of nnU-Net's decoder). DJL 0.32
 * has no 3D transposed convolution, and its PyTorch engine implements none at all, so this one is written
 * out: with kernel = stride = 2 the output blocks do not overlap, and
 * {@code out[n, o, 2d+a, 2h+b, 2w+c] = bias[o] + sum_i x[n, i, d, h, w] * W[i, o, a, b, c]}, i.e. a 1x1x1
 * convolution to {@code 8 * out} channels (channel {@code 8 o + 4 a + 2 b + c}) followed by a
 * depth-to-space rearrangement. The weight is stored as the 1x1x1 convolution's
 * {@code (8 out, in, 1, 1, 1)}; PyTorch's {@code ConvTranspose3d} weight {@code W[i, o, a, b, c]} is
 * {@code weight[8 o + 4 a + 2 b + c, i]}.
 */
public final class TransposedConv extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final Conv3d pointwise;
    private final Parameter bias;

    public TransposedConv(int filters) {
        super(VERSION);
        this.filters = filters;
        pointwise = addChildBlock("pointwise", Conv3d.builder().setKernelShape(new Shape(1, 1, 1))
                .setFilters(8 * filters).optBias(false).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(filters)).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        pointwise.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long d = s.get(2);
        long h = s.get(3);
        long w = s.get(4);
        NDArray y = pointwise.forward(ps, inputs, training).singletonOrThrow();
        y = y.reshape(n, filters, 2, 2, 2, d, h, w).transpose(0, 1, 5, 2, 6, 3, 7, 4)
                .reshape(n, filters, 2 * d, 2 * h, 2 * w);
        NDArray b = ps.getValue(bias, x.getDevice(), training).reshape(1, filters, 1, 1, 1);
        b.attach(x.getManager()); // a view per call: owned by the call, not by the parameters
        return new NDList(y.add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), filters, 2 * s.get(2), 2 * s.get(3), 2 * s.get(4))};
    }

    @Override
    public String toString() {
        return "TransposedConv(" + filters + ", k2 s2)";
    }
}
