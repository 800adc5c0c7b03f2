package org.lesionlink.evaluation.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Metrics on analytic phantoms with anisotropic spacing, where the answer is known: offset balls (Dice
 * from the lens volume, Hausdorff equal to the offset), blocks, empty masks, and lesion layouts.
 */
class MetricPhantomTest {

    private static final double[] S = {0.8, 1.0, 1.5};
    private static final int NX = 60;
    private static final int NY = 50;
    private static final int NZ = 34;
    private static final LesionWise.Params METS = LesionWise.Params.BRATS_METS_2023;

    @Test
    void ballsOffsetByWholeVoxelsHaveHausdorffEqualToTheOffset() {
        double r = 12;
        double[] c = {24, 25, 24};
        BinaryMask truth = Phantoms.ball(NX, NY, NZ, S, c, r);
        // 3 voxels along each axis in turn: 2.4 mm, 3 mm, 4.5 mm
        for (int axis = 0; axis < 3; axis++) {
            double offset = 3 * S[axis];
            BinaryMask pred = Phantoms.shift(truth, axis, 3);
            MaskMetrics m = MaskMetrics.of(truth, pred, METS);
            // translates of one voxel set: every point moves by exactly the offset, and the extreme points
            // along the axis can get no closer, so HD is the offset exactly.
            assertEquals(offset, m.hausdorff(), 1e-9, "axis " + axis);
            assertTrue(m.hd95() > 0 && m.hd95() <= m.hausdorff(), "0 < HD95 <= HD, got " + m.hd95());
            double analytic = Phantoms.lensVolume(r, offset) / Phantoms.ballVolume(r);
            assertEquals(analytic, m.overlap().dice(), 0.02, "Dice vs lens volume, axis " + axis);
            assertEquals(m.overlap().dice(), m.overlap().sensitivity(), 1e-12, "equal volumes: sensitivity = Dice");
            assertEquals(Phantoms.ballVolume(r) / 1000, m.volumeTrueMl(), 0.02 * Phantoms.ballVolume(r) / 1000);
            assertEquals(m.volumeTrueMl(), m.volumePredMl(), 1e-12);
        }
    }

    @Test
    void ballsOffsetByAFractionOfAVoxelHaveHausdorffWithinAVoxelOfTheOffset() {
        double r = 10;
        double[] c = {24.1, 24.7, 24.3};
        BinaryMask truth = Phantoms.ball(NX, NY, NZ, S, c, r);
        double[] d = {2.3, -1.7, 2.9};
        double offset = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        BinaryMask pred = Phantoms.ball(NX, NY, NZ, S, new double[] {c[0] + d[0], c[1] + d[1], c[2] + d[2]}, r);
        MaskMetrics m = MaskMetrics.of(truth, pred, METS);
        double voxelDiagonal = Math.sqrt(S[0] * S[0] + S[1] * S[1] + S[2] * S[2]);
        assertEquals(offset, m.hausdorff(), voxelDiagonal);
        assertEquals(Phantoms.lensVolume(r, offset) / Phantoms.ballVolume(r), m.overlap().dice(), 0.03);
    }

    @Test
    void nestedBallsHaveHausdorffEqualToTheRadiusDifference() {
        double[] c = {24, 25, 24};
        BinaryMask truth = Phantoms.ball(NX, NY, NZ, S, c, 12);
        BinaryMask pred = Phantoms.ball(NX, NY, NZ, S, c, 7.5);
        MaskMetrics m = MaskMetrics.of(truth, pred, METS);
        assertEquals(4.5, m.hausdorff(), Math.sqrt(S[0] * S[0] + S[1] * S[1] + S[2] * S[2]));
        // all of the prediction lies inside the truth
        assertEquals(1.0, m.overlap().predictedVoxels() == m.overlap().truePositives() ? 1.0 : 0.0);
        assertEquals(Math.pow(7.5 / 12, 3), m.overlap().sensitivity(), 0.03);
        assertEquals(1.0, m.overlap().specificity(), 1e-12);
    }

    @Test
    void blocksGiveExactCountsAndDistances() {
        boolean[] t = new boolean[NX * NY * NZ];
        boolean[] p = new boolean[NX * NY * NZ];
        Phantoms.paintBlock(t, NX, NY, 10, 19, 10, 19, 10, 19); // 1000 voxels
        Phantoms.paintBlock(p, NX, NY, 10, 19, 10, 19, 12, 21); // shifted 2 slices in k: 3 mm
        BinaryMask truth = new BinaryMask(NX, NY, NZ, S, t);
        BinaryMask pred = new BinaryMask(NX, NY, NZ, S, p);
        MaskMetrics m = MaskMetrics.of(truth, pred, METS);
        assertEquals(800, m.overlap().truePositives());
        assertEquals(0.8, m.overlap().dice(), 1e-12);
        assertEquals(3.0, m.hausdorff(), 1e-12);
        assertEquals(1000 * 1.2 / 1000, m.volumeTrueMl(), 1e-12);
        long bg = (long) NX * NY * NZ - 1000;
        assertEquals((bg - 200.0) / bg, m.overlap().specificity(), 1e-12);
    }

    @Test
    void emptyMasksFollowTheDocumentedConventions() {
        BinaryMask empty = Phantoms.empty(NX, NY, NZ, S);
        BinaryMask ball = Phantoms.ball(NX, NY, NZ, S, new double[] {20, 20, 20}, 5);
        MaskMetrics both = MaskMetrics.of(empty, empty, METS);
        assertEquals(1.0, both.overlap().dice());
        assertEquals(0.0, both.hausdorff());
        assertEquals(0.0, both.hd95());
        assertTrue(Double.isNaN(both.overlap().sensitivity()));
        assertEquals(1.0, both.overlap().specificity());
        assertEquals(1.0, both.lesions().dice());
        assertEquals(0.0, both.lesions().hd95());

        MaskMetrics missed = MaskMetrics.of(ball, empty, METS);
        assertEquals(0.0, missed.overlap().dice());
        assertEquals(374.0, missed.hausdorff());
        assertEquals(374.0, missed.hd95());
        assertEquals(0.0, missed.overlap().sensitivity());
        assertEquals(1, missed.lesions().falseNegatives());
        assertEquals(0.0, missed.lesions().dice());
        assertEquals(374.0, missed.lesions().hd95());

        MaskMetrics hallucinated = MaskMetrics.of(empty, ball, METS);
        assertEquals(0.0, hallucinated.overlap().dice());
        assertEquals(374.0, hallucinated.hd95());
        assertTrue(Double.isNaN(hallucinated.overlap().sensitivity()));
        assertEquals(1, hallucinated.lesions().falsePositives());
        assertEquals(0.0, hallucinated.lesions().dice());
        assertEquals(374.0, hallucinated.lesions().hd95());
    }

    @Test
    void lesionWiseCountsMatchesMissesFalsePositivesAndIgnoresTinyLesions() {
        double[] s = {1, 1, 1};
        int n = 64;
        boolean[] t = new boolean[n * n * n];
        boolean[] p = new boolean[n * n * n];
        Phantoms.paintBall(t, n, n, n, s, new double[] {10, 10, 10}, 1.9);  // diameter < 5 mm
        Phantoms.paintBall(t, n, n, n, s, new double[] {30, 12, 12}, 3.6);  // 5-10 mm
        Phantoms.paintBall(t, n, n, n, s, new double[] {40, 40, 40}, 7.0);  // > 10 mm, missed
        t[50 + n * (5 + n * 5)] = true;                                      // 1 voxel: ignored
        Phantoms.paintBall(p, n, n, n, s, new double[] {10, 10, 10}, 1.9);
        Phantoms.paintBall(p, n, n, n, s, new double[] {30, 12, 12}, 3.6);
        Phantoms.paintBall(p, n, n, n, s, new double[] {12, 45, 12}, 3.0);  // false positive
        p[50 + n * (5 + n * 6)] = true;                                      // touches the ignored lesion: neither TP nor FP
        LesionWise.Result r = LesionWise.evaluate(new BinaryMask(n, n, n, s, t), new BinaryMask(n, n, n, s, p), METS);
        assertEquals(2, r.truePositives());
        assertEquals(1, r.falseNegatives());
        assertEquals(1, r.falsePositives());
        assertEquals(3, r.truthLesions());
        assertEquals(4, r.predictedLesions());
        assertEquals((1 + 1 + 0 + 0) / 4.0, r.dice(), 1e-12);
        assertEquals((0 + 0 + 374 + 374) / 4.0, r.hd95(), 1e-12);
        assertEquals(1.0, r.bucketSensitivity(0));
        assertEquals(1.0, r.bucketSensitivity(1));
        assertEquals(0.0, r.bucketSensitivity(2));
    }

    @Test
    void truthLesionsMergeWhenTheirDilationsTouch() {
        double[] s = {0.9, 0.9, 2.0};
        int n = 30;
        for (int gap = 1; gap <= 3; gap++) {
            boolean[] t = new boolean[n * n * n];
            Phantoms.paintBlock(t, n, n, 5, 8, 5, 8, 5, 8);
            Phantoms.paintBlock(t, n, n, 9 + gap, 12 + gap, 5, 8, 5, 8);
            // the prediction finds only the first block
            boolean[] p = new boolean[n * n * n];
            Phantoms.paintBlock(p, n, n, 5, 8, 5, 8, 5, 8);
            LesionWise.Result r = LesionWise.evaluate(new BinaryMask(n, n, n, s, t), new BinaryMask(n, n, n, s, p), METS);
            // dilating each block by one voxel closes gaps of 1 and 2 (the grown blocks touch), not of 3
            int expected = gap <= 2 ? 1 : 2;
            assertEquals(expected, r.truthLesions(), "gap " + gap);
            if (gap <= 2) {
                assertEquals(1, r.truePositives());
                assertEquals(2 * 64.0 / (128 + 64), r.dice(), 1e-12, "merged lesion against the half found");
            } else {
                assertEquals(1, r.falseNegatives());
                assertEquals(0.5, r.dice(), 1e-12);
            }
        }
    }

    @Test
    void predictionsMatchWithinOneDilationStep() {
        double[] s = {1, 1, 1};
        int n = 30;
        boolean[] t = new boolean[n * n * n];
        Phantoms.paintBlock(t, n, n, 5, 8, 5, 8, 5, 8);
        for (int gap = 0; gap <= 1; gap++) {
            boolean[] p = new boolean[n * n * n];
            Phantoms.paintBlock(p, n, n, 9 + gap, 12 + gap, 5, 8, 5, 8);
            LesionWise.Result r = LesionWise.evaluate(new BinaryMask(n, n, n, s, t), new BinaryMask(n, n, n, s, p), METS);
            if (gap == 0) {
                assertEquals(1, r.truePositives(), "adjacent prediction touches the dilated lesion");
                assertEquals(0, r.falsePositives());
                assertEquals(0.0, r.dice(), 1e-12, "matched but no overlap");
            } else {
                assertEquals(0, r.truePositives());
                assertEquals(1, r.falsePositives());
                assertEquals(1, r.falseNegatives());
            }
        }
    }
}
