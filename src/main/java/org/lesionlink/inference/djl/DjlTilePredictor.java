package org.lesionlink.inference.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.lesionlink.inference.window.TilePredictor;

/**
 * A {@link TilePredictor} running one fold's weights (TorchScript or ONNX) through DJL.
 *
 * <ul>
 *   <li>The model is loaded once and warmed up (two calls) per predictor with the fixed tile batch shape
 *       (TorchScript's profiling executor and cuDNN specialise on the first shapes they see; DJL #901).
 *   <li>DJL predictors are not thread-safe: a pool holds one per worker thread, and a call borrows one
 *       for its duration. The class itself is therefore thread-safe.
 *   <li>Every call's arrays live in {@code try (NDManager sub = manager.newSubManager())}: the input is
 *       created there and the engines attach the outputs to the input's manager, so closing {@code sub}
 *       frees all native memory of the call. {@link #liveArrays()} lets tests check that nothing stays.
 * </ul>
 */
public final class DjlTilePredictor implements LoadedFold {

    private final ZooModel<NDList, NDList> model;
    private final int[] tile;
    private final int inputChannels;
    private final int outputChannels;
    private final int batch;
    private final Shape inputShape;
    private final Shape outputShape;
    private final BlockingQueue<Predictor<NDList, NDList>> pool;
    private final List<Predictor<NDList, NDList>> all;
    private final String description;

    private DjlTilePredictor(ZooModel<NDList, NDList> model, int[] tile, int sliceAxis, int inputChannels,
            int outputChannels, int batch, int workers, String description) {
        this.model = model;
        this.tile = tile.clone();
        this.inputChannels = inputChannels;
        this.outputChannels = outputChannels;
        this.batch = batch;
        this.inputShape = tensorShape(batch, inputChannels, tile, sliceAxis);
        this.outputShape = tensorShape(batch, outputChannels, tile, sliceAxis);
        this.pool = new ArrayBlockingQueue<>(workers);
        this.all = new ArrayList<>(workers);
        this.description = description;
        for (int w = 0; w < workers; w++) {
            Predictor<NDList, NDList> p = model.newPredictor();
            all.add(p);
            pool.add(p);
        }
    }

    /**
     * Loads one weights file and warms every pooled predictor up once.
     *
     * @param engine DJL engine name: {@code PyTorch} or {@code OnnxRuntime}
     * @param tile tile size along voxel axes i, j, k
     * @param workers predictors in the pool (threads that may call {@link #predict} at once)
     */
    public static DjlTilePredictor load(Path weights, String engine, Device device, int[] tile, int inputChannels,
            int outputChannels, int batch, int workers) throws IOException {
        return load(weights, engine, device, tile, -1, inputChannels, outputChannels, batch, workers);
    }

    /**
     * As {@link #load(Path, String, Device, int[], int, int, int, int)}, for a 2D network when
     * {@code sliceAxis} is 0, 1 or 2: the tile has size 1 along that voxel axis, which is left out of the
     * tensors, so the network sees {@code (N, C, a, b)} with a, b the other voxel axes in (k, j, i) order.
     * The memory layout is the same as with the size-1 axis kept.
     */
    public static DjlTilePredictor load(Path weights, String engine, Device device, int[] tile, int sliceAxis,
            int inputChannels, int outputChannels, int batch, int workers) throws IOException {
        return load(weights, engine, device, tile, sliceAxis, inputChannels, outputChannels, batch, workers, true);
    }

    /**
     * As above; without {@code warmUp} the first real calls pay the engine's one-time optimisation (their
     * results are used) and a wrong output shape is reported on the first call instead of at load time.
     */
    public static DjlTilePredictor load(Path weights, String engine, Device device, int[] tile, int sliceAxis,
            int inputChannels, int outputChannels, int batch, int workers, boolean warmUp) throws IOException {
        if (sliceAxis >= 0 && tile[sliceAxis] != 1) {
            throw new IllegalArgumentException("a 2D tile needs size 1 along slice axis " + sliceAxis + ", got "
                    + Arrays.toString(tile));
        }
        if (batch < 1 || workers < 1) {
            throw new IllegalArgumentException("batch and workers must be >= 1, got " + batch + ", " + workers);
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(weights)
                .optEngine(engine)
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                // OnnxRuntime session threads (the PyTorch engine takes its settings from system properties)
                .optOption("intraOpNumThreads", String.valueOf(DjlModel.intraOpThreads()))
                .optOption("interOpNumThreads", "1")
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load " + weights + " with DJL engine " + engine + ": " + e.getMessage(), e);
        }
        DjlTilePredictor p = null;
        try {
            p = new DjlTilePredictor(model, tile, sliceAxis, inputChannels, outputChannels, batch, workers,
                    weights.getFileName() + " on " + engine + "/" + device);
            if (warmUp) {
                p.warmUp(); // also checks the output shape before any real tile
            }
            return p;
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            } else {
                model.close();
            }
            throw e;
        }
    }

    /**
     * Two calls per pooled predictor with the fixed batch shape: TorchScript's profiling executor records
     * shapes on the first run and builds its optimised graph on the second, so both happen here rather
     * than on the first tiles (about 3x the steady time each on the tiny test nets).
     */
    private void warmUp() {
        float[] zeros = new float[batch * inputChannels * tileVoxels()];
        for (Predictor<NDList, NDList> p : all) {
            run(p, zeros);
            run(p, zeros);
        }
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
        Predictor<NDList, NDList> p;
        try {
            p = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a predictor", e);
        }
        try {
            return run(p, tiles);
        } finally {
            pool.add(p);
        }
    }

    private float[] run(Predictor<NDList, NDList> predictor, float[] tiles) {
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray x = sub.create(FloatBuffer.wrap(tiles), inputShape);
            NDList out = predictor.predict(new NDList(x));
            NDArray y = out.get(0);
            if (!y.getShape().equals(outputShape)) {
                throw new IllegalStateException(description + ": network returned shape " + y.getShape()
                        + ", expected " + outputShape + (outputShape.dimension() == 5 ? " (N, C, k, j, i)" : " (N, C, in-plane axes)"));
            }
            if (y.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
                y = y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            }
            return y.toFloatArray();
        } catch (TranslateException e) {
            throw new IllegalStateException(description + ": inference failed: " + e.getMessage(), e);
        }
    }

    /** (N, C, k, j, i), without the slice axis of a 2D tile. */
    static Shape tensorShape(int batch, int channels, int[] tile, int sliceAxis) {
        List<Long> dims = new ArrayList<>(List.of((long) batch, (long) channels));
        for (int a = 2; a >= 0; a--) {
            if (a != sliceAxis) {
                dims.add((long) tile[a]);
            }
        }
        return new Shape(dims);
    }

    /**
     * NDArrays attached to this model's manager tree: the weights, plus anything a call leaked. Constant
     * between calls when nothing leaks.
     */
    @Override
    public int liveArrays() {
        return model.getNDManager().getManagedArrays().size();
    }

    /** The device the model runs on, e.g. {@code cpu()} or {@code gpu(0)}. */
    @Override
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    @Override
    public void close() {
        for (Predictor<NDList, NDList> p : all) {
            p.close();
        }
        model.close();
    }

    @Override
    public String toString() {
        return "DjlTilePredictor[" + description + ", tile " + Arrays.toString(tile) + ", batch " + batch + "]";
    }
}
