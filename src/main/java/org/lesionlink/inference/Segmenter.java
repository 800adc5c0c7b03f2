package org.lesionlink.inference;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lesionlink.image.BoundingBox;
import org.lesionlink.image.Crop;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Interpolation;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.post.LabelMaker;
import org.lesionlink.inference.post.Lesion;
import org.lesionlink.inference.post.Lesions;
import org.lesionlink.inference.window.SlidingWindow;
import org.lesionlink.inference.window.TilePredictor;

/**
 * The segmentation pipeline for one model, following nnU-Net v2's inference path:
 *
 * <ol>
 *   <li><b>check</b>: one single-channel volume per model input; inputs on another grid than the first are
 *       resampled onto it (cubic B-spline);
 *   <li><b>crop</b> to the bounding box of the non-zero mask (union over channels, holes filled, as
 *       nnU-Net's {@code crop_to_nonzero});
 *   <li><b>normalise</b> each channel ({@link Normalizer}) <em>before</em> resampling, as nnU-Net does;
 *   <li><b>resample</b> the crop to the model's spacing (cubic B-spline; skipped when the grid already
 *       matches);
 *   <li><b>inference</b>: {@link SlidingWindow} with Gaussian blending, mirroring TTA and all folds; a 2D
 *       model (patch size 1 along its slice axis) runs once per slice, with {@code neighbourSlices}
 *       slices on either side stacked as extra channels ({@link #stackSlices}), and its slice axis is
 *       never resampled (nnU-Net's 2D configuration keeps the original spacing there);
 *   <li><b>resample back</b> the logits to the cropped grid (trilinear, nnU-Net's order 1);
 *   <li><b>labels</b>: argmax (softmax models) or probability > the model's threshold per region (0.5,
 *       i.e. logit > 0, unless {@code postprocessing.thresholds} says otherwise) painted in region order
 *       (sigmoid models);
 *   <li><b>postprocess</b>: remove foreground components (26-connected) under the model's minimum size
 *       (in voxels and/or mm^3; see {@link ModelSpec.PostProcessing} and {@link LabelMaker});
 *   <li><b>restore</b> the crop into a uint8 map on the first input's grid, then measure the
 *       <b>lesions</b>.
 * </ol>
 *
 * <p><b>Deviations from nnU-Net</b> (also in the package documentation): float32 accumulation instead of
 * float16; resampling through LesionLink's {@link Resampler} (B-spline with mirror boundaries, physical
 * space) rather than skimage's {@code resize} with edge mode, and no separate nearest-neighbour resampling
 * along the low-resolution axis of strongly anisotropic images; the probability threshold of region models
 * is applied as {@code logit > 0}.
 *
 * <p>Immutable; thread-safe when its predictors are. The predictors are not owned (not closed) here.
 */
public final class Segmenter {

    /**
     * @param tta mirror test-time augmentation over the model's mirror axes (off: about 8x faster in 3D)
     * @param threads sliding-window worker threads (the predictors must allow that many at once)
     * @param keepLogits return the logits on the cropped grid in the result
     */
    public record Options(boolean tta, int threads, boolean keepLogits) {
        public static Options defaults() {
            return new Options(true, 1, false);
        }
    }

    private final ModelSpec spec;
    private final List<TilePredictor> folds;
    private final Options options;
    private final SlidingWindow window;

    public Segmenter(ModelSpec spec, List<? extends TilePredictor> folds, Options options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.folds = List.copyOf(folds);
        this.options = Objects.requireNonNull(options, "options");
        if (this.folds.isEmpty()) {
            throw new IllegalArgumentException("model " + spec.name() + ": no fold predictors");
        }
        for (TilePredictor p : this.folds) {
            if (!java.util.Arrays.equals(p.tileShape(), spec.patchSize()) || p.inputChannels() != spec.networkInputChannels()
                    || p.outputChannels() != spec.networkOutputChannels()) {
                throw new IllegalArgumentException("model " + spec.name() + ": predictor " + p + " does not match the descriptor");
            }
        }
        this.window = new SlidingWindow(new SlidingWindow.Settings(spec.step(), true,
                options.tta() ? spec.mirrorAxes() : new int[0], options.threads()));
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Segments one case; {@code inputs} are in the order of the model's inputs. */
    public Segmentation segment(List<Volume> inputs) {
        Map<String, Duration> timings = new LinkedHashMap<>();
        Stopwatch sw = new Stopwatch(timings);

        // 1-4. check, crop, normalise, resample (shared with training)
        Preprocessing.Case pre = Preprocessing.prepare(spec, inputs, sw::lap);
        Geometry grid = pre.grid();
        int n = grid.dims()[0] * grid.dims()[1] * grid.dims()[2];
        Optional<BoundingBox> box = pre.box();
        if (box.isEmpty()) {
            Volume empty = Volume.ofBytes(grid, new byte[n]);
            return new Segmentation(empty, List.of(), Optional.empty(), timings, Optional.empty());
        }
        int[] cd = box.get().size();
        Geometry cropGrid = pre.cropGrid();
        Geometry modelGrid = pre.modelGrid();
        boolean resample = pre.resampled();
        float[][] modelInput = pre.channels();

        // 5. sliding window, TTA, folds (2D models: slice by slice, neighbours stacked as channels)
        if (spec.dims().kind() == ModelSpec.Dims.Kind.TWO_D) {
            modelInput = stackSlices(modelInput, modelGrid.dims(), spec.dims().sliceAxis(), spec.dims().neighbourSlices());
        }
        float[][] logits = window.predict(modelInput, modelGrid.dims(), folds);
        sw.lap("inference");

        // 6. logits back onto the cropped grid
        Volume logitVolume = volume(modelGrid, logits);
        if (resample) {
            logitVolume = Resampler.of(Interpolation.LINEAR).resample(logitVolume, cropGrid);
            logits = floats(logitVolume);
        }
        sw.lap("resample-back");

        // 7. labels (argmax, or per-region probability thresholds)
        byte[] labels = LabelMaker.labels(spec, spec.postprocessing(), logits, cd[0] * cd[1] * cd[2]);
        sw.lap("labels");

        // 8. small components
        LabelMaker.removeSmall(labels, cd, spec.postprocessing(), voxelMm3(cropGrid));
        sw.lap("postprocess");

        // 9. restore the crop, measure lesions
        Volume labelMap = Crop.restore(Volume.ofBytes(cropGrid, labels), grid, 0);
        sw.lap("restore");
        List<Lesion> lesions = Lesions.measure(labels, cropGrid, spec);
        sw.lap("lesions");
        return new Segmentation(labelMap, lesions, box, timings,
                options.keepLogits() ? Optional.of(logitVolume) : Optional.empty());
    }

    static double voxelMm3(Geometry g) {
        double[] s = g.spacing();
        return s[0] * s[1] * s[2];
    }

    /**
     * The network input of a 2.5D model: for input channel c and offset d in -n..n, channel
     * {@code c * (2n + 1) + d + n} holds channel c shifted by d slices along {@code sliceAxis} (voxel s of
     * the result is voxel s + d of the input). Slices beyond the volume are 0, like the sliding window's own
     * padding. With n = 0 the channels are returned as they are.
     */
    static float[][] stackSlices(float[][] channels, int[] dims, int sliceAxis, int n) {
        if (n == 0) {
            return channels;
        }
        int stride = sliceAxis == 0 ? 1 : sliceAxis == 1 ? dims[0] : dims[0] * dims[1];
        int size = dims[sliceAxis];
        int voxels = dims[0] * dims[1] * dims[2];
        float[][] out = new float[channels.length * (2 * n + 1)][];
        for (int c = 0; c < channels.length; c++) {
            for (int d = -n; d <= n; d++) {
                float[] src = channels[c];
                float[] dst = new float[voxels];
                for (int v = 0; v < voxels; v++) {
                    int s = v / stride % size + d;
                    if (s >= 0 && s < size) {
                        dst[v] = src[v + d * stride];
                    }
                }
                out[c * (2 * n + 1) + d + n] = dst;
            }
        }
        return out;
    }

    static Optional<BoundingBox> boundingBox(boolean[] mask, int[] dims) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int k = 0, v = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++, v++) {
                    if (mask[v]) {
                        lo[0] = Math.min(lo[0], i);
                        hi[0] = Math.max(hi[0], i);
                        lo[1] = Math.min(lo[1], j);
                        hi[1] = Math.max(hi[1], j);
                        lo[2] = Math.min(lo[2], k);
                        hi[2] = Math.max(hi[2], k);
                    }
                }
            }
        }
        return hi[0] < 0 ? Optional.empty() : Optional.of(BoundingBox.fromCorners(lo, hi));
    }

    static float[] crop(float[] src, int[] dims, BoundingBox b) {
        int[] s = b.start();
        int[] d = b.size();
        float[] out = new float[d[0] * d[1] * d[2]];
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                System.arraycopy(src, s[0] + dims[0] * (s[1] + j + dims[1] * (s[2] + k)), out, d[0] * (j + d[1] * k), d[0]);
            }
        }
        return out;
    }

    static boolean[] crop(boolean[] src, int[] dims, BoundingBox b) {
        int[] s = b.start();
        int[] d = b.size();
        boolean[] out = new boolean[d[0] * d[1] * d[2]];
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                System.arraycopy(src, s[0] + dims[0] * (s[1] + j + dims[1] * (s[2] + k)), out, d[0] * (j + d[1] * k), d[0]);
            }
        }
        return out;
    }

    /** A float32 volume with one channel per array. */
    static Volume volume(Geometry g, float[][] channels) {
        Volume.Builder b = Volume.allocate(g, DataType.FLOAT32, channels.length);
        for (int c = 0; c < channels.length; c++) {
            ByteBuffer buf = b.channel(c);
            buf.asFloatBuffer().put(channels[c]);
        }
        return b.build();
    }

    static float[][] floats(Volume v) {
        float[][] out = new float[v.channels()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = v.toFloats(c);
        }
        return out;
    }

    /** Records the time since the previous lap under a stage name. */
    private static final class Stopwatch {
        private final Map<String, Duration> timings;
        private long last = System.nanoTime();

        Stopwatch(Map<String, Duration> timings) {
            this.timings = timings;
        }

        void lap(String stage) {
            long now = System.nanoTime();
            timings.put(stage, Duration.ofNanos(now - last));
            last = now;
        }
    }
}
