package org.lesionlink.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.evaluation.Task;
import org.lesionlink.evaluation.metric.LesionWise;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelSpec;

/** The search finds the postprocessing that removes known false positives, and keeps the rest as it is. */
class PostprocessingSearchTest {

    static final int N = 20;
    static final Geometry GRID = Geometry.axisAligned(new int[] {N, N, N}, new double[] {2, 2, 2}, new double[] {0, 0, 0});

    static ModelSpec spec() {
        return new ModelSpec("r", "1", ModelSpec.Task.BRAIN_METASTASES,
                List.of(ModelSpec.Input.of("t1c", ModelSpec.Normalization.ZSCORE_NONZERO)), new double[] {2, 2, 2},
                new int[] {8, 8, 8}, null, ModelSpec.Activation.SIGMOID,
                List.of(new ModelSpec.Label(1, "NETC", "#ff0000", null), new ModelSpec.Label(2, "SNFH", "#00ff00", null),
                        new ModelSpec.Label(3, "ET", "#0000ff", null)),
                List.of(new ModelSpec.Region("WT", new int[] {1, 2, 3}), new ModelSpec.Region("TC", new int[] {1, 3}),
                        new ModelSpec.Region("ET", new int[] {3})),
                new int[] {2, 1, 3}, new int[] {0, 1, 2}, null, List.of("f.pt"), ModelSpec.Engine.TORCHSCRIPT, null);
    }

    static void cube(float[] a, int i0, int j0, int k0, int size, float value) {
        for (int k = k0; k < k0 + size; k++) {
            for (int j = j0; j < j0 + size; j++) {
                for (int i = i0; i < i0 + size; i++) {
                    a[i + N * (j + N * k)] = value;
                }
            }
        }
    }

    /**
     * Truth: one enhancing 4^3 cube, predicted confidently. False positive WT only: in case "small" two
     * confident voxels (16 mm^3), in case "faint" a 4^3 cube (512 mm^3, as large as the lesion) at
     * probability 0.62.
     */
    static PostprocessingSearch.Case phantomCase(String id, boolean faint) {
        float[][] logits = new float[3][N * N * N];
        for (float[] l : logits) {
            Arrays.fill(l, -5);
            cube(l, 3, 3, 3, 4, 5);
        }
        if (faint) {
            cube(logits[0], 12, 12, 12, 4, 0.5f);
        } else {
            logits[0][15 + N * (15 + N * 15)] = 5;
            logits[0][16 + N * (15 + N * 15)] = 5;
        }
        float[] truth = new float[N * N * N];
        cube(truth, 3, 3, 3, 4, 3);
        return new PostprocessingSearch.Case(id, logits, GRID, GRID, Volume.ofFloats(GRID, truth));
    }

    @Test
    void removesSmallAndFaintFalsePositivesAndKeepsTheLesion() {
        List<PostprocessingSearch.Case> cases = List.of(phantomCase("small", false), phantomCase("faint", true));
        PostprocessingSearch search = new PostprocessingSearch(spec(), Task.BRAIN.regions(), LesionWise.Params.BRATS_METS_2023);
        List<PostprocessingSearch.Trial> logged = new ArrayList<>();
        PostprocessingSearch.Result r = search.run(cases, logged::add);

        // baseline: ET and TC perfect; WT has one false positive per case, lesion-wise Dice 1 / 2
        assertEquals(0.5, r.baseline().regionScores()[2], 1e-9);
        assertEquals((1 + 1 + 0.5) / 3, r.baseline().score(), 1e-9);
        // the smallest volume that drops 2 voxels of 8 mm^3, and the lowest WT threshold above 0.62
        assertEquals(32.0, r.chosen().post().minComponentMm3());
        assertEquals(List.of(0.7, 0.5, 0.5), r.chosen().post().thresholds());
        assertEquals(1.0, r.chosen().score(), 1e-9);
        assertEquals(logged, r.trials());
        assertTrue(r.trials().size() > 10, "trials: " + r.trials().size());
    }

    @Test
    void keepsNoPostprocessingWhenNothingHelps() {
        PostprocessingSearch.Case clean = phantomCase("clean", false);
        float[][] logits = clean.logits();
        logits[0][15 + N * (15 + N * 15)] = -5;
        logits[0][16 + N * (15 + N * 15)] = -5;
        PostprocessingSearch.Result r = new PostprocessingSearch(spec(), Task.BRAIN.regions(), LesionWise.Params.BRATS_METS_2023)
                .run(List.of(clean), t -> { });
        assertEquals(1.0, r.baseline().score(), 1e-9);
        assertNull(r.chosen().post().minComponentMm3());
        assertNull(r.chosen().post().thresholds());
    }
}
