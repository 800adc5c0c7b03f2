package org.lesionlink.inference.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.lesionlink.inference.InvalidModelException;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.training.nets.Networks;

/**
 * A tile predictor for a network built in Java ({@link ModelSpec.Engine#DJL} packages): the block is
 * rebuilt from the descriptor's {@link ModelSpec#architecture()} ({@link Networks}) and one fold's DJL
 * {@code .params} are loaded into it; or, during training, an in-memory block is wrapped as it is.
 *
 * <p>Every call runs in {@code try (NDManager sub = manager.newSubManager())}; the blocks attach their
 * intermediate arrays (including per-call views of parameters) to the input's manager, so nothing stays
 * behind. Loaded parameters do not require gradients, so no autograd graph is recorded on any thread;
 * calls from several threads at once are safe for a loaded predictor.
 */
public final class DjlBlockTilePredictor implements LoadedFold {

    private final Block block;
    private final NDManager manager;
    private final boolean owned;
    private final ParameterStore store;
    private final int[] tile;
    private final int inputChannels;
    private final int outputChannels;
    private final int batch;
    private final Shape inputShape;
    private final String description;

    private DjlBlockTilePredictor(Block block, NDManager manager, boolean owned, int[] tile, int inputChannels,
            int outputChannels, int batch, String description) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.block = block;
        this.manager = manager;
        this.owned = owned;
        this.store = new ParameterStore(manager, false);
        this.tile = tile.clone();
        this.inputChannels = inputChannels;
        this.outputChannels = outputChannels;
        this.batch = batch;
        this.inputShape = new Shape(batch, inputChannels, tile[2], tile[1], tile[0]);
        this.description = description;
    }

    /** Rebuilds the descriptor's network on {@code device} and loads one fold's parameters into it. */
    public static DjlBlockTilePredictor load(ModelSpec spec, Path params, Device device, int batch) throws IOException {
        if (spec.engine() != ModelSpec.Engine.DJL || spec.architecture() == null) {
            throw new InvalidModelException(spec.name() + ": not a DJL-built network (engine " + spec.engine().id() + ")");
        }
        Networks.Network net;
        try {
            net = Networks.build(spec.architecture().name(), spec.architecture().parameters(), spec.networkOutputChannels());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(spec.name() + ": model.json: " + e.getMessage(), e);
        }
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(params))) {
            net.block().loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new InvalidModelException(params + ": cannot load " + spec.architecture().name() + " parameters: "
                    + e.getMessage(), e);
        }
        int[] tile = spec.patchSize();
        for (int t : tile) {
            if (t % net.divisor() != 0) {
                manager.close();
                throw new InvalidModelException(spec.name() + ": patchSize " + Arrays.toString(tile) + " must be a multiple of "
                        + net.divisor() + " for " + spec.architecture().name());
            }
        }
        return new DjlBlockTilePredictor(net.block(), manager, true, tile, spec.networkInputChannels(),
                spec.networkOutputChannels(), batch, params.getFileName() + " (" + spec.architecture().name() + ") on " + device);
    }

    /**
     * Wraps an initialised block without taking it over (training's validation): calls run in
     * sub-managers of {@code manager}; {@link #close()} leaves block and manager alone.
     */
    public static DjlBlockTilePredictor wrap(Block block, NDManager manager, int[] tile, int inputChannels,
            int outputChannels, int batch) {
        return new DjlBlockTilePredictor(block, manager, false, tile, inputChannels, outputChannels, batch,
                "in-memory " + block.getClass().getSimpleName());
    }

    @Override
    public int[] tileShape() {
        return tile.clone();
    }

    @Override
    public int inputChannels() {
        return inputChannels;
    }

    @Override
    public int outputChannels() {
        return outputChannels;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public float[] predict(float[] tiles) {
        if (tiles.length != inputShape.size()) {
            throw new IllegalArgumentException("expected " + inputShape.size() + " floats for " + inputShape + ", got "
                    + tiles.length);
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(FloatBuffer.wrap(tiles), inputShape);
            NDArray y = block.forward(store, new NDList(x), false).singletonOrThrow();
            Shape expected = new Shape(batch, outputChannels, tile[2], tile[1], tile[0]);
            if (!y.getShape().equals(expected)) {
                throw new IllegalStateException(description + ": network returned shape " + y.getShape() + ", expected "
                        + expected);
            }
            return y.toFloatArray();
        }
    }

    @Override
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public String device() {
        return manager.getDevice().toString();
    }

    @Override
    public void close() {
        if (owned) {
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "DjlBlockTilePredictor[" + description + ", tile " + Arrays.toString(tile) + ", batch " + batch + "]";
    }
}
