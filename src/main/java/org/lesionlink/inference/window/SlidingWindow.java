package org.lesionlink.inference.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sliding-window inference with nnU-Net v2's semantics, in plain Java: pad to the patch size, place tiles
 * with {@link PatchGrid}, run every tile (and, for mirroring test-time augmentation, each flipped copy of
 * it) through one or more {@link TilePredictor}s (folds), blend the logits with an {@link ImportanceMap}
 * and crop the padding off again.
 *
 * <p><b>What is averaged.</b> For one fold and tile, the logits of the plain pass and of every non-empty
 * combination of the mirror axes (input flipped, prediction flipped back) are averaged, as in nnU-Net's
 * {@code _internal_maybe_mirror_and_predict}. Tiles are blended as {@code sum(w * logits) / sum(w)} with the
 * importance map {@code w}. Folds are averaged in logit space (nnU-Net sums the folds' blended logits and
 * divides by their number). Since the blending weights are the same for every fold, LesionLink accumulates
 * {@code w * logits / (passes * folds)} of all folds into one buffer and divides once; this is the same
 * quantity up to float rounding and needs one accumulator instead of one per fold.
 *
 * <p><b>Precision.</b> Accumulators are float32 (nnU-Net uses float16 on the GPU): {@code (K + 1)} floats per
 * padded voxel for K output channels. The result is checked to be finite.
 *
 * <p><b>Batching.</b> Work items (tile, mirror combination) are packed into batches of the predictor's
 * fixed batch size; the last batch is filled up with zeros whose outputs are ignored, so the network
 * always sees the same shape. Mirrored copies of a tile travel in the same batches as other work, which
 * also batches TTA (nnU-Net runs the flips one by one).
 *
 * <p>Immutable; thread-safe if the predictors are (see {@link TilePredictor}).
 */
public final class SlidingWindow {

    /**
     * @param step tile step as a fraction of the patch, in (0, 1]; nnU-Net uses 0.5
     * @param gaussian blend with the Gaussian importance map (else plain averaging)
     * @param mirrorAxes voxel axes (0 = i, 1 = j, 2 = k) to mirror for TTA; empty: no TTA
     * @param threads worker threads calling the predictors at once (1: the calling thread only)
     */
    public record Settings(double step, boolean gaussian, int[] mirrorAxes, int threads) {
        public Settings {
            if (!(step > 0 && step <= 1)) {
                throw new IllegalArgumentException("step must be in (0, 1], got " + step);
            }
            Objects.requireNonNull(mirrorAxes, "mirrorAxes");
            boolean[] seen = new boolean[3];
            for (int a : mirrorAxes) {
                if (a < 0 || a > 2 || seen[a]) {
                    throw new IllegalArgumentException("mirror axes must be distinct values of 0, 1, 2, got "
                            + Arrays.toString(mirrorAxes));
                }
                seen[a] = true;
            }
            mirrorAxes = mirrorAxes.clone();
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
        }

        /** nnU-Net's defaults: step 0.5, Gaussian blending, the given mirror axes, one thread. */
        public static Settings nnUNet(int... mirrorAxes) {
            return new Settings(0.5, true, mirrorAxes, 1);
        }

        @Override
        public int[] mirrorAxes() {
            return mirrorAxes.clone();
        }

        public Settings withThreads(int n) {
            return new Settings(step, gaussian, mirrorAxes, n);
        }

        public Settings withMirrorAxes(int... axes) {
            return new Settings(step, gaussian, axes, threads);
        }

        public Settings withStep(double s) {
            return new Settings(s, gaussian, mirrorAxes, threads);
        }

        public Settings withGaussian(boolean g) {
            return new Settings(step, g, mirrorAxes, threads);
        }
    }

    private final Settings settings;

    public SlidingWindow(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The mirror passes per tile: the plain pass (no axis) first, then every non-empty combination of the
     * axes in {@code itertools.combinations} order. Each entry is a flip flag per voxel axis.
     */
    public static List<boolean[]> mirrorCombinations(int[] axes) {
        List<boolean[]> out = new ArrayList<>();
        out.add(new boolean[3]);
        for (int size = 1; size <= axes.length; size++) {
            combinations(axes, size, 0, new boolean[3], out);
        }
        return out;
    }

    private static void combinations(int[] axes, int left, int from, boolean[] current, List<boolean[]> out) {
        if (left == 0) {
            out.add(current.clone());
            return;
        }
        for (int x = from; x < axes.length; x++) {
            current[axes[x]] = true;
            combinations(axes, left - 1, x + 1, current, out);
            current[axes[x]] = false;
        }
    }

    /**
     * Predicts the logits of an image.
     *
     * @param image one float array per input channel, each in index order {@code i + nx * (j + ny * k)}
     * @param dims nx, ny, nz
     * @param folds one predictor per fold; all with the same tile shape and channel counts
     * @return one float array of averaged logits per output channel, on {@code dims}
     */
    public float[][] predict(float[][] image, int[] dims, List<? extends TilePredictor> folds) {
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("need at least one predictor");
        }
        TilePredictor first = folds.get(0);
        int[] patch = first.tileShape();
        int inC = first.inputChannels();
        int outC = first.outputChannels();
        for (TilePredictor p : folds) {
            if (!Arrays.equals(p.tileShape(), patch) || p.inputChannels() != inC || p.outputChannels() != outC) {
                throw new IllegalArgumentException("folds disagree on tile shape or channels: "
                        + Arrays.toString(p.tileShape()) + " vs " + Arrays.toString(patch));
            }
        }
        if (image.length != inC) {
            throw new IllegalArgumentException("predictors take " + inC + " channels, image has " + image.length);
        }
        int voxels = dims[0] * dims[1] * dims[2];
        for (float[] c : image) {
            if (c.length != voxels) {
                throw new IllegalArgumentException("channel of " + c.length + " floats for dims " + Arrays.toString(dims));
            }
        }

        int[][] pad = PatchGrid.padding(dims, patch);
        int[] pd = PatchGrid.paddedDims(dims, patch);
        float[][] padded = padded(image, dims, pad[0], pd);
        List<int[]> tiles = PatchGrid.tiles(pd, patch, settings.step());
        List<boolean[]> passes = mirrorCombinations(settings.mirrorAxes());
        float[] weight = settings.gaussian() ? ImportanceMap.gaussian(patch) : ImportanceMap.constant(patch);

        int paddedVoxels = pd[0] * pd[1] * pd[2];
        Accumulator acc = new Accumulator(outC, paddedVoxels);
        for (int[] t : tiles) {
            acc.addWeights(t, pd, patch, weight);
        }
        float scale = 1f / (passes.size() * folds.size());
        for (TilePredictor fold : folds) {
            run(fold, padded, pd, tiles, passes, weight, scale, acc);
        }
        return acc.result(dims, pad[0], pd);
    }

    private void run(TilePredictor predictor, float[][] image, int[] pd, List<int[]> tiles, List<boolean[]> passes,
            float[] weight, float scale, Accumulator acc) {
        int items = tiles.size() * passes.size();
        int batch = predictor.batchSize();
        int batches = (items + batch - 1) / batch;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int[] patch = predictor.tileShape();
            int tv = predictor.tileVoxels();
            int inC = predictor.inputChannels();
            int outC = predictor.outputChannels();
            float[] in = new float[batch * inC * tv];
            for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                int from = b * batch;
                int n = Math.min(batch, items - from);
                if (n < batch) {
                    Arrays.fill(in, 0f);
                }
                for (int x = 0; x < n; x++) {
                    int item = from + x;
                    extract(image, pd, tiles.get(item / passes.size()), patch, passes.get(item % passes.size()),
                            in, x * inC * tv);
                }
                float[] out = predictor.predict(in);
                if (out.length != batch * outC * tv) {
                    throw new IllegalStateException("predictor returned " + out.length + " floats, expected "
                            + batch * outC * tv + " (" + batch + " x " + outC + " x " + tv + ")");
                }
                synchronized (acc) {
                    for (int x = 0; x < n; x++) {
                        int item = from + x;
                        acc.addLogits(out, x * outC * tv, tiles.get(item / passes.size()), pd, patch,
                                passes.get(item % passes.size()), weight, scale);
                    }
                }
            }
        };
        int threads = Math.min(settings.threads(), batches);
        if (threads <= 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sliding-window");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during sliding-window inference", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Copies the image, zero-padded by {@code before} into {@code pd}; no copy when nothing is padded. */
    static float[][] padded(float[][] image, int[] dims, int[] before, int[] pd) {
        if (Arrays.equals(dims, pd)) {
            return image;
        }
        float[][] out = new float[image.length][pd[0] * pd[1] * pd[2]];
        for (int c = 0; c < image.length; c++) {
            for (int k = 0; k < dims[2]; k++) {
                for (int j = 0; j < dims[1]; j++) {
                    System.arraycopy(image[c], dims[0] * (j + dims[1] * k), out[c],
                            before[0] + pd[0] * (j + before[1] + pd[1] * (k + before[2])), dims[0]);
                }
            }
        }
        return out;
    }

    /**
     * Writes the tile at {@code start} into {@code dst} from {@code offset}, flipped along the flagged
     * axes: tile voxel (x, y, z) reads image voxel {@code start + f(x, y, z)}, f mirroring flagged axes.
     */
    static void extract(float[][] image, int[] pd, int[] start, int[] patch, boolean[] flip, float[] dst, int offset) {
        int tv = patch[0] * patch[1] * patch[2];
        for (int c = 0; c < image.length; c++) {
            float[] src = image[c];
            int o = offset + c * tv;
            for (int z = 0; z < patch[2]; z++) {
                int sk = start[2] + (flip[2] ? patch[2] - 1 - z : z);
                for (int y = 0; y < patch[1]; y++) {
                    int sj = start[1] + (flip[1] ? patch[1] - 1 - y : y);
                    int row = start[0] + pd[0] * (sj + pd[1] * sk);
                    if (flip[0]) {
                        for (int x = 0; x < patch[0]; x++) {
                            dst[o++] = src[row + patch[0] - 1 - x];
                        }
                    } else {
                        System.arraycopy(src, row, dst, o, patch[0]);
                        o += patch[0];
                    }
                }
            }
        }
    }

    /** Weighted sums of logits and of weights over the padded image. Not thread-safe. */
    static final class Accumulator {
        private final float[][] logits;
        private final float[] weights;

        Accumulator(int channels, int voxels) {
            logits = new float[channels][voxels];
            weights = new float[voxels];
        }

        void addWeights(int[] start, int[] pd, int[] patch, float[] w) {
            for (int z = 0, v = 0; z < patch[2]; z++) {
                for (int y = 0; y < patch[1]; y++) {
                    int row = start[0] + pd[0] * (start[1] + y + pd[1] * (start[2] + z));
                    for (int x = 0; x < patch[0]; x++, v++) {
                        weights[row + x] += w[v];
                    }
                }
            }
        }

        /**
         * Adds {@code scale * w * logits} of one (possibly flipped) prediction: output voxel (x, y, z)
         * belongs to tile voxel f(x, y, z), image voxel {@code start + f(x, y, z)}.
         */
        void addLogits(float[] out, int offset, int[] start, int[] pd, int[] patch, boolean[] flip, float[] w,
                float scale) {
            int tv = patch[0] * patch[1] * patch[2];
            for (int c = 0; c < logits.length; c++) {
                float[] dst = logits[c];
                int o = offset + c * tv;
                for (int z = 0; z < patch[2]; z++) {
                    int tz = flip[2] ? patch[2] - 1 - z : z;
                    for (int y = 0; y < patch[1]; y++) {
                        int ty = flip[1] ? patch[1] - 1 - y : y;
                        int row = start[0] + pd[0] * (start[1] + ty + pd[1] * (start[2] + tz));
                        int wrow = patch[0] * (ty + patch[1] * tz);
                        for (int x = 0; x < patch[0]; x++) {
                            int tx = flip[0] ? patch[0] - 1 - x : x;
                            dst[row + tx] += out[o++] * w[wrow + tx] * scale;
                        }
                    }
                }
            }
        }

        /** The blended logits of the unpadded region. */
        float[][] result(int[] dims, int[] before, int[] pd) {
            float[][] out = new float[logits.length][dims[0] * dims[1] * dims[2]];
            for (int c = 0; c < logits.length; c++) {
                for (int k = 0, v = 0; k < dims[2]; k++) {
                    for (int j = 0; j < dims[1]; j++) {
                        int row = before[0] + pd[0] * (j + before[1] + pd[1] * (k + before[2]));
                        for (int i = 0; i < dims[0]; i++, v++) {
                            float r = logits[c][row + i] / weights[row + i];
                            if (!Float.isFinite(r)) {
                                throw new IllegalStateException("non-finite logit " + r + " in channel " + c
                                        + " at voxel (" + i + ", " + j + ", " + k + ")");
                            }
                            out[c][v] = r;
                        }
                    }
                }
            }
            return out;
        }
    }
}
