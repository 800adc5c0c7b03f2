package org.lesionlink.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.window.TilePredictor;

/** The pipeline around the sliding window, with a trivial predictor (no DJL, no Python). */
class SegmenterTest {

    /** Softmax logits {0, x0 - 1, -10, -10}: label 1 where the normalised first channel exceeds 1. */
    static final class Threshold implements TilePredictor {
        final int[] tile;

        Threshold(int[] tile) {
            this.tile = tile;
        }

        @Override
        public int[] tileShape() {
            return tile.clone();
        }

        @Override
        public int inputChannels() {
            return 1;
        }

        @Override
        public int outputChannels() {
            return 4;
        }

        @Override
        public int batchSize() {
            return 1;
        }

        @Override
        public float[] predict(float[] in) {
            int tv = tileVoxels();
            float[] out = new float[4 * tv];
            for (int v = 0; v < tv; v++) {
                out[tv + v] = in[v] - 1;
                out[2 * tv + v] = -10;
                out[3 * tv + v] = -10;
            }
            return out;
        }
    }

    static ModelSpec spec(double[] spacing, int minVoxels) {
        return new ModelSpec("t", "1", ModelSpec.Task.BRAIN_METASTASES,
                List.of(ModelSpec.Input.of("t1c", ModelSpec.Normalization.ZSCORE_NONZERO)), spacing, new int[] {8, 8, 8},
                null, ModelSpec.Activation.SOFTMAX,
                List.of(new ModelSpec.Label(1, "NETC", "#ff0000", null), new ModelSpec.Label(2, "SNFH", "#00ff00", null),
                        new ModelSpec.Label(3, "ET", "#0000ff", null)),
                null, null, new int[] {0, 1, 2}, new ModelSpec.PostProcessing(minVoxels), List.of("f.pt"),
                ModelSpec.Engine.TORCHSCRIPT, null);
    }

    /** Background 0 outside a 10 x 8 x 6 box at (3, 2, 1); inside 100, with a bright 3^3 cube of 400 at (5, 4, 2). */
    static Volume phantom(Geometry g) {
        int[] d = g.dims();
        float[] f = new float[d[0] * d[1] * d[2]];
        for (int k = 0, v = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++, v++) {
                    boolean in = i >= 3 && i < 13 && j >= 2 && j < 10 && k >= 1 && k < 7;
                    boolean bright = i >= 5 && i < 8 && j >= 4 && j < 7 && k >= 2 && k < 5;
                    f[v] = bright ? 400 : in ? 100 : 0;
                }
            }
        }
        return Volume.ofFloats(g, f);
    }

    @Test
    void cropNormaliseAndRestoreOnTheModelGrid() {
        Geometry g = Geometry.axisAligned(new int[] {16, 12, 10}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Segmentation s = new Segmenter(spec(new double[] {1, 1, 1}, 0), List.of(new Threshold(new int[] {8, 8, 8})),
                Segmenter.Options.defaults()).segment(List.of(phantom(g)));
        assertEquals(DataType.UINT8, s.labelMap().type());
        assertEquals(g, s.labelMap().geometry());
        assertEquals("BoundingBox[start [3, 2, 1], size [10, 8, 6]]", s.crop().orElseThrow().toString());
        // z-score over the box: 27 of 480 voxels at 400, the rest 100 -> the bright cube is > 1 std above.
        for (int k = 0, v = 0; k < 10; k++) {
            for (int j = 0; j < 12; j++) {
                for (int i = 0; i < 16; i++, v++) {
                    boolean bright = i >= 5 && i < 8 && j >= 4 && j < 7 && k >= 2 && k < 5;
                    assertEquals(bright ? 1 : 0, s.labelMap().value(0, v), "voxel " + i + "," + j + "," + k);
                }
            }
        }
        assertEquals(1, s.lesions().size());
        assertEquals(27, s.lesions().get(0).voxels());
        assertEquals(Math.sqrt(12), s.lesions().get(0).longestDiameterMm(), 1e-12);
    }

    @Test
    void anisotropicInputIsResampledToTheModelSpacingAndBack() {
        // 2 mm along k on input, 1 mm in the model: the label map comes back on the 2 mm grid.
        Geometry g = Geometry.axisAligned(new int[] {16, 12, 10}, new double[] {1, 1, 2}, new double[] {0, 0, 0});
        Segmentation s = new Segmenter(spec(new double[] {1, 1, 1}, 0), List.of(new Threshold(new int[] {8, 8, 8})),
                Segmenter.Options.defaults()).segment(List.of(phantom(g)));
        assertEquals(g, s.labelMap().geometry());
        // The bright cube's centre voxel stays labelled, far corners of the box do not.
        assertEquals(1, s.labelMap().value(0, 6, 5, 3));
        assertEquals(0, s.labelMap().value(0, 3, 2, 1));
        assertTrue(s.lesions().size() >= 1);
        assertTrue(s.timings().get("resample").toNanos() > 0);
    }

    @Test
    void smallComponentsAreRemovedAndEmptyInputsGiveAnEmptyMap() {
        Geometry g = Geometry.axisAligned(new int[] {16, 12, 10}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Segmentation s = new Segmenter(spec(new double[] {1, 1, 1}, 28), List.of(new Threshold(new int[] {8, 8, 8})),
                Segmenter.Options.defaults()).segment(List.of(phantom(g)));
        assertEquals(0, s.lesions().size());
        Segmentation empty = new Segmenter(spec(new double[] {1, 1, 1}, 0), List.of(new Threshold(new int[] {8, 8, 8})),
                Segmenter.Options.defaults()).segment(List.of(Volume.ofFloats(g, new float[16 * 12 * 10])));
        assertTrue(empty.crop().isEmpty());
        assertEquals(0, empty.lesions().size());
        assertEquals(g, empty.labelMap().geometry());
    }

    @Test
    void minimumComponentVolumeIsInMm3OfTheInputGrid() {
        // the bright cube is 27 voxels of 1 mm^3 on the input grid
        Geometry g = Geometry.axisAligned(new int[] {16, 12, 10}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        for (double min : new double[] {27, 28}) {
            ModelSpec spec = spec(new double[] {1, 1, 1}, 0).withPostprocessing(new ModelSpec.PostProcessing(0, min, null));
            Segmentation s = new Segmenter(spec, List.of(new Threshold(new int[] {8, 8, 8})), Segmenter.Options.defaults())
                    .segment(List.of(phantom(g)));
            assertEquals(min <= 27 ? 1 : 0, s.lesions().size(), "minimum " + min + " mm^3");
        }
    }

    @Test
    void rejectsWrongInputCountAndMismatchedPredictors() {
        Geometry g = Geometry.axisAligned(new int[] {16, 12, 10}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Segmenter seg = new Segmenter(spec(new double[] {1, 1, 1}, 0), List.of(new Threshold(new int[] {8, 8, 8})),
                Segmenter.Options.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(List.of(phantom(g), phantom(g))));
        assertTrue(e.getMessage().contains("takes 1 inputs [t1c], got 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(spec(new double[] {1, 1, 1}, 0),
                List.of(new Threshold(new int[] {8, 8, 4})), Segmenter.Options.defaults()));
    }
}
