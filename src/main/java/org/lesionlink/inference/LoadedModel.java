package org.lesionlink.inference;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlModel;

/**
 * A model package loaded on an engine and ready to segment cases: the facade callers outside this package
 * use (the CLI, later the server), so that none of them sees DJL. Wraps a {@link DjlModel} (all folds,
 * warmed up) and a {@link Segmenter}. Close it to free the weights and native memory.
 */
public final class LoadedModel implements AutoCloseable {

    /**
     * @param device {@code auto}, {@code cpu} or {@code gpu}
     * @param tta mirroring test-time augmentation over the model's mirror axes
     * @param threads sliding-window threads calling the network at once (one engine predictor each); 0 picks
     *     {@link #autoThreads}
     * @param batchSize tiles per network call
     * @param warmUp warm the engine up at load time (servers); a one-shot run lets its first tiles do it
     */
    public record Options(String device, boolean tta, int threads, int batchSize, boolean warmUp) {
        public Options {
            Objects.requireNonNull(device, "device");
            DeviceChoice.parse(device);
            if (threads < 0 || batchSize < 1) {
                throw new IllegalArgumentException("threads must be >= 0 and batchSize >= 1, got " + threads + ", " + batchSize);
            }
        }

        /** auto device, TTA on, automatic threads, batches of 2 tiles, warm-up at load. */
        public static Options defaults() {
            return new Options("auto", true, 0, 2, true);
        }

        public Options withDevice(String d) {
            return new Options(d, tta, threads, batchSize, warmUp);
        }

        public Options withTta(boolean t) {
            return new Options(device, t, threads, batchSize, warmUp);
        }

        public Options withThreads(int n) {
            return new Options(device, tta, n, batchSize, warmUp);
        }

        public Options withWarmUp(boolean w) {
            return new Options(device, tta, threads, batchSize, w);
        }
    }

    /** At most this many sliding-window workers are started automatically on a CPU. */
    public static final int MAX_AUTO_CPU_THREADS = 4;

    /**
     * Sliding-window workers when not given: on a CPU one per core, at most {@value #MAX_AUTO_CPU_THREADS}
     * (each runs its network calls with one intra-op thread, see {@code DjlModel.applyEngineDefaults});
     * on a GPU one, since the device serialises the calls anyway and each call in flight holds its own
     * activations in device memory.
     */
    public static int autoThreads(boolean gpu) {
        return gpu ? 1 : Math.max(1, Math.min(MAX_AUTO_CPU_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    private final ModelPackage pkg;
    private final DjlModel model;
    private final Segmenter segmenter;
    private final Duration loadTime;
    private final int threads;

    private LoadedModel(ModelPackage pkg, DjlModel model, Segmenter segmenter, Duration loadTime, int threads) {
        this.threads = threads;
        this.pkg = pkg;
        this.model = model;
        this.segmenter = segmenter;
        this.loadTime = loadTime;
    }

    /** Loads and warms up every fold of {@code pkg}. */
    public static LoadedModel open(ModelPackage pkg, Options options) throws IOException {
        long t0 = System.nanoTime();
        DeviceChoice device = DeviceChoice.parse(options.device());
        int threads = options.threads() > 0 ? options.threads() : autoThreads(DjlModel.runsOnGpu(pkg, device));
        DjlModel model = DjlModel.open(pkg, new DjlModel.Options(device, options.batchSize(), threads, options.warmUp()));
        try {
            Segmenter s = new Segmenter(pkg.spec(), model.folds(), new Segmenter.Options(options.tta(), threads, false));
            return new LoadedModel(pkg, model, s, Duration.ofNanos(System.nanoTime() - t0), threads);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    public ModelSpec spec() {
        return pkg.spec();
    }

    /** Where the network runs, e.g. {@code cpu()} or {@code gpu(0)}. */
    public String device() {
        return model.device();
    }

    /** Sliding-window workers in use. */
    public int threads() {
        return threads;
    }

    /** Time spent loading and warming up all folds. */
    public Duration loadTime() {
        return loadTime;
    }

    /** Segments one case; {@code inputs} in the model's input order (see {@link CaseInputs#order}). */
    public Segmentation segment(List<Volume> inputs) {
        return segmenter.segment(inputs);
    }

    @Override
    public void close() {
        model.close();
    }
}
