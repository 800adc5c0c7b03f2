package org.lesionlink.dicom.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Channel rules on a synthetic brain MR study: T1, T1 with a contrast agent (same description), T2, FLAIR with an
 * inversion time, and a localizer; picking, explanations, failures, tie-breaks, and resampling onto the reference.
 */
class ChannelSelectionTest {

    static final String STUDY = UID.nameBased("channel-study");
    static final String FOR = UID.nameBased("channel-study|for");
    static final Geometry REF_GRID = Geometry.of(new int[] {10, 9, 8}, new double[] {1, 1.2, 2}, new double[] {-4, -5, 3},
            new double[][] {{0.98, -0.17, 0}, {0.17, 0.98, 0}, {0, 0, 1}});

    /** A smooth function of RAS position that linear interpolation reproduces: the "anatomy" of every series. */
    static double anatomy(double[] ras) {
        return 1000 + 20 * ras[0] - 15 * ras[1] + 10 * ras[2];
    }

    /** One MR series of the study with the given header values and pixels sampling {@link #anatomy}. */
    static List<Attributes> series(int number, String description, Geometry g, double tr, double te, double ti,
            String agent, String... imageType) {
        SyntheticMrSeries s = SyntheticMrSeries.of(g, "channel-series-" + number);
        List<Attributes> out = new ArrayList<>();
        for (int k = 0; k < g.dim(2); k++) {
            Attributes a = s.slices().get(k).deepCopy();
            a.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
            a.setString(Tag.FrameOfReferenceUID, VR.UI, FOR);
            a.setInt(Tag.SeriesNumber, VR.IS, number);
            a.setString(Tag.SeriesDescription, VR.LO, description);
            a.setString(Tags.ProtocolName, VR.LO, description);
            a.setDouble(Tags.RepetitionTime, VR.DS, tr);
            a.setDouble(Tags.EchoTime, VR.DS, te);
            if (ti > 0) {
                a.setDouble(Tags.InversionTime, VR.DS, ti);
            }
            if (agent != null) {
                a.setString(Tags.ContrastBolusAgent, VR.LO, agent);
            }
            if (imageType.length > 0) {
                a.setString(Tag.ImageType, VR.CS, imageType);
            }
            ByteBuffer px = ByteBuffer.allocate(g.dim(0) * g.dim(1) * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < g.dim(1); j++) {
                for (int i = 0; i < g.dim(0); i++) {
                    px.putShort((short) Math.round(anatomy(g.toRas(i, j, k))));
                }
            }
            a.setBytes(Tag.PixelData, VR.OW, px.array());
            a.setInt(Tag.BitsStored, VR.US, 16);
            a.setInt(Tag.HighBit, VR.US, 15);
            out.add(a);
        }
        return out;
    }

    /** A larger, rotated grid covering {@link #REF_GRID}, as a T2 acquired separately would be. */
    static final Geometry T2_GRID = Geometry.of(new int[] {16, 16, 12}, new double[] {1.5, 1.5, 2.5}, new double[] {-12, -14, -4},
            new double[][] {{1, 0, 0}, {0, 0.996, -0.087}, {0, 0.087, 0.996}});

    static List<DicomInstance> brainStudy() {
        List<Attributes> all = new ArrayList<>();
        Geometry loc = Geometry.axisAligned(new int[] {10, 9, 3}, new double[] {2, 2, 10}, new double[] {-10, -10, 0});
        all.addAll(series(1, "3-plane loc", loc, 8, 3, 0, null, "ORIGINAL", "PRIMARY", "LOCALIZER"));
        all.addAll(series(2, "AX T1 SE", REF_GRID, 500, 15, 0, null));
        all.addAll(series(3, "AX T1 SE", REF_GRID, 500, 15, 0, "Gadovist 1.0"));
        all.addAll(series(4, "AX T2 TSE", T2_GRID, 4000, 100, 0, null));
        all.addAll(series(5, "AX FLAIR", REF_GRID, 9000, 120, 2500, null));
        List<DicomInstance> out = new ArrayList<>();
        for (Attributes a : all) {
            out.add(DicomInstance.of(a));
        }
        return out;
    }

    static List<SeriesResult> assembled(List<DicomInstance> instances) {
        List<SeriesResult> r = new VolumeAssembler().assembleAll(instances);
        for (SeriesResult s : r) {
            assertTrue(s.isAssembled(), () -> String.valueOf(s.refusal()));
        }
        return r;
    }

    @Test
    void defaultRulesPickEveryChannelAndSayWhy() throws Exception {
        ChannelSelection sel = ChannelSelector.select(assembled(brainStudy()), ChannelRules.defaults(List.of("t1", "t1c", "t2", "flair")));
        ChannelSelection.Pick t1 = sel.pick("t1").orElseThrow();
        ChannelSelection.Pick t1c = sel.pick("t1c").orElseThrow();
        ChannelSelection.Pick t2 = sel.pick("t2").orElseThrow();
        ChannelSelection.Pick flair = sel.pick("flair").orElseThrow();
        assertEquals(2, t1.series().info().seriesNumber());
        assertEquals(3, t1c.series().info().seriesNumber());
        assertEquals(4, t2.series().info().seriesNumber());
        assertEquals(5, flair.series().info().seriesNumber());

        assertTrue(t1.why().startsWith("matched /t1/ in SeriesDescription \"AX T1 SE\""), t1.why());
        assertTrue(t1.why().contains("not taken: #3 MR \"AX T1 SE\" (8 slices, axial) matched /t1/ in SeriesDescription \"AX T1 SE\""
                + " but has ContrastBolusAgent \"Gadovist 1.0\""), t1.why());
        assertEquals("no series matched the name patterns; classified as t1c (short TR and TE: TR 500 ms, TE 15 ms, "
                + "ContrastBolusAgent \"Gadovist 1.0\")", t1c.why());
        assertTrue(t2.why().startsWith("matched /t2/ in SeriesDescription \"AX T2 TSE\""), t2.why());
        assertTrue(flair.why().startsWith("matched /flair/"), flair.why());

        String report = sel.report();
        assertTrue(report.contains("#1 MR \"3-plane loc\" (3 slices, axial): assembled; classified t1 (short TR and TE: TR 8 ms, "
                + "TE 3 ms, no contrast agent); excluded: ImageType ORIGINAL\\PRIMARY\\LOCALIZER has LOCALIZER"), report);
        assertTrue(report.contains("#5 MR \"AX FLAIR\" (8 slices, axial): assembled; classified flair (long inversion time: "
                + "TR 9000 ms, TE 120 ms, TI 2500 ms); picked for flair"), report);
    }

    @Test
    void theClassifierDecidesWhenTheNamesSayNothing() throws Exception {
        List<Attributes> all = new ArrayList<>();
        all.addAll(series(11, "series A", REF_GRID, 2300, 2.3, 900, null));   // MPRAGE-like
        all.addAll(series(12, "series B", REF_GRID, 2300, 2.3, 900, "Dotarem"));
        all.addAll(series(13, "series C", REF_GRID, 5000, 90, 0, null));
        all.addAll(series(14, "series D", REF_GRID, 11000, 140, 2800, null));
        all.addAll(series(15, "ep2d_diff b1000", REF_GRID, 5000, 90, 0, null));
        List<DicomInstance> inst = all.stream().map(DicomInstance::of).toList();
        ChannelSelection sel = ChannelSelector.select(assembled(inst), ChannelRules.defaults(List.of("flair", "t1", "t1c", "t2")));
        assertEquals(14, sel.pick("flair").orElseThrow().series().info().seriesNumber());
        assertEquals(11, sel.pick("t1").orElseThrow().series().info().seriesNumber());
        assertEquals(12, sel.pick("t1c").orElseThrow().series().info().seriesNumber());
        assertEquals(13, sel.pick("t2").orElseThrow().series().info().seriesNumber());
        assertTrue(sel.pick("t1").orElseThrow().why().contains("T1 inversion preparation: TR 2300 ms, TE 2.3 ms, TI 900 ms"),
                sel.pick("t1").orElseThrow().why());
        assertTrue(sel.report().contains("\"ep2d_diff b1000\" (8 slices, axial): assembled; classified unknown (not an anatomical sequence (\"diff\""),
                sel.report());
    }

    @Test
    void aMissingRequiredChannelListsTheSeriesOfTheStudy() {
        List<DicomInstance> study = brainStudy().stream()
                .filter(i -> !i.header().getString(Tag.SeriesDescription).equals("AX FLAIR")).toList();
        ChannelSelectionException e = assertThrows(ChannelSelectionException.class,
                () -> ChannelSelector.select(assembled(study), ChannelRules.defaults(List.of("t1c", "flair"))));
        String m = e.getMessage();
        assertTrue(m.startsWith("no series for required channel flair\n  flair: no eligible series matches [flair, dark.?fluid, tirm]"
                + " or is classified as flair"), m);
        assertTrue(m.contains("series of study " + STUDY + ":"), m);
        assertTrue(m.contains("#1 MR \"3-plane loc\" (3 slices, axial): assembled; classified t1"), m);
        assertTrue(m.contains("#3 MR \"AX T1 SE\" (8 slices, axial): assembled; classified t1c"), m);
        assertTrue(m.contains("picked for t1c"), m);
        assertTrue(m.contains("#4 MR \"AX T2 TSE\" (12 slices, axial): assembled; classified t2"), m);
        // An optional channel is reported instead.
        ChannelRules optional = ChannelRules.parse("{\"channels\": [{\"name\": \"t1c\"}, {\"name\": \"flair\", \"required\": false}]}");
        ChannelSelection sel = assertDoesNotThrow(() -> ChannelSelector.select(assembled(study), optional));
        assertNull(sel.pick("flair").orElseThrow().series());
        assertTrue(sel.report().contains("flair: none (optional)"), sel.report());
    }

    static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tieBreaksAreMostSlicesThenThinnestThenLatest() throws Exception {
        Geometry six = REF_GRID.region(new int[] {0, 0, 0}, new int[] {10, 9, 6});
        Geometry thin = Geometry.of(new int[] {10, 9, 6}, new double[] {1, 1.2, 1}, REF_GRID.origin(), REF_GRID.direction());
        List<Attributes> all = new ArrayList<>();
        all.addAll(series(21, "T1 post gd", six, 500, 15, 0, "Gd"));
        all.addAll(series(22, "T1 post gd", REF_GRID, 500, 15, 0, "Gd"));
        ChannelRules rules = ChannelRules.defaults(List.of("t1c"));
        ChannelSelection.Pick p = ChannelSelector.select(assembled(all.stream().map(DicomInstance::of).toList()), rules).picks().get(0);
        assertEquals(22, p.series().info().seriesNumber());
        assertTrue(p.why().contains("2 candidates, chosen by most slices (8 vs 6)"), p.why());

        all = new ArrayList<>();
        all.addAll(series(31, "T1 post gd", six, 500, 15, 0, "Gd"));
        all.addAll(series(32, "T1 post gd", thin, 500, 15, 0, "Gd"));
        all.addAll(series(33, "T1 post gd", six, 500, 15, 0, "Gd"));
        p = ChannelSelector.select(assembled(all.stream().map(DicomInstance::of).toList()), rules).picks().get(0);
        assertEquals(32, p.series().info().seriesNumber());
        assertTrue(p.why().contains("3 candidates, chosen by thinnest slices (1 vs 2 mm)"), p.why());

        all = new ArrayList<>();
        all.addAll(series(41, "T1 post gd", six, 500, 15, 0, "Gd"));
        all.addAll(series(43, "T1 post gd", six, 500, 15, 0, "Gd"));
        p = ChannelSelector.select(assembled(all.stream().map(DicomInstance::of).toList()), rules).picks().get(0);
        assertEquals(43, p.series().info().seriesNumber());
        assertTrue(p.why().contains("chosen by latest series (number 43 vs 41)"), p.why());
    }

    @Test
    void rulesJsonWithPatternsAndErrorsThatNameTheKey() throws Exception {
        ChannelRules rules = ChannelRules.parse("""
                {
                  "channels": [
                    {"name": "contrast", "sequence": "t1c", "include": ["gado"], "exclude": []},
                    {"name": "fluid", "sequence": "flair", "include": [], "heuristics": true}
                  ],
                  "reference": "fluid",
                  "exclude": {"minSlices": 3},
                  "tieBreak": ["latestSeries", "mostSlices"],
                  "interpolation": "bspline"
                }""");
        assertEquals("fluid", rules.reference());
        assertEquals(3, rules.exclude().minSlices());
        assertEquals(List.of("LOCALIZER"), rules.exclude().imageTypes());
        assertEquals(List.of(ChannelRules.TieBreak.LATEST_SERIES, ChannelRules.TieBreak.MOST_SLICES), rules.tieBreak());
        List<Attributes> all = new ArrayList<>();
        all.addAll(series(2, "AX T1 SE gado", REF_GRID, 500, 15, 0, null));
        all.addAll(series(5, "AX FLAIR", REF_GRID, 9000, 120, 2500, null));
        ChannelSelection sel = ChannelSelector.select(assembled(all.stream().map(DicomInstance::of).toList()), rules);
        assertEquals("matched /gado/ in SeriesDescription \"AX T1 SE gado\"", sel.pick("contrast").orElseThrow().why());
        assertTrue(sel.pick("fluid").orElseThrow().why().startsWith("no series matched the name patterns; classified as flair"));
        // The JSON written back parses to the same rules.
        assertEquals(rules, ChannelRules.parse(rules.toJson()));

        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> ChannelRules.parse("{\"channels\": [{\"name\": \"t1c\", \"inclde\": [\"x\"]}]}"));
        assertTrue(typo.getMessage().contains("inclde"), typo.getMessage());
        IllegalArgumentException regex = assertThrows(IllegalArgumentException.class,
                () -> ChannelRules.parse("{\"channels\": [{\"name\": \"t1c\", \"include\": [\"t1(\"]}]}"));
        assertTrue(regex.getMessage().contains("channels[t1c].include: bad regular expression 't1('"), regex.getMessage());
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class,
                () -> ChannelRules.parse("{\"channels\": [{\"name\": \"t1c\"}], \"reference\": \"t2\"}"));
        assertTrue(ref.getMessage().contains("reference: 't2' is not one of the channels"), ref.getMessage());
        IllegalArgumentException seq = assertThrows(IllegalArgumentException.class,
                () -> ChannelRules.parse("{\"channels\": [{\"name\": \"x\", \"sequence\": \"dwi\"}]}"));
        assertTrue(seq.getMessage().contains("channels[x].sequence: 'dwi' is not one of"), seq.getMessage());
    }

    @Test
    void theDocumentedExampleParses() {
        ChannelRules r = ChannelRules.parse("""
                {
                  "channels": [
                    {"name": "t1c",   "sequence": "t1c", "include": ["t1.*(post|gd|\\\\+c)", "mprage.*gd"], "exclude": ["sub"]},
                    {"name": "flair", "sequence": "flair", "required": false},
                    {"name": "t2"}
                  ],
                  "reference": "t1c",
                  "exclude": {"imageTypes": ["LOCALIZER"], "derived": true, "descriptions": ["localizer", "scout"], "minSlices": 5},
                  "tieBreak": ["mostSlices", "thinnestSlices", "latestSeries"],
                  "assumeCoregistered": false,
                  "interpolation": "linear"
                }""");
        assertEquals(List.of("t1.*(post|gd|\\+c)", "mprage.*gd"), r.channels().get(0).include());
        assertEquals(ChannelRules.defaultInclude("flair"), r.channels().get(1).include());
        assertEquals(false, r.channels().get(1).required());
        assertEquals("t2", r.channels().get(2).sequence());
    }

    @Test
    void channelsInOneFrameOfReferenceAreResampledOntoTheReferenceGrid() throws Exception {
        ChannelSelection sel = ChannelSelector.select(assembled(brainStudy()), ChannelRules.defaults(List.of("t1c", "t2", "flair")));
        ChannelStack stack = ChannelStack.of(sel);
        Volume v = stack.volume();
        assertEquals(List.of("t1c", "t2", "flair"), stack.channels());
        assertEquals("t1c", stack.reference());
        assertEquals(DataType.FLOAT32, v.type());
        assertTrue(v.geometry().sameGrid(REF_GRID, 1e-9));
        Geometry g = v.geometry();
        Geometry t2Box = T2_GRID;
        int inside = 0;
        for (int k = 0; k < g.dim(2); k++) {
            for (int j = 0; j < g.dim(1); j++) {
                for (int i = 0; i < g.dim(0); i++) {
                    double[] ras = g.toRas(i, j, k);
                    double expected = anatomy(ras);
                    assertEquals(Math.round(expected), v.value(0, i, j, k), 0, "t1c copied");
                    assertEquals(Math.round(expected), v.value(2, i, j, k), 0, "flair already on the grid");
                    double[] ijk = t2Box.rasToIjk().apply(ras[0], ras[1], ras[2]);
                    boolean interior = true;
                    for (int a = 0; a < 3; a++) {
                        interior &= ijk[a] >= 0 && ijk[a] <= t2Box.dim(a) - 1;
                    }
                    if (interior) {
                        inside++;
                        assertEquals(expected, v.value(1, i, j, k), 0.51, "t2 resampled at " + i + "," + j + "," + k);
                    }
                }
            }
        }
        assertTrue(inside > 500, "voxels checked: " + inside);
        assertTrue(stack.notes().stream().anyMatch(n -> n.startsWith("t2: resampled (linear)")), stack.notes().toString());
    }

    @Test
    void anotherFrameOfReferenceIsRefusedUnlessAssumedCoregistered() throws Exception {
        List<DicomInstance> study = new ArrayList<>();
        for (DicomInstance i : brainStudy()) {
            Attributes a = i.header().deepCopy();
            if (a.getString(Tag.SeriesDescription).equals("AX T2 TSE")) {
                a.setString(Tag.FrameOfReferenceUID, VR.UI, UID.nameBased("other session"));
            }
            ByteBuffer px = i.pixelData();
            byte[] bytes = new byte[px.remaining()];
            px.get(bytes);
            a.setBytes(Tag.PixelData, VR.OW, bytes);
            study.add(DicomInstance.of(a));
        }
        ChannelSelection sel = ChannelSelector.select(assembled(study), ChannelRules.defaults(List.of("t1c", "t2")));
        ChannelSelectionException e = assertThrows(ChannelSelectionException.class, () -> ChannelStack.of(sel));
        assertTrue(e.getMessage().startsWith("channel t2 (#4 MR \"AX T2 TSE\" (12 slices, axial)) is in frame of reference "
                + UID.nameBased("other session") + " but the reference channel t1c"), e.getMessage());
        assertTrue(e.getMessage().contains("\"assumeCoregistered\": true"), e.getMessage());

        ChannelRules assume = ChannelRules.parse("{\"channels\": [{\"name\": \"t1c\"}, {\"name\": \"t2\"}], \"assumeCoregistered\": true}");
        ChannelStack stack = ChannelStack.of(ChannelSelector.select(assembled(study), assume));
        assertEquals(2, stack.volume().channels());
        assertTrue(stack.notes().stream().anyMatch(n -> n.contains("other frame of reference")), stack.notes().toString());
    }
}
