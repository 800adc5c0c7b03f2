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
     * @param threads sliding-window threads calling the network at once (one engine predictor each)
     * @param batchSize tiles per network call
     */
    public record Options(String device, boolean tta, int threads, int batchSize) {
        public Options {
            Objects.requireNonNull(device, "device");
            DeviceChoice.parse(device);
            if (threads < 1 || batchSize < 1) {
                throw new IllegalArgumentException("threads and batchSize must be >= 1, got " + threads + ", " + batchSize);
            }
        }

        /** auto device, TTA on, one thread, batches of 2 tiles. */
        public static Options defaults() {
            return new Options("auto", true, 1, 2);
        }

        public Options withDevice(String d) {
            return new Options(d, tta, threads, batchSize);
        }

        public Options withTta(boolean t) {
            return new Options(device, t, threads, batchSize);
        }
    }

    private final ModelPackage pkg;
    private final DjlModel model;
    private final Segmenter segmenter;
    private final Duration loadTime;

    private LoadedModel(ModelPackage pkg, DjlModel model, Segmenter segmenter, Duration loadTime) {
        this.pkg = pkg;
        this.model = model;
        this.segmenter = segmenter;
        this.loadTime = loadTime;
    }

    /** Loads and warms up every fold of {@code pkg}. */
    public static LoadedModel open(ModelPackage pkg, Options options) throws IOException {
        long t0 = System.nanoTime();
        DjlModel model = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.parse(options.device()),
                options.batchSize(), options.threads()));
        try {
            Segmenter s = new Segmenter(pkg.spec(), model.folds(), new Segmenter.Options(options.tta(), options.threads(), false));
            return new LoadedModel(pkg, model, s, Duration.ofNanos(System.nanoTime() - t0));
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
