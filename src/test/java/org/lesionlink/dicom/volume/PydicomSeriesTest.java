package org.lesionlink.dicom.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/**
 * pydicom's dicomdirtests series (real CT/MR headers, 16x16 pixels): assembled in the order of IPP along the normal
 * and with the values pydicom computes ({@code peers/pydicom_volume.py}, an independent pydicom + numpy assembly),
 * or refused with the expected reason.
 */
class PydicomSeriesTest {

    static final Path DIR = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests");

    @BeforeAll
    static void peers() {
        Peers.requireFile(DIR, "pydicom's dicomdirtests series (python3-pydicom)");
    }

    static List<SeriesResult> assemble(Path dir, VolumeAssembler assembler) throws IOException {
        return assembler.assembleAll(DicomScanner.scan(dir).instances());
    }

    static JsonNode pydicom(Path dir, boolean values) throws IOException {
        Peers.requirePythonModule("pydicom");
        Peers.requirePythonModule("numpy");
        List<String> args = new ArrayList<>();
        if (values) {
            args.add("--values");
        }
        for (DicomInstance i : DicomScanner.scan(dir).instances()) {
            args.add(i.source());
        }
        return new ObjectMapper().readTree(Peers.runPythonScript("peers/pydicom_volume.py", args, 120));
    }

    @Test
    void ct5nIsSortedAlongTheNormalNotByInstanceNumberAndRescaled() throws IOException {
        Path dir = DIR.resolve("98892001/CT5N");
        List<SeriesResult> results = assemble(dir, new VolumeAssembler());
        assertEquals(1, results.size());
        SeriesResult r = results.get(0);
        assertTrue(r.isAssembled(), () -> String.valueOf(r.refusal()));
        AssembledSeries s = r.volume();
        Volume v = s.volume();
        JsonNode py = pydicom(dir, true);

        assertArrayEquals(new int[] {16, 16, 5}, v.geometry().dims());
        assertAffine(py.get("affine_lps"), v.geometry().ijkToLps(), 1e-9);
        for (int k = 0; k < 5; k++) {
            AssembledSeries.SliceRef ref = s.slices().get(k);
            assertEquals(py.get("sop").get(k).asText(), ref.sopInstanceUid(), "slice " + k);
            assertEquals(py.get("distances").get(k).asDouble(), ref.distance(), 1e-9);
            for (int a = 0; a < 3; a++) {
                assertEquals(py.get("positions").get(k).get(a).asDouble(), ref.position()[a], 1e-9);
            }
        }
        // z rises with k while InstanceNumber falls: 10, 9, 8, 7, 6.
        assertEquals(-1.2375, s.slices().get(0).position()[2], 1e-9);
        assertEquals(8.7625, s.slices().get(4).position()[2], 1e-9);
        assertEquals(2.5, v.geometry().spacing(2), 1e-9);
        // Signed 16-bit stored values kept, with the CT rescale.
        assertEquals(DataType.INT16, v.type());
        assertEquals(new Volume.Rescale(1, -1024), v.rescale());
        JsonNode values = py.get("values");
        assertEquals(v.voxelsPerChannel(), values.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i).asDouble(), v.value(0, i), 0, "voxel " + i);
        }
        assertEquals("AXIAL", s.info().orientation());
        assertEquals(5, s.info().sliceCount());
        assertEquals("CT", s.info().modality());
    }

    @Test
    void ct2WithAFarAwaySliceIsRefusedAsMissingSlices() throws IOException {
        List<SeriesResult> results = assemble(DIR.resolve("77654033/CT2"), new VolumeAssembler());
        assertEquals(1, results.size());
        Refusal r = results.get(0).refusal();
        assertEquals(Refusal.Reason.MISSING_SLICES, r.reason(), String.valueOf(r));
        assertTrue(r.message().contains("slice spacing is 1.25 mm"), r.message());
        assertTrue(r.message().contains("a gap of 202.5 mm"), r.message());
        assertTrue(r.message().contains("about 161 slices missing"), r.message());
    }

    @Test
    void ct2nWithTwoOrientationsIsRefusedOrSplit() throws IOException {
        Refusal r = assemble(DIR.resolve("98892001/CT2N"), new VolumeAssembler()).get(0).refusal();
        assertEquals(Refusal.Reason.MIXED_ORIENTATION, r.reason(), String.valueOf(r));
        assertTrue(r.message().contains("2 different slice orientations among 2 slices"), r.message());

        List<SeriesResult> split = assemble(DIR.resolve("98892001/CT2N"),
                new VolumeAssembler(VolumeAssembler.Options.DEFAULT.withSplitMixed(true)));
        assertEquals(2, split.size());
        for (SeriesResult s : split) {
            assertTrue(s.isAssembled(), () -> String.valueOf(s.refusal()));
            assertEquals(1, s.volume().volume().geometry().dim(2));
            assertTrue(s.info().id().matches(".*#[12]"), s.info().id());
            assertTrue(s.info().hasImageType("LOCALIZER"));
        }
        // IOP 0\-1\0\0\0\-1 has normal +x (sagittal); 1\0\0\0\0\-1 has normal +y (coronal).
        assertEquals("SAGITTAL", split.get(0).info().orientation());
        assertEquals("CORONAL", split.get(1).info().orientation());
    }

    @Test
    void mr700RadialSlicesAreRefusedAsNonParallel() throws IOException {
        List<SeriesResult> results = assemble(DIR.resolve("98892003/MR700"), new VolumeAssembler());
        assertEquals(1, results.size());
        Refusal r = results.get(0).refusal();
        assertEquals(Refusal.Reason.MIXED_ORIENTATION, r.reason(), String.valueOf(r));
        assertTrue(r.message().contains("7 different slice orientations among 7 slices"), r.message());
    }

    @Test
    void wholeTreeGroupsBySeriesAndGivesEachAnOutcome() throws IOException {
        DicomScanner.Result scan = DicomScanner.scan(DIR);
        // DICOMDIRs and text files are skipped with a reason.
        assertTrue(scan.skipped().stream().anyMatch(s -> s.file().getFileName().toString().equals("DICOMDIR")
                && s.reason().contains("DICOMDIR")), scan.skipped().toString());
        List<SeriesResult> results = new VolumeAssembler().assembleAll(scan.instances());
        Map<String, Integer> series = new TreeMap<>();
        for (DicomInstance i : scan.instances()) {
            series.merge(i.header().getString(Tag.SeriesInstanceUID), 1, Integer::sum);
        }
        assertEquals(series.size(), results.size());
        Map<String, SeriesResult> byDescription = new TreeMap<>();
        for (SeriesResult r : results) {
            byDescription.putIfAbsent(r.info().seriesDescription() + "/" + r.info().instanceCount(), r);
        }
        // TINY_ALPHA: 50 header stubs of one series, no pixels.
        SeriesResult tiny = results.stream().filter(r -> r.info().instanceCount() == 50).findFirst().orElseThrow();
        assertEquals(Refusal.Reason.NO_PIXEL_DATA, tiny.refusal().reason());
        // CR: projection radiographs have no patient-space plane.
        SeriesResult cr = byDescription.get("Cervical LAT/1");
        assertEquals(Refusal.Reason.NO_GEOMETRY, cr.refusal().reason(), String.valueOf(cr.refusal()));
        assertTrue(cr.refusal().message().contains("ImagePositionPatient"), cr.refusal().message());
        // MR2's pilot series hold three orientations each.
        long pilots = results.stream().filter(r -> r.info().seriesDescription().equals("T/S/C RF FAST PILOT")).count();
        assertEquals(2, pilots);
        results.stream().filter(r -> r.info().seriesDescription().equals("T/S/C RF FAST PILOT"))
                .forEach(r -> assertEquals(Refusal.Reason.MIXED_ORIENTATION, r.refusal().reason()));
        assertFalse(results.stream().filter(SeriesResult::isAssembled).toList().isEmpty());
    }

    static void assertAffine(JsonNode rows, Affine actual, double tol) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(rows.get(r).get(c).asDouble(), actual.get(r, c), tol, "affine[" + r + "][" + c + "] of " + actual);
            }
        }
    }
}
