package org.lesionlink.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each loss on tensors small enough to work out by hand; the arithmetic is in the comments and the
 * expected values are written as that arithmetic (s = 1e-5 is the smoothing term).
 */
class LossesTest {

    private static final double S = 1e-5;
    private static final double LN3 = Math.log(3);
    private static final double LN2 = Math.log(2);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Sigmoid case: one sample, one region, 4 voxels (shape 1,1,1,1,4).
     * logits (ln3, 0, -ln3, ln3) -> p = (0.75, 0.5, 0.25, 0.75); target y = (1, 1, 0, 0).
     * TP = 0.75 + 0.5 = 1.25; FP = 0.25 + 0.75 = 1.0; FN = 0.25 + 0.5 = 0.75.
     */
    private NDArray[] sigmoidCase() {
        NDArray x = manager.create(new float[] {(float) LN3, 0, (float) -LN3, (float) LN3}, new Shape(1, 1, 1, 1, 4));
        NDArray y = manager.create(new float[] {1, 1, 0, 0}, new Shape(1, 1, 1, 1, 4));
        return new NDArray[] {x, y};
    }

    @Test
    void tverskyBceOnRegions() {
        NDArray[] c = sigmoidCase();
        // Tversky: TI = (1.25 + s) / (1.25 + 0.3 * 1.0 + 0.7 * 0.75 + s) = 1.25 / 2.075 = 0.60241; loss 0.39759
        double tversky = 1 - (1.25 + S) / (1.25 + 0.3 * 1.0 + 0.7 * 0.75 + S);
        // BCE, pos_weight 10: positives 10 (-ln 0.75) + 10 (-ln 0.5); negatives -ln(1 - 0.25) - ln(1 - 0.75)
        //   = 10 * 0.28768 + 10 * 0.69315 + 0.28768 + 1.38629 = 11.48227; mean over 4 voxels 2.87057
        double bce = (10 * -Math.log(0.75) + 10 * -Math.log(0.5) - Math.log(0.75) - Math.log(0.25)) / 4;
        // total 0.39759 + 2.87057 = 3.26816
        float loss = SegmentationLoss.of("tversky-bce", SegmentationLoss.Output.SIGMOID, false).compute(c[0], c[1]).getFloat();
        assertEquals(tversky + bce, loss, 1e-5);
        assertEquals(3.26816, loss, 1e-5);
    }

    @Test
    void diceCeOnRegions() {
        NDArray[] c = sigmoidCase();
        // Dice = (2 * 1.25 + s) / (2 * 1.25 + 1.0 + 0.75 + s) = 2.5 / 4.25 = 0.58824; loss 0.41176
        double dice = 1 - (2 * 1.25 + S) / (2 * 1.25 + 1.0 + 0.75 + S);
        // BCE (no weight): (0.28768 + 0.69315 + 0.28768 + 1.38629) / 4 = 0.66370
        double bce = (-Math.log(0.75) - Math.log(0.5) - Math.log(0.75) - Math.log(0.25)) / 4;
        // total 1.07547
        float loss = SegmentationLoss.of("dice-ce", SegmentationLoss.Output.SIGMOID, false).compute(c[0], c[1]).getFloat();
        assertEquals(dice + bce, loss, 1e-5);
        assertEquals(1.07547, loss, 1e-5);
    }

    /**
     * Softmax case: one sample, channels (background, a, b), 2 voxels (shape 1,3,1,1,2).
     * voxel 0 logits (0, ln2, 0) -> exp (1, 2, 1) / 4 -> p = (0.25, 0.5, 0.25), target class a;
     * voxel 1 logits (ln2, 0, 0) -> exp (2, 1, 1) / 4 -> p = (0.5, 0.25, 0.25), target background.
     * Class a: p = (0.5, 0.25), y = (1, 0): TP 0.5, FP 0.25, FN 0.5.
     * Class b: p = (0.25, 0.25), y = (0, 0): TP 0, FP 0.5, FN 0.
     */
    private NDArray[] softmaxCase() {
        // memory order (N, C, D, H, W) with W = 2 voxels: channel-major
        NDArray x = manager.create(new float[] {0, (float) LN2, (float) LN2, 0, 0, 0}, new Shape(1, 3, 1, 1, 2));
        NDArray y = manager.create(new float[] {0, 1, 1, 0, 0, 0}, new Shape(1, 3, 1, 1, 2));
        return new NDArray[] {x, y};
    }

    @Test
    void diceCeOnLabels() {
        NDArray[] c = softmaxCase();
        // CE = mean(-ln 0.5, -ln 0.5) = 0.69315
        double ce = -Math.log(0.5);
        // Dice a = (1 + s) / (1 + 0.25 + 0.5 + s) = 0.57143; Dice b = s / (0.5 + s) = 0.00002
        // Dice term = 1 - (0.57143 + 0.00002) / 2 = 0.71428; total 1.40743
        double dice = 1 - ((2 * 0.5 + S) / (2 * 0.5 + 0.25 + 0.5 + S) + S / (0.5 + S)) / 2;
        float loss = SegmentationLoss.of("dice-ce", SegmentationLoss.Output.SOFTMAX, false).compute(c[0], c[1]).getFloat();
        assertEquals(dice + ce, loss, 1e-5);
        assertEquals(1.40743, loss, 1e-5);
    }

    @Test
    void tverskyBceOnLabels() {
        NDArray[] c = softmaxCase();
        // TI a = (0.5 + s) / (0.5 + 0.3 * 0.25 + 0.7 * 0.5 + s) = 0.5 / 0.925 = 0.54054
        // TI b = s / (0.3 * 0.5 + s) = 0.00007; Tversky term = 1 - (0.54054 + 0.00007) / 2 = 0.72970
        double tversky = 1 - ((0.5 + S) / (0.5 + 0.3 * 0.25 + 0.7 * 0.5 + S) + S / (0.3 * 0.5 + S)) / 2;
        // One-vs-rest BCE over foreground channels a, b (4 elements), pos_weight 10:
        //   a: voxel 0 y=1 p=0.5: 10 (-ln 0.5) = 6.93147; voxel 1 y=0 p=0.25: -ln 0.75 = 0.28768
        //   b: both y=0 p=0.25: 2 * 0.28768
        //   mean (6.93147 + 3 * 0.28768) / 4 = 1.94863; total 2.67833
        double bce = (10 * -Math.log(0.5) + 3 * -Math.log(0.75)) / 4;
        float loss = SegmentationLoss.of("tversky-bce", SegmentationLoss.Output.SOFTMAX, false).compute(c[0], c[1]).getFloat();
        assertEquals(tversky + bce, loss, 1e-5);
        assertEquals(2.67833, loss, 1e-5);
    }

    @Test
    void batchDicePoolsTheSamples() {
        // Two samples of one region with 2 voxels; logits 0 everywhere -> p = 0.5.
        // sample 0: y = (1, 1): TP 1, FP 0, FN 1;  sample 1: y = (0, 0): TP 0, FP 1, FN 0.
        NDArray x = manager.zeros(new Shape(2, 1, 1, 1, 2));
        NDArray y = manager.create(new float[] {1, 1, 0, 0}, new Shape(2, 1, 1, 1, 2));
        // per sample: D0 = (2 + s) / (2 + 0 + 1 + s) = 0.66667, D1 = s / (1 + s) ~ 0; term 1 - 0.33334
        double perSample = 1 - ((2 + S) / (3 + S) + S / (1 + S)) / 2;
        // batch: TP 1, FP 1, FN 1 -> D = (2 + s) / (4 + s) = 0.5; term 0.5
        double batch = 1 - (2 + S) / (4 + S);
        double bce = -Math.log(0.5);
        assertEquals(perSample + bce, new DiceCe(SegmentationLoss.Output.SIGMOID, false).compute(x, y).getFloat(), 1e-5);
        assertEquals(batch + bce, new DiceCe(SegmentationLoss.Output.SIGMOID, true).compute(x, y).getFloat(), 1e-5);
    }

    @Test
    void gradientsFlowToTheLogits() {
        NDArray[] c = sigmoidCase();
        c[0].setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = SegmentationLoss.of("tversky-bce", SegmentationLoss.Output.SIGMOID, false).compute(c[0], c[1]);
            gc.backward(loss);
        }
        float[] g = c[0].getGradient().toFloatArray();
        // positives want larger logits (negative gradient), negatives smaller (positive gradient)
        assertTrue(g[0] < 0 && g[1] < 0 && g[2] > 0 && g[3] > 0, java.util.Arrays.toString(g));
    }

    @Test
    void unknownLossIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentationLoss.of("focal", SegmentationLoss.Output.SIGMOID, false));
        assertTrue(e.getMessage().contains("'focal'"));
    }
}
