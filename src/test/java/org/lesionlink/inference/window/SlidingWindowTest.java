package org.lesionlink.inference.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The splitter/merger alone, with trivial predictors whose blended output is known exactly: a pointwise
 * map like {@code 2 x} is reproduced whatever the tiling, weights and mirroring.
 */
class SlidingWindowTest {

    /** logits[c] = factor * input[c] (+ offset along i within the tile, when {@code tileRamp}). */
    static class Trivial implements TilePredictor {
        final int[] tile;
        final int channels;
        final int batch;
        final float factor;
        final boolean tileRamp;
        final AtomicInteger calls = new AtomicInteger();

        Trivial(int[] tile, int channels, int batch, float factor, boolean tileRamp) {
            this.tile = tile.clone();
            this.channels = channels;
            this.batch = batch;
            this.factor = factor;
            this.tileRamp = tileRamp;
        }

        @Override
        public int[] tileShape() {
            return tile.clone();
        }

        @Override
        public int inputChannels() {
            return channels;
        }

        @Override
        public int outputChannels() {
            return channels;
        }

        @Override
        public int batchSize() {
            return batch;
        }

        @Override
        public float[] predict(float[] in) {
            calls.incrementAndGet();
            float[] out = new float[in.length];
            for (int v = 0; v < in.length; v++) {
                out[v] = factor * in[v] + (tileRamp ? v % tile[0] : 0);
            }
            return out;
        }
    }

    static float[][] random(int channels, int[] dims, long seed) {
        Random r = new Random(seed);
        float[][] out = new float[channels][dims[0] * dims[1] * dims[2]];
        for (float[] c : out) {
            for (int v = 0; v < c.length; v++) {
                c[v] = (float) r.nextGaussian();
            }
        }
        return out;
    }

    static void assertClose(float[] want, float[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int v = 0; v < want.length; v++) {
            if (Math.abs(want[v] - got[v]) > tol) {
                assertEquals(want[v], got[v], tol, "voxel " + v);
            }
        }
    }

    @ParameterizedTest(name = "dims {0}x{1}x{2}, patch {3}x{4}x{5}, batch {6}, mirror {7}")
    @CsvSource({
        "32, 32, 32, 16, 16, 16, 2, '0 1 2'",   // exact multiples
        "16, 16, 16, 16, 16, 16, 1, ''",         // one tile
        "10, 16, 5, 16, 16, 16, 3, '0 2'",       // smaller than the patch: padded
        "33, 20, 7, 16, 8, 4, 4, '1'",           // anisotropic patch, odd sizes, uneven last batch
        "40, 9, 17, 24, 8, 16, 5, '0 1 2'",      // anisotropic, step rounding
    })
    void twiceTheInputWhateverTheTiling(int nx, int ny, int nz, int pi, int pj, int pk, int batch, String mirror) {
        int[] dims = {nx, ny, nz};
        int[] axes = mirror.isBlank() ? new int[0]
                : java.util.Arrays.stream(mirror.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        float[][] image = random(2, dims, 7);
        Trivial twice = new Trivial(new int[] {pi, pj, pk}, 2, batch, 2f, false);
        float[][] out = new SlidingWindow(SlidingWindow.Settings.nnUNet(axes)).predict(image, dims, List.of(twice));
        for (int c = 0; c < 2; c++) {
            float[] want = new float[image[c].length];
            for (int v = 0; v < want.length; v++) {
                want[v] = 2 * image[c][v];
            }
            assertClose(want, out[c], 2e-5);
        }
        int tiles = PatchGrid.count(PatchGrid.paddedDims(dims, twice.tile), twice.tile, 0.5);
        int passes = 1 << axes.length;
        assertEquals((tiles * passes + batch - 1) / batch, twice.calls.get(), "batches of a fixed size");
    }

    @Test
    void mirroringFlipsBackSoAPositionDependentPredictorAveragesItsRamp() {
        // Predictor adds x (the i index inside the tile). Plain pass: + x; with i mirrored the flipped-back
        // ramp is + (p - 1 - x). Averaged: + (p - 1) / 2 everywhere, independent of the tile and weights.
        int[] dims = {24, 8, 8};
        int[] patch = {8, 8, 8};
        float[][] image = random(1, dims, 3);
        Trivial ramp = new Trivial(patch, 1, 2, 1f, true);
        float[] mirrored = new SlidingWindow(SlidingWindow.Settings.nnUNet(0)).predict(image, dims, List.of(ramp))[0];
        for (int v = 0; v < mirrored.length; v++) {
            assertEquals(image[0][v] + 3.5f, mirrored[v], 1e-5);
        }
        // Mirroring only other axes leaves the ramp: on a single exact tile, output = input + x.
        float[][] one = random(1, patch, 4);
        float[] unmirrored = new SlidingWindow(SlidingWindow.Settings.nnUNet(1, 2)).predict(one, patch, List.of(ramp))[0];
        for (int v = 0; v < unmirrored.length; v++) {
            assertEquals(one[0][v] + v % 8, unmirrored[v], 1e-5);
        }
    }

    @Test
    void mirrorCombinationsAreAllNonEmptySubsetsPlusThePlainPass() {
        List<boolean[]> c = SlidingWindow.mirrorCombinations(new int[] {0, 1, 2});
        assertEquals(8, c.size());
        assertArrayEquals(new boolean[] {false, false, false}, c.get(0));
        assertArrayEquals(new boolean[] {true, false, false}, c.get(1));
        assertArrayEquals(new boolean[] {true, true, false}, c.get(4)); // (0, 1) after the singles
        assertArrayEquals(new boolean[] {true, true, true}, c.get(7));
        assertEquals(1, SlidingWindow.mirrorCombinations(new int[0]).size());
        assertEquals(4, SlidingWindow.mirrorCombinations(new int[] {2, 0}).size());
    }

    @Test
    void foldsAreAveragedInLogitSpace() {
        int[] dims = {20, 20, 12};
        int[] patch = {16, 16, 8};
        float[][] image = random(1, dims, 5);
        List<TilePredictor> folds = List.of(new Trivial(patch, 1, 2, 2f, false), new Trivial(patch, 1, 3, 4f, false));
        float[] out = new SlidingWindow(SlidingWindow.Settings.nnUNet(0, 1)).predict(image, dims, folds)[0];
        for (int v = 0; v < out.length; v++) {
            assertEquals(3 * image[0][v], out[v], 2e-5);
        }
    }

    @Test
    void threadsGiveTheSameResultAsOneThread() {
        int[] dims = {30, 22, 18};
        int[] patch = {12, 12, 12};
        float[][] image = random(1, dims, 9);
        // Non-trivial (ramp) predictor so that weights and flips matter.
        Trivial ramp = new Trivial(patch, 1, 2, 1.5f, true);
        SlidingWindow.Settings s = SlidingWindow.Settings.nnUNet(0, 1, 2);
        float[] one = new SlidingWindow(s).predict(image, dims, List.of(ramp))[0];
        float[] four = new SlidingWindow(s.withThreads(4)).predict(image, dims, List.of(ramp))[0];
        assertClose(one, four, 1e-5);
    }

    @Test
    void gaussianBlendingWeighsTileCentresMore() {
        // A predictor returning a constant per call-tile position cannot be built simply, so check the
        // blending directly: two overlapping tiles with constant outputs 0 and 1 (by tile start).
        int[] dims = {24, 8, 8};
        int[] patch = {16, 8, 8};
        List<int[]> seen = new ArrayList<>();
        TilePredictor byTile = new Trivial(patch, 1, 1, 0f, false) {
            @Override
            public float[] predict(float[] in) {
                // The input is the i index itself, so the tile start is in[0].
                float[] out = new float[in.length];
                java.util.Arrays.fill(out, in[0] == 0 ? 0f : 1f);
                seen.add(new int[] {(int) in[0]});
                return out;
            }
        };
        float[][] image = new float[1][24 * 8 * 8];
        for (int v = 0; v < image[0].length; v++) {
            image[0][v] = v % 24;
        }
        float[] out = new SlidingWindow(SlidingWindow.Settings.nnUNet()).predict(image, dims, List.of(byTile))[0];
        assertEquals(2, seen.size()); // starts 0 and 8
        assertEquals(0f, out[0]);
        assertEquals(1f, out[23]);
        // At i = 12 both tiles overlap: tile 0 at offset 12 (4 from its centre 8), tile 1 at offset 4
        // (4 from its centre): equal weights -> 0.5.
        assertEquals(0.5f, out[12], 1e-6);
        // At i = 10: tile 0 is 2 from its centre, tile 1 is 6 away -> closer to tile 0.
        double w0 = Math.exp(-0.5 * 4 / 4.0);
        double w1 = Math.exp(-0.5 * 36 / 4.0);
        assertEquals(w1 / (w0 + w1), out[10], 1e-6);
    }

    @Test
    void rejectsMismatchedChannels() {
        Trivial p = new Trivial(new int[] {4, 4, 4}, 2, 1, 1f, false);
        assertThrows(IllegalArgumentException.class,
                () -> new SlidingWindow(SlidingWindow.Settings.nnUNet()).predict(new float[1][64], new int[] {4, 4, 4}, List.of(p)));
    }
}
