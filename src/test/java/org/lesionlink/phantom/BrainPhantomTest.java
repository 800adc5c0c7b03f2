package org.lesionlink.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;

/** The brain phantom on the 2 mm Colin27 fixture, at 2 mm output spacing. */
class BrainPhantomTest {

    static final long SEED = 11;
    static final int BATCH = 6;
    static BrainPhantom phantom;
    static List<PhantomCase> batch;

    @BeforeAll
    static void generateBatch() {
        phantom = new BrainPhantom(PhantomFixtures.tissues2mm(), BrainParams.defaults(new double[] {2, 2, 2}));
        batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batch.add(phantom.generate(SEED, i));
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes(@TempDir Path dir) throws IOException {
        BrainPhantom again = new BrainPhantom(PhantomFixtures.tissues2mm(), BrainParams.defaults(new double[] {2, 2, 2}));
        PhantomWriter writer = new PhantomWriter();
        // Case 3 alone, in a fresh generator, equals case 3 of the batch generated after cases 0-2.
        Path a = writer.write(batch.get(3), dir.resolve("a"));
        Path b = writer.write(again.generate(SEED, 3), dir.resolve("b"));
        Path c = writer.write(again.generate(SEED + 1, 3), dir.resolve("c"));
        for (String f : new String[] {"t1.nii.gz", "t1c.nii.gz", "t2.nii.gz", "flair.nii.gz", "seg.nii.gz", "lesions.json"}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("t1.nii.gz")), Files.readAllBytes(c.resolve("t1.nii.gz"))));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("lesions.json")), Files.readAllBytes(c.resolve("lesions.json"))));
    }

    @Test
    void labelsAreBratsMetsAndNested() {
        for (PhantomCase c : batch) {
            byte[] seg = PhantomFixtures.bytes(c.labels());
            int[] d = c.labels().geometry().dims();
            for (byte v : seg) {
                assertTrue(v >= 0 && v <= 3, "label " + v);
            }
            // Necrosis is enclosed by enhancing tumour, enhancing tumour by edema (or more tumour).
            assertNull(PhantomFixtures.neighbourViolation(seg, d, 1, 1, 3), "case " + c.index() + ": NETC not inside ET");
            assertNull(PhantomFixtures.neighbourViolation(seg, d, 3, 1, 2, 3), "case " + c.index() + ": ET not inside SNFH");
        }
    }

    @Test
    void lesionsLieInsideTheBrain() {
        TissueModel tissues = PhantomFixtures.tissues2mm();
        for (PhantomCase c : batch) {
            byte[] seg = PhantomFixtures.bytes(c.labels());
            Geometry g = c.labels().geometry();
            int[] d = g.dims();
            for (int idx = 0; idx < seg.length; idx++) {
                if (seg[idx] != 0) {
                    double[] p = g.toRas(idx % d[0], (idx / d[0]) % d[1], idx / (d[0] * d[1]));
                    assertTrue(tissues.brainFractionAt(p) >= 0.5, "case " + c.index() + ": lesion voxel outside the brain at "
                            + java.util.Arrays.toString(p));
                }
            }
        }
    }

    @Test
    void lesionCountsAndSizes() {
        double smallest = Double.MAX_VALUE;
        double largest = 0;
        for (PhantomCase c : batch) {
            List<Map<String, Object>> lesions = PhantomFixtures.lesions(c);
            assertTrue(lesions.size() >= 1 && lesions.size() <= 8, "case " + c.index() + " has " + lesions.size() + " lesions");
            Geometry g = c.labels().geometry();
            byte[] seg = PhantomFixtures.bytes(c.labels());
            for (Map<String, Object> l : lesions) {
                double dia = ((Number) l.get("diameterMm")).doubleValue();
                assertTrue(dia >= 2 && dia <= 40, "diameter " + dia);
                smallest = Math.min(smallest, dia);
                largest = Math.max(largest, dia);
                // The centre voxel, found through the output affine, is tumour core: the affine carries the pose.
                double[] centre = (double[]) l.get("centreRas");
                double[] ijk = g.rasToIjk().apply(centre[0], centre[1], centre[2]);
                int idx = c.labels().index((int) Math.rint(ijk[0]), (int) Math.rint(ijk[1]), (int) Math.rint(ijk[2]));
                assertTrue(seg[idx] == 3 || seg[idx] == 1, "lesion centre labelled " + seg[idx]);
                @SuppressWarnings("unchecked")
                Map<String, Object> voxels = (Map<String, Object>) l.get("voxels");
                assertTrue(((Number) voxels.get("ET")).intValue() >= 1, "every lesion shows enhancing voxels: " + l);
            }
        }
        assertTrue(smallest < 5, "no tiny lesion (< 5 mm) in the batch; smallest " + smallest);
        assertTrue(largest > 10, "no large lesion (> 10 mm) in the batch; largest " + largest);
    }

    @Test
    void tissueContrastsFollowTheTable() {
        for (PhantomCase c : batch) {
            byte[] seg = PhantomFixtures.bytes(c.labels());
            byte[] tissue = PhantomFixtures.bytes(c.structures());
            double[][] m = new double[BrainChannel.values().length][Tissue.COUNT];
            for (BrainChannel ch : BrainChannel.values()) {
                Volume img = c.image(ch.name().toLowerCase(java.util.Locale.ROOT));
                for (Tissue t : new Tissue[] {Tissue.CSF, Tissue.GREY_MATTER, Tissue.WHITE_MATTER}) {
                    m[ch.ordinal()][t.ordinal()] = PhantomFixtures.mean(img, i -> seg[i] == 0 && tissue[i] == t.ordinal());
                }
            }
            int csf = Tissue.CSF.ordinal();
            int gm = Tissue.GREY_MATTER.ordinal();
            int wm = Tissue.WHITE_MATTER.ordinal();
            String at = "case " + c.index();
            double[] t1 = m[BrainChannel.T1.ordinal()];
            double[] t2 = m[BrainChannel.T2.ordinal()];
            double[] flair = m[BrainChannel.FLAIR.ordinal()];
            assertTrue(t1[wm] > t1[gm] && t1[gm] > t1[csf], at + " T1 " + java.util.Arrays.toString(t1));
            assertTrue(t2[csf] > t2[gm] && t2[gm] > t2[wm], at + " T2 " + java.util.Arrays.toString(t2));
            assertTrue(flair[csf] < flair[gm] && flair[csf] < flair[wm], at + " FLAIR " + java.util.Arrays.toString(flair));
            Volume fl = c.image("flair");
            double edema = PhantomFixtures.mean(fl, i -> seg[i] == 2);
            assertTrue(edema > flair[gm] && edema > flair[wm], at + ": edema " + edema + " not bright on FLAIR");
            // Enhancement: relative to white matter, the rim is brighter on T1c than on T1.
            double etT1 = PhantomFixtures.mean(c.image("t1"), i -> seg[i] == 3) / t1[wm];
            double etT1c = PhantomFixtures.mean(c.image("t1c"), i -> seg[i] == 3)
                    / PhantomFixtures.mean(c.image("t1c"), i -> seg[i] == 0 && tissue[i] == wm);
            assertTrue(etT1c > etT1 + 0.15, at + ": ET/WM " + etT1 + " on T1, " + etT1c + " on T1c");
        }
    }

    @Test
    void everyCaseHasItsOwnObliqueGridSharedByImagesAndLabels(@TempDir Path dir) throws IOException {
        for (PhantomCase c : batch) {
            Geometry g = c.labels().geometry();
            assertFalse(PhantomFixtures.axisAligned(g), "case " + c.index() + " grid is axis-aligned: " + g);
            assertEquals(g, phantom.grid(SEED, c.index()));
            for (Volume v : c.images().values()) {
                assertEquals(g, v.geometry());
            }
        }
        assertFalse(batch.get(0).labels().geometry().equals(batch.get(1).labels().geometry()));
        // Written files carry the same oblique grid (NIfTI-1 stores it in float32).
        Path caseDir = new PhantomWriter().write(batch.get(0), dir);
        NiftiReader reader = new NiftiReader();
        Geometry seg = reader.readHeader(caseDir.resolve("seg.nii.gz")).geometry();
        assertTrue(seg.sameGrid(batch.get(0).labels().geometry(), 1e-3));
        for (String f : new String[] {"t1.nii.gz", "t1c.nii.gz", "t2.nii.gz", "flair.nii.gz"}) {
            assertTrue(reader.readHeader(caseDir.resolve(f)).geometry().sameGrid(seg, 1e-6), f);
        }
        assertNotNull(reader.readVolume(caseDir.resolve("seg.nii.gz")));
    }

    @Test
    void zeroRotationGivesAnAxisAlignedGrid() {
        BrainParams still = new BrainParams(new double[] {3, 3, 3}, 1, 2, 2, 10, 0, 0);
        PhantomCase c = new BrainPhantom(PhantomFixtures.tissues2mm(), still).generate(1, 0);
        assertTrue(PhantomFixtures.axisAligned(c.labels().geometry()), c.labels().geometry().toString());
    }
}
