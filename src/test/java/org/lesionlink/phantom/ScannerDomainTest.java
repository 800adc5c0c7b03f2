package org.lesionlink.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Volume;

/** The shifted scanner domain of the transfer-learning studies, and that the standard one is unchanged. */
class ScannerDomainTest {

    @Test
    void standardDomainDrawsTheSessionsItAlwaysDrew() {
        for (int s = 0; s < 20; s++) {
            ScannerModel a = ScannerModel.random(new SplittableRandom(s), 4);
            ScannerModel b = ScannerModel.random(new SplittableRandom(s), 4, ScannerDomain.STANDARD);
            assertArrayEquals(a.gain(), b.gain());
            assertArrayEquals(a.blurSigmaVoxels(), b.blurSigmaVoxels());
            assertEquals(a.gamma(), b.gamma());
            assertEquals(a.noiseFraction(), b.noiseFraction());
            assertEquals(a.biasStrength(), b.biasStrength());
        }
        assertTrue(ScannerDomain.STANDARD.shift(BrainContrast.TABLE) == BrainContrast.TABLE);
    }

    @Test
    void shiftedSessionsStayInTheirRanges() {
        ScannerDomain d = ScannerDomain.SHIFTED;
        for (int s = 0; s < 200; s++) {
            ScannerModel m = ScannerModel.random(new SplittableRandom(s), 4, d);
            assertTrue(m.noiseFraction() >= 0.04 && m.noiseFraction() <= 0.08, "noise " + m.noiseFraction());
            assertTrue(m.biasStrength() >= 0.3 && m.biasStrength() <= 0.5, "bias " + m.biasStrength());
            assertTrue(m.gamma() >= 1.2 && m.gamma() <= 1.5, "gamma " + m.gamma());
            assertTrue(m.rician());
            double[] b = m.blurSigmaVoxels();
            assertTrue(b[2] >= 1.0 && b[2] <= 1.6, "thick slices along k: " + java.util.Arrays.toString(b));
            assertTrue(b[0] >= 0.3 && b[0] <= 0.8 && b[1] >= 0.3 && b[1] <= 0.8, java.util.Arrays.toString(b));
        }
    }

    @Test
    void shiftedContrastIsFlatterButKeepsTheOrderings() {
        BrainContrast std = BrainContrast.TABLE;
        BrainContrast sh = ScannerDomain.SHIFTED.shift(std);
        for (BrainChannel c : BrainChannel.values()) {
            double wm = std.tissue(c, Tissue.WHITE_MATTER);
            assertEquals(wm, sh.tissue(c, Tissue.WHITE_MATTER), 1e-12);
            assertEquals(0, sh.tissue(c, Tissue.BACKGROUND));
            for (Tissue t : new Tissue[] {Tissue.CSF, Tissue.GREY_MATTER}) {
                assertEquals(0.85 * (std.tissue(c, t) - wm), sh.tissue(c, t) - wm, 1e-12, c + " " + t);
            }
        }
        double wm = std.tissue(BrainChannel.T1C, Tissue.WHITE_MATTER);
        assertEquals(0.8 * 0.85 * (std.lesion(BrainChannel.T1C, BratsLabel.ET) - wm), sh.lesion(BrainChannel.T1C, BratsLabel.ET) - wm,
                1e-12);
        // the orderings of the table's Javadoc survive
        assertTrue(sh.tissue(BrainChannel.T1, Tissue.WHITE_MATTER) > sh.tissue(BrainChannel.T1, Tissue.GREY_MATTER));
        assertTrue(sh.tissue(BrainChannel.T2, Tissue.CSF) > sh.tissue(BrainChannel.T2, Tissue.GREY_MATTER));
        assertTrue(sh.lesion(BrainChannel.FLAIR, BratsLabel.SNFH) > sh.tissue(BrainChannel.FLAIR, Tissue.GREY_MATTER));
        assertTrue(sh.lesion(BrainChannel.T1C, BratsLabel.ET) > sh.tissue(BrainChannel.T1C, Tissue.WHITE_MATTER) * 1.07 / 0.93);
    }

    @Test
    void aShiftedCaseHasTheSameAnatomyAndLabelsButNoisierFlatterImages() {
        BrainParams p = BrainParams.defaults(new double[] {2, 2, 2});
        PhantomCase std = new BrainPhantom(PhantomFixtures.tissues2mm(), p).generate(5, 0);
        PhantomCase sh = new BrainPhantom(PhantomFixtures.tissues2mm(), p, ScannerDomain.SHIFTED).generate(5, 0);
        assertArrayEquals(PhantomFixtures.bytes(std.labels()), PhantomFixtures.bytes(sh.labels()));
        assertEquals("shifted", sh.description().get("domain"));
        assertTrue(!std.description().containsKey("domain"));
        byte[] seg = PhantomFixtures.bytes(std.labels());
        byte[] tissue = PhantomFixtures.bytes(std.structures());
        int wm = Tissue.WHITE_MATTER.ordinal();
        double[] ratio = new double[2];
        double[] overEdema = new double[2];
        int i = 0;
        for (PhantomCase c : new PhantomCase[] {std, sh}) {
            Volume t1c = c.image("t1c");
            double et = PhantomFixtures.mean(t1c, v -> seg[v] == 3);
            ratio[i] = et / PhantomFixtures.mean(t1c, v -> seg[v] == 0 && tissue[v] == wm);
            overEdema[i++] = et / PhantomFixtures.mean(t1c, v -> seg[v] == 2);
        }
        assertTrue(ratio[1] < ratio[0] - 0.05, "ET/WM on T1c: standard " + ratio[0] + ", shifted " + ratio[1]);
        assertTrue(overEdema[1] < overEdema[0] && overEdema[1] > 1.1,
                "ET/edema on T1c: standard " + overEdema[0] + ", shifted " + overEdema[1] + " (weaker, not gone)");
    }

    @Test
    void badRangesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScannerDomain.STANDARD.withNoise(new double[] {0.05, 0.01}));
        assertTrue(e.getMessage().contains("noise range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScannerDomain.of("mri-3t"));
        assertThrows(IllegalArgumentException.class, () -> ScannerDomain.STANDARD.withContrast(0, 1));
    }
}
