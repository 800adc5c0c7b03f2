package org.lesionlink.training.nets;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SegResNet's pre-activation residual block at constant width: {@code x + conv(act(norm(conv(act(norm(x))))))}
 * with 3x3x3 convolutions without bias and ReLU.
 */
final class ResBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SequentialBlock body;

    ResBlock(int channels, Layers.Norm norm, int groups) {
        super(VERSION);
        body = addChildBlock("body", Layers.sequence(
                Layers.norm(norm, groups), Layers.relu(), Layers.conv(channels, 3, 1, false),
                Layers.norm(norm, groups), Layers.relu(), Layers.conv(channels, 3, 1, false)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(body.forward(ps, inputs, training).singletonOrThrow().add(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
