package org.lesionlink.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/** Small spine cases: 2-3 whole vertebrae at 2 mm. */
class SpinePhantomTest {

    static final long SEED = 5;
    static final int BATCH = 8;
    static final SpineParams SMALL = new SpineParams(new double[] {2, 2, 2}, 2, 3, 1, 3, 15, 10);
    static SpinePhantom phantom;
    static List<PhantomCase> batch;

    @BeforeAll
    static void generateBatch() {
        phantom = new SpinePhantom(SMALL);
        batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batch.add(phantom.generate(SEED, i));
        }
    }

    @Test
    void sameSeedSameVoxelsOtherSeedOtherVoxels() throws Exception {
        PhantomCase again = new SpinePhantom(SMALL).generate(SEED, 4);
        PhantomCase other = new SpinePhantom(SMALL).generate(SEED + 1, 4);
        PhantomCase ref = batch.get(4);
        assertArrayEquals(PhantomFixtures.bytes(ref.labels()), PhantomFixtures.bytes(again.labels()));
        for (String ch : new String[] {"t1", "t2"}) {
            assertEquals(ref.image(ch).data(0), again.image(ch).data(0), ch);
            assertFalse(ref.image(ch).data(0).equals(other.image(ch).data(0)), ch);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.writeValueAsString(ref.description()), json.writeValueAsString(again.description()));
    }

    @Test
    void lesionsLieInTheirVertebralBody() {
        int lytic = 0;
        int sclerotic = 0;
        int breaking = 0;
        for (PhantomCase c : batch) {
            SpineModel spine = phantom.anatomy(SEED, c.index());
            byte[] seg = PhantomFixtures.bytes(c.labels());
            Geometry g = c.labels().geometry();
            int[] d = g.dims();
            for (byte v : seg) {
                assertTrue(v >= 0 && v <= 3, "label " + v);
            }
            List<Map<String, Object>> lesions = PhantomFixtures.lesions(c);
            assertFalse(lesions.isEmpty());
            boolean anyBreaks = false;
            for (Map<String, Object> l : lesions) {
                double[] centre = (double[]) l.get("centreRas");
                int vertebra = ((Number) l.get("vertebra")).intValue();
                assertEquals(vertebra, spine.bodyAt(centre[0], centre[1], centre[2]), "lesion centre not in its body: " + l);
                assertTrue(((Number) l.get("voxels")).intValue() >= 1, "lesion without voxels: " + l);
                lytic += "lytic".equals(l.get("type")) ? 1 : 0;
                sclerotic += "sclerotic".equals(l.get("type")) ? 1 : 0;
                boolean b = (Boolean) l.get("breaksPosteriorWall");
                breaking += b ? 1 : 0;
                anyBreaks |= b;
            }
            boolean inCanal = false;
            for (int idx = 0; idx < seg.length; idx++) {
                if (seg[idx] != 1) {
                    continue;
                }
                double[] p = g.toRas(idx % d[0], (idx / d[0]) % d[1], idx / (d[0] * d[1]));
                boolean inBody = spine.bodyAt(p[0], p[1], p[2]) >= 0;
                boolean canal = spine.inCanal(p[0], p[1], p[2]);
                inCanal |= canal;
                assertTrue(inBody || (anyBreaks && (canal || epidural(spine, p))),
                        "case " + c.index() + ": lesion voxel outside every vertebral body at " + java.util.Arrays.toString(p));
            }
            if (!anyBreaks) {
                assertFalse(inCanal, "case " + c.index() + ": a contained lesion reaches the canal");
            }
        }
        assertTrue(lytic > 0 && sclerotic > 0 && breaking > 0, lytic + " lytic, " + sclerotic + " sclerotic, " + breaking + " breaking");
    }

    private static boolean epidural(SpineModel spine, double[] p) {
        for (int v = 0; v < spine.vertebrae().size(); v++) {
            if (spine.inEpiduralSpace(v, p[0], p[1], p[2])) {
                return true;
            }
        }
        return false;
    }

    @Test
    void canalIsContinuousAcrossSlices() {
        for (PhantomCase c : batch) {
            SpineModel spine = phantom.anatomy(SEED, c.index());
            byte[] seg = PhantomFixtures.bytes(c.labels());
            Geometry g = c.labels().geometry();
            int[] d = g.dims();
            boolean[] canal = new boolean[seg.length];
            for (int idx = 0; idx < seg.length; idx++) {
                double[] p = seg[idx] == 1 ? g.toRas(idx % d[0], (idx / d[0]) % d[1], idx / (d[0] * d[1])) : null;
                canal[idx] = seg[idx] == 3 || (p != null && spine.inCanal(p[0], p[1], p[2]));
            }
            int slice = d[0] * d[1];
            for (int k = 0; k < d[2]; k++) {
                int n = 0;
                for (int i = k * slice; i < (k + 1) * slice; i++) {
                    n += seg[i] == 3 ? 1 : 0;
                }
                assertTrue(n > 0, "case " + c.index() + ": no canal in slice " + k);
            }
            assertEquals(1, components26(canal, d), "case " + c.index() + ": canal is not one connected tube");
        }
    }

    @Test
    void contrastsFollowTheTable() {
        for (PhantomCase c : batch) {
            byte[] seg = PhantomFixtures.bytes(c.labels());
            byte[] s = PhantomFixtures.bytes(c.structures());
            List<Map<String, Object>> lesions = PhantomFixtures.lesions(c);
            Volume t1 = c.image("t1");
            Volume t2 = c.image("t2");
            int marrow = SpineStructure.MARROW.ordinal();
            double marrowT1 = PhantomFixtures.mean(t1, i -> seg[i] == 2 && s[i] == marrow);
            double marrowT2 = PhantomFixtures.mean(t2, i -> seg[i] == 2 && s[i] == marrow);
            assertTrue(PhantomFixtures.mean(t2, i -> s[i] == SpineStructure.CSF.ordinal())
                    > PhantomFixtures.mean(t2, i -> s[i] == SpineStructure.MUSCLE.ordinal()), "CSF bright on T2");
            // A case whose lesions are all one type: compare that type's mean to marrow.
            boolean allLytic = lesions.stream().allMatch(l -> "lytic".equals(l.get("type")));
            boolean allSclerotic = lesions.stream().allMatch(l -> "sclerotic".equals(l.get("type")));
            double lesionT1 = PhantomFixtures.mean(t1, i -> seg[i] == 1);
            double lesionT2 = PhantomFixtures.mean(t2, i -> seg[i] == 1);
            assertTrue(lesionT1 < marrowT1, "case " + c.index() + ": metastases dark on T1");
            if (allLytic) {
                assertTrue(lesionT2 > marrowT2, "case " + c.index() + ": lytic bright on T2");
            }
            if (allSclerotic) {
                assertTrue(lesionT2 < marrowT2, "case " + c.index() + ": sclerotic dark on T2");
            }
        }
    }

    @Test
    void obliqueGridSharedByImagesAndLabels() {
        for (PhantomCase c : batch) {
            Geometry g = c.labels().geometry();
            assertFalse(PhantomFixtures.axisAligned(g));
            for (Volume v : c.images().values()) {
                assertEquals(g, v.geometry());
            }
        }
    }

    /** Number of 26-connected components of a mask. */
    static int components26(boolean[] mask, int[] d) {
        int[] label = new int[mask.length];
        int count = 0;
        int[] queue = new int[mask.length];
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            count++;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            label[start] = count;
            while (head < tail) {
                int idx = queue[head++];
                int i = idx % d[0];
                int j = (idx / d[0]) % d[1];
                int k = idx / (d[0] * d[1]);
                for (int c = -1; c <= 1; c++) {
                    for (int b = -1; b <= 1; b++) {
                        for (int a = -1; a <= 1; a++) {
                            int x = i + a;
                            int y = j + b;
                            int z = k + c;
                            if (x < 0 || y < 0 || z < 0 || x >= d[0] || y >= d[1] || z >= d[2]) {
                                continue;
                            }
                            int n = x + d[0] * (y + d[1] * z);
                            if (mask[n] && label[n] == 0) {
                                label[n] = count;
                                queue[tail++] = n;
                            }
                        }
                    }
                }
            }
        }
        return count;
    }
}
