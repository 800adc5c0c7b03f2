package org.lesionlink.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.training.TaskDefaults;
import org.lesionlink.training.TrainingFixtures;

class DataTest {

    @TempDir
    static Path dir;

    static ModelSpec spec;
    static TrainingCase one;

    @BeforeAll
    static void cases() throws Exception {
        TrainingFixtures.brainCases(dir, 1, "t1c", "flair");
        spec = TaskDefaults.BRAIN.spec("test", List.of("t1c", "flair"), new int[] {16, 16, 16}, 1.5,
                ModelSpec.Engine.DJL, new ModelSpec.Architecture("unet", null), List.of("fold0.params"));
        one = TrainingCase.load(TrainingCase.list(dir).get(0), spec);
    }

    @Test
    void casesArePreprocessedLikeInference() {
        // brain ball of radius 11 in 24^3 at 1 mm: crop 23^3 (voxels 1..23 hold the ball) -> 1.5 mm: ~15^3
        for (int a = 0; a < 3; a++) {
            assertTrue(one.dims()[a] >= 14 && one.dims()[a] <= 16, java.util.Arrays.toString(one.dims()));
        }
        assertEquals(2, one.channels().length);
        // z-score over the non-zero mask: mean ~0 inside
        boolean hasAll = false;
        int[] counts = new int[4];
        for (byte b : one.labels()) {
            counts[b]++;
        }
        hasAll = counts[1] > 0 && counts[2] > 0 && counts[3] > 0;
        assertTrue(hasAll, java.util.Arrays.toString(counts));
    }

    private static boolean hasForeground(Patch p) {
        for (byte b : p.labels()) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void lesionSamplingCentresASmallLesionAsOftenAsALargeOne() {
        // 40^3 case, label 3 only: a 10^3 block near one corner (1,000 voxels) and a single voxel near the other.
        int n = 40;
        byte[] labels = new byte[n * n * n];
        for (int k = 2; k < 12; k++) {
            for (int j = 2; j < 12; j++) {
                for (int i = 2; i < 12; i++) {
                    labels[i + n * (j + n * k)] = 3;
                }
            }
        }
        int tiny = 35 + n * (35 + n * 35);
        labels[tiny] = 3;
        TrainingCase c = new TrainingCase("two", new int[] {n, n, n}, new float[][] {new float[n * n * n]}, labels);
        int[] patch = {5, 5, 5};
        int byVoxel = patchesWithOnlyTheTinyLesion(new PatchSampler(patch, PatchSampler.Spatial.none()), c);
        int byLesion = patchesWithOnlyTheTinyLesion(
                new PatchSampler(patch, PatchSampler.Spatial.none(), PatchSampler.Foreground.LESION), c);
        // voxel-wise: 1 in 1,001 expected of 400 (0.4); lesion-wise: 1 in 2 (200, SD 10)
        assertTrue(byVoxel <= 3, "voxel sampling centred the tiny lesion " + byVoxel + " times of 400");
        assertTrue(byLesion >= 160 && byLesion <= 240, "lesion sampling centred the tiny lesion " + byLesion + " times of 400");
    }

    private static int patchesWithOnlyTheTinyLesion(PatchSampler sampler, TrainingCase c) {
        SplittableRandom rng = new SplittableRandom(11);
        int count = 0;
        for (int t = 0; t < 400; t++) {
            int fg = 0;
            for (byte b : sampler.sample(c, true, rng).labels()) {
                fg += b == 3 ? 1 : 0;
            }
            assertTrue(fg >= 1, "a forced foreground patch holds a labelled voxel");
            count += fg == 1 ? 1 : 0;
        }
        return count;
    }

    @Test
    void foregroundPatchesAreCentredOnLabels() {
        PatchSampler sampler = new PatchSampler(new int[] {6, 6, 6}, PatchSampler.Spatial.none());
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 20; t++) {
            Patch p = sampler.sample(one, true, rng);
            assertTrue(hasForeground(p));
            assertEquals(216, p.labels().length);
        }
    }

    @Test
    void patchesLargerThanTheCaseArePaddedWithZeros() {
        PatchSampler sampler = new PatchSampler(new int[] {20, 20, 20}, PatchSampler.Spatial.nnUNet());
        Patch p = sampler.sample(one, false, new SplittableRandom(4));
        assertEquals(8000, p.labels().length);
        assertEquals(0, p.labels()[0]);
        assertEquals(0f, p.channels()[0][0]);
    }

    @Test
    void rotatedAndScaledPatchesKeepTheLabelSet() {
        PatchSampler sampler = new PatchSampler(new int[] {12, 12, 12},
                new PatchSampler.Spatial(1, Math.toRadians(30), 1, 0.7, 1.4));
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 10; t++) {
            Patch p = sampler.sample(one, true, rng);
            for (byte b : p.labels()) {
                assertTrue(b >= 0 && b <= 3);
            }
        }
    }

    @Test
    void identityAugmentationChangesNothingAndIsDeterministic() {
        PatchSampler sampler = new PatchSampler(new int[] {8, 8, 8}, PatchSampler.Spatial.nnUNet());
        Patch a = sampler.sample(one, true, new SplittableRandom(9));
        Patch b = sampler.sample(one, true, new SplittableRandom(9));
        assertArrayEquals(a.channels()[1], b.channels()[1]);
        float[] before = a.channels()[0].clone();
        new Augmenter(Augmenter.Settings.none()).apply(a, new SplittableRandom(1));
        assertArrayEquals(before, a.channels()[0]);
    }

    @Test
    void everyTransformKeepsShapeAndLabels() {
        PatchSampler sampler = new PatchSampler(new int[] {8, 8, 8}, PatchSampler.Spatial.none());
        Augmenter all = new Augmenter(new Augmenter.Settings(1, 1, 1, 1, 1, 1, 1, 1));
        for (int t = 0; t < 10; t++) {
            Patch p = sampler.sample(one, true, new SplittableRandom(t));
            all.apply(p, new SplittableRandom(100 + t));
            assertEquals(512, p.channels()[0].length);
            for (float v : p.channels()[0]) {
                assertTrue(Float.isFinite(v));
            }
            for (byte b : p.labels()) {
                assertTrue(b >= 0 && b <= 3);
            }
        }
    }

    @Test
    void mirroringFlipsImageAndLabelsTogether() {
        int[] s = {3, 2, 4};
        float[] x = new float[24];
        byte[] l = new byte[24];
        for (int v = 0; v < 24; v++) {
            x[v] = v;
            l[v] = (byte) (v % 4);
        }
        for (int axis = 0; axis < 3; axis++) {
            float[] fx = x.clone();
            byte[] fl = l.clone();
            Augmenter.mirror(fx, s, axis);
            Augmenter.mirror(fl, s, axis);
            for (int k = 0; k < s[2]; k++) {
                for (int j = 0; j < s[1]; j++) {
                    for (int i = 0; i < s[0]; i++) {
                        int[] q = {i, j, k};
                        q[axis] = s[axis] - 1 - q[axis];
                        int src = q[0] + 3 * (q[1] + 2 * q[2]);
                        int dst = i + 3 * (j + 2 * k);
                        assertEquals(x[src], fx[dst]);
                        assertEquals(l[src], fl[dst]);
                    }
                }
            }
            Augmenter.mirror(fx, s, axis);
            assertArrayEquals(x, fx);
        }
    }

    @Test
    void gammaKeepsMeanAndStdAndContrastKeepsRange() {
        float[] x = new float[1000];
        SplittableRandom r = new SplittableRandom(2);
        for (int v = 0; v < x.length; v++) {
            x[v] = (float) r.nextGaussian();
        }
        float[] g = x.clone();
        Augmenter.gamma(g, 1.4);
        assertEquals(mean(x), mean(g), 1e-4);
        assertEquals(std(x), std(g), 1e-3);
        assertNotEquals(x[0], g[0]);
        float[] c = x.clone();
        Augmenter.contrast(c, 1.25);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE, cmin = Float.MAX_VALUE, cmax = -Float.MAX_VALUE;
        for (int v = 0; v < x.length; v++) {
            min = Math.min(min, x[v]);
            max = Math.max(max, x[v]);
            cmin = Math.min(cmin, c[v]);
            cmax = Math.max(cmax, c[v]);
        }
        assertTrue(cmin >= min && cmax <= max);
    }

    @Test
    void blurAndLowResolutionKeepAConstantImage() {
        int[] s = {5, 6, 7};
        float[] x = new float[210];
        java.util.Arrays.fill(x, 3f);
        Augmenter.blur(x, s, 0.8);
        float[] low = Augmenter.lowResolution(x, s, 0.6);
        for (int v = 0; v < x.length; v++) {
            assertEquals(3f, x[v], 1e-5);
            assertEquals(3f, low[v], 1e-5);
        }
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }
}
