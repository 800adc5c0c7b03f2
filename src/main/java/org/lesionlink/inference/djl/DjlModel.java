package org.lesionlink.inference.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.window.TilePredictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All folds of one {@link ModelPackage}, loaded through DJL and warmed up: the only place that turns a
 * package into {@link TilePredictor}s. Close it to free the weights and native memory.
 */
public final class DjlModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DjlModel.class);

    /**
     * @param device where to run
     * @param batchSize tiles per network call (fixed for the model's lifetime)
     * @param workers threads that may run tiles at once (one DJL predictor each)
     * @param warmUp run two calls per predictor before returning (a server wants its first case fast; a
     *     one-shot command need not: its first tiles warm the engine up and their results are used)
     */
    public record Options(DeviceChoice device, int batchSize, int workers, boolean warmUp) {
        public Options(DeviceChoice device, int batchSize, int workers) {
            this(device, batchSize, workers, true);
        }

        public Options {
            if (device == null) {
                device = DeviceChoice.AUTO;
            }
            if (batchSize < 1 || workers < 1) {
                throw new IllegalArgumentException("batchSize and workers must be >= 1, got " + batchSize + ", " + workers);
            }
        }

        public static Options defaults() {
            return new Options(DeviceChoice.AUTO, 2, 1);
        }
    }

    private final ModelSpec spec;
    private final List<LoadedFold> folds;

    private DjlModel(ModelSpec spec, List<LoadedFold> folds) {
        this.spec = spec;
        this.folds = List.copyOf(folds);
    }

    /** Loads and warms up every fold of {@code pkg}. */
    public static DjlModel open(ModelPackage pkg, Options options) throws IOException {
        ModelSpec spec = pkg.spec();
        String engineName = engineName(spec.engine());
        applyEngineDefaults();
        Device device = resolve(options.device(), engineName);
        List<LoadedFold> loaded = new ArrayList<>();
        try {
            for (Path weights : pkg.weights()) {
                if (spec.engine() == ModelSpec.Engine.DJL) {
                    loaded.add(DjlBlockTilePredictor.load(spec, weights, device, options.batchSize()));
                } else {
                    int sliceAxis = spec.dims().kind() == ModelSpec.Dims.Kind.TWO_D ? spec.dims().sliceAxis() : -1;
                    loaded.add(DjlTilePredictor.load(weights, engineName, device, spec.patchSize(), sliceAxis,
                            spec.networkInputChannels(), spec.networkOutputChannels(), options.batchSize(), options.workers(),
                            options.warmUp()));
                }
            }
        } catch (IOException | RuntimeException e) {
            loaded.forEach(LoadedFold::close);
            throw e;
        }
        LOG.info("loaded model {} ({} fold(s), {}) on {}", spec.name(), loaded.size(), spec.engine().id(), device);
        return new DjlModel(spec, loaded);
    }

    /** Intra-op threads per network call unless {@value #INTRA_OP_THREADS} says otherwise. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    /** System property: intra-op threads per network call, for both engines (default 1). */
    public static final String INTRA_OP_THREADS = "lesionlink.intra_op_threads";

    /**
     * Engine settings LesionLink chooses unless they are given as system properties; only effective before
     * the PyTorch engine starts (the first model load in a JVM):
     * <ul>
     *   <li>{@code ai.djl.pytorch.cudnn_benchmark=true}: fixed tile shapes, so cuDNN may pick its fastest
     *       convolution algorithms once (as nnU-Net does);
     *   <li>{@code ai.djl.pytorch.num_threads} = {@value #INTRA_OP_THREADS} (default 1) and
     *       {@code ai.djl.pytorch.num_interop_threads=1}: one thread per network call. Parallelism comes
     *       from sliding-window workers instead. On a shared or busy CPU, libtorch's default of one OpenMP
     *       thread per core made calls 2 to 9 times slower (threads waiting for each other at every
     *       operator); see docs/benchmarks.md.
     * </ul>
     * The graph optimizer ({@code ai.djl.pytorch.graph_optimizer}) stays on: with two warm-up calls its
     * profiling cost is paid before the first tile, and turning it off made no difference here.
     */
    static void applyEngineDefaults() {
        setIfAbsent("ai.djl.pytorch.cudnn_benchmark", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(intraOpThreads()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** {@value #INTRA_OP_THREADS}, else {@value #DEFAULT_INTRA_OP_THREADS}. */
    static int intraOpThreads() {
        Integer n = Integer.getInteger(INTRA_OP_THREADS);
        return n == null || n < 1 ? DEFAULT_INTRA_OP_THREADS : n;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The DJL engine for a weights format. */
    static String engineName(ModelSpec.Engine engine) {
        return switch (engine) {
            case TORCHSCRIPT -> "PyTorch";
            case ONNX -> "OnnxRuntime";
            case DJL -> "PyTorch";
        };
    }

    /** Whether {@code pkg} would run on a GPU with this choice (starts the engine, loads nothing). */
    public static boolean runsOnGpu(ModelPackage pkg, DeviceChoice choice) {
        applyEngineDefaults();
        return resolve(choice, engineName(pkg.spec().engine())).isGpu();
    }

    /** GPU when asked for or (AUTO) when the engine sees one, else CPU. */
    static Device resolve(DeviceChoice choice, String engineName) {
        Engine engine;
        try {
            engine = Engine.getEngine(engineName);
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("DJL engine " + engineName + " is not available: " + e.getMessage(), e);
        }
        int gpus = engine.getGpuCount();
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("--device gpu, but DJL engine " + engineName + " sees no GPU");
                }
                yield Device.gpu();
            }
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    public ModelSpec spec() {
        return spec;
    }

    /** One predictor per fold, in the descriptor's order. */
    public List<TilePredictor> folds() {
        return List.copyOf(folds);
    }

    /** Arrays still alive in all folds' managers (for leak checks). */
    public int liveArrays() {
        return folds.stream().mapToInt(LoadedFold::liveArrays).sum();
    }

    public String device() {
        return folds.get(0).device();
    }

    @Override
    public void close() {
        folds.forEach(LoadedFold::close);
    }
}
