package org.lesionlink.inference.post;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.inference.ModelSpec;

/** Labels from logits with a model's thresholds and minimum component volume. */
class LabelMakerTest {

    /** BraTS-style sigmoid model: WT, TC, ET painted 2, 1, 3. */
    static ModelSpec regions(ModelSpec.PostProcessing post) {
        return new ModelSpec("r", "1", ModelSpec.Task.BRAIN_METASTASES,
                List.of(ModelSpec.Input.of("t1c", ModelSpec.Normalization.ZSCORE_NONZERO)), new double[] {2, 2, 2},
                new int[] {8, 8, 8}, null, ModelSpec.Activation.SIGMOID,
                List.of(new ModelSpec.Label(1, "NETC", "#ff0000", null), new ModelSpec.Label(2, "SNFH", "#00ff00", null),
                        new ModelSpec.Label(3, "ET", "#0000ff", null)),
                List.of(new ModelSpec.Region("WT", new int[] {1, 2, 3}), new ModelSpec.Region("TC", new int[] {1, 3}),
                        new ModelSpec.Region("ET", new int[] {3})),
                new int[] {2, 1, 3}, new int[] {0, 1, 2}, post, List.of("f.pt"), ModelSpec.Engine.TORCHSCRIPT, null);
    }

    static float logit(double p) {
        return (float) Math.log(p / (1 - p));
    }

    @Test
    void regionThresholdsDecideWhatIsPainted() {
        // four voxels in a row; WT probabilities 0.9, 0.65, 0.55, 0.2; TC and ET 0.7 on the first voxel only
        float[][] logits = {
            {logit(0.9), logit(0.65), logit(0.55), logit(0.2)},
            {logit(0.7), logit(0.1), logit(0.1), logit(0.1)},
            {logit(0.7), logit(0.1), logit(0.1), logit(0.1)},
        };
        int[] dims = {4, 1, 1};
        assertArrayEquals(new byte[] {3, 2, 2, 0}, LabelMaker.apply(regions(null), ModelSpec.PostProcessing.NONE, logits, dims, 8));
        ModelSpec.PostProcessing strict = new ModelSpec.PostProcessing(0, null, List.of(0.6, 0.5, 0.8));
        // WT above 0.6 keeps two voxels; ET at 0.7 is under its 0.8, so the first voxel is TC (1)
        assertArrayEquals(new byte[] {1, 2, 0, 0}, LabelMaker.apply(regions(strict), strict, logits, dims, 8));
    }

    @Test
    void minimumVolumeIsCountedInMm3OfTheGridItRunsOn() {
        // a 2-voxel and a 3-voxel component along i, apart
        float[][] logits = new float[3][7];
        for (float[] l : logits) {
            Arrays.fill(l, -5);
        }
        for (int v : new int[] {0, 1, 3, 4, 5}) {
            logits[0][v] = 5;
        }
        int[] dims = {7, 1, 1};
        ModelSpec.PostProcessing post = new ModelSpec.PostProcessing(0, 20.0, null);
        ModelSpec spec = regions(post);
        // 8 mm^3 voxels (2 mm): 16 mm^3 goes, 24 stays
        assertArrayEquals(new byte[] {0, 0, 0, 2, 2, 2, 0}, LabelMaker.apply(spec, post, logits, dims, 8));
        // 1 mm^3 voxels: both are under 20 mm^3
        assertArrayEquals(new byte[7], LabelMaker.apply(spec, post, logits, dims, 1));
        // 20 mm^3 of 8 mm^3 voxels is 2.5, i.e. at least 3 voxels; a voxel count can be stricter
        assertEquals(3, post.minVoxels(8));
        assertEquals(4, new ModelSpec.PostProcessing(4, 20.0, null).minVoxels(8));
        assertEquals(0, ModelSpec.PostProcessing.NONE.minVoxels(8));
    }

    @Test
    void softmaxModelsTakeTheArgmax() {
        ModelSpec spec = new ModelSpec("s", "1", ModelSpec.Task.SPINAL_METASTASES,
                List.of(ModelSpec.Input.of("t1", ModelSpec.Normalization.ZSCORE)), new double[] {2, 2, 2},
                new int[] {8, 8, 8}, null, ModelSpec.Activation.SOFTMAX,
                List.of(new ModelSpec.Label(1, "lesion", "#ff0000", null), new ModelSpec.Label(2, "vertebra", "#00ff00", null)),
                null, null, new int[] {0, 1, 2}, null, List.of("f.pt"), ModelSpec.Engine.TORCHSCRIPT, null);
        float[][] logits = {{0, 3, 0}, {1, 0, 0}, {0, 0, 0}};
        // ties keep the first channel (background)
        assertArrayEquals(new byte[] {1, 0, 0}, LabelMaker.apply(spec, spec.postprocessing(), logits, new int[] {3, 1, 1}, 8));
    }
}
