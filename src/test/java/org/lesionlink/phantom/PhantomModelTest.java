package org.lesionlink.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.DistanceTransform;
import org.lesionlink.image.Geometry;
import org.lesionlink.testing.Peers;

/** The small pieces: contrast tables, seeds, pose, distance transform, template lookup, real Colin27. */
class PhantomModelTest {

    @Test
    void contrastTableOrderingsSurviveTheWorstJitter() {
        double lo = 1 - BrainContrast.JITTER;
        double hi = 1 + BrainContrast.JITTER;
        BrainContrast t = BrainContrast.TABLE;
        for (BrainChannel c : new BrainChannel[] {BrainChannel.T1, BrainChannel.T1C}) {
            assertTrue(t.tissue(c, Tissue.WHITE_MATTER) * lo > t.tissue(c, Tissue.GREY_MATTER) * hi, c + " WM > GM");
            assertTrue(t.tissue(c, Tissue.GREY_MATTER) * lo > t.tissue(c, Tissue.CSF) * hi, c + " GM > CSF");
        }
        assertTrue(t.tissue(BrainChannel.T2, Tissue.CSF) * lo > t.tissue(BrainChannel.T2, Tissue.GREY_MATTER) * hi);
        assertTrue(t.tissue(BrainChannel.T2, Tissue.GREY_MATTER) * lo > t.tissue(BrainChannel.T2, Tissue.WHITE_MATTER) * hi);
        for (Tissue x : new Tissue[] {Tissue.GREY_MATTER, Tissue.WHITE_MATTER}) {
            assertTrue(t.tissue(BrainChannel.FLAIR, Tissue.CSF) * hi < t.tissue(BrainChannel.FLAIR, x) * lo, "FLAIR CSF dark");
            assertTrue(t.lesion(BrainChannel.FLAIR, BratsLabel.SNFH) * lo > t.tissue(BrainChannel.FLAIR, x) * hi, "FLAIR edema bright");
            // The least enhancing rim (0.92) is still brighter than any white or grey matter on T1c.
            assertTrue(t.lesion(BrainChannel.T1C, BratsLabel.ET) * lo * 0.92 > t.tissue(BrainChannel.T1C, x) * hi, "T1c rim bright");
        }
        SpineContrast s = SpineContrast.TABLE;
        double slo = 1 - SpineContrast.JITTER;
        double shi = 1 + SpineContrast.JITTER;
        for (SpineContrast.LesionType type : SpineContrast.LesionType.values()) {
            assertTrue(s.lesion(SpineChannel.T1, type) * shi < s.structure(SpineChannel.T1, SpineStructure.MARROW) * slo, type + " dark on T1");
        }
        assertTrue(s.lesion(SpineChannel.T2, SpineContrast.LesionType.LYTIC) * slo > s.structure(SpineChannel.T2, SpineStructure.MARROW) * shi);
        assertTrue(s.lesion(SpineChannel.T2, SpineContrast.LesionType.SCLEROTIC) * shi < s.structure(SpineChannel.T2, SpineStructure.MARROW) * slo);
    }

    @Test
    void caseSeedsDependOnSeedAndIndexOnly() {
        assertEquals(Seeds.caseSeed(3, 7), Seeds.caseSeed(3, 7));
        assertNotEquals(Seeds.caseSeed(3, 7), Seeds.caseSeed(3, 8));
        assertNotEquals(Seeds.caseSeed(3, 7), Seeds.caseSeed(4, 7));
        assertNotEquals(Seeds.stream(1, Seeds.Purpose.NOISE, 0, 5).nextLong(), Seeds.stream(1, Seeds.Purpose.NOISE, 0, 6).nextLong());
    }

    @Test
    void poseRotatesTheGridAboutTheShiftedCentre() {
        Pose p = new Pose(new double[] {0, 0, 90}, new double[] {5, 0, 0});
        Geometry g = p.grid(new double[] {10, 20, 30}, new double[] {10, 20, 5}, new double[] {1, 2, 1});
        assertEquals(20, g.dim(0));
        assertEquals(20, g.dim(1));
        double[] c = g.centre();
        assertEquals(15, c[0], 1e-9);
        assertEquals(20, c[1], 1e-9);
        assertEquals(30, c[2], 1e-9);
        // The i axis points along +y after a 90 degree turn about z.
        assertEquals(1, g.direction()[1][0], 1e-12);
    }

    @Test
    void distanceTransformIsEuclideanInMillimetres() {
        int[] d = {21, 21, 21};
        boolean[] inside = new boolean[d[0] * d[1] * d[2]];
        java.util.Arrays.fill(inside, true);
        inside[10 + 21 * (10 + 21 * 10)] = false; // one outside voxel in the middle
        float[] dist = DistanceTransform.distanceToOutside(inside, d, new double[] {1, 2, 0.5});
        assertEquals(0, dist[10 + 21 * (10 + 21 * 10)]);
        assertEquals(Math.sqrt(3 * 3 + 8 * 8 + 2.5 * 2.5), dist[13 + 21 * (14 + 21 * 15)], 1e-5);
    }

    @Test
    void missingTemplateNamesTheFile(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColinTemplate.locate(dir));
        assertTrue(e.getMessage().contains("ch2.nii.gz") && e.getMessage().contains("mricron-data"), e.getMessage());
        ColinTemplate fixture = ColinTemplate.locate(PhantomFixtures.TEMPLATE_2MM);
        assertTrue(fixture.greyWhiteImage().isEmpty());
    }

    @Test
    void realColin27GivesATissueModelAndACase() throws Exception {
        Path dir = ColinTemplate.STANDARD_DIR;
        for (String f : new String[] {ColinTemplate.HEAD, ColinTemplate.BRAIN, ColinTemplate.GREY_WHITE}) {
            Peers.requireFile(dir.resolve(f), "the Colin27 MRI template from mricron-data");
        }
        ColinTemplate t = ColinTemplate.standard();
        assertTrue(t.greyWhiteImage().isPresent());
        TissueModel tissues = TissueModel.build(t, 2);
        // Deep white matter of the left centrum semiovale and the lateral ventricle in MNI space.
        assertTrue(tissues.fractionsAt(new double[] {-25, -10, 30})[Tissue.WHITE_MATTER.ordinal()] > 0.5);
        assertTrue(tissues.fractionsAt(new double[] {-5, 5, 15})[Tissue.CSF.ordinal()] > 0.3);
        assertTrue(tissues.fractionsAt(new double[] {0, 0, 200})[Tissue.BACKGROUND.ordinal()] > 0.99);
        PhantomCase c = new BrainPhantom(tissues, BrainParams.defaults(new double[] {3, 3, 3})).generate(1, 0);
        byte[] seg = PhantomFixtures.bytes(c.labels());
        assertEquals(null, PhantomFixtures.neighbourViolation(seg, c.labels().geometry().dims(), 3, 1, 2, 3));
    }
}
