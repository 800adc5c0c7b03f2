package org.lesionlink.dicom.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.io.DicomFile;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/**
 * BINARY SEG writing and reading on an oblique synthetic MR series, checked against dciodvfy (no errors),
 * pydicom (frames decode to the labelmap's slices) and LesionLink's own reader (identical labelmap).
 */
class SegmentationTest {

    static final AlgorithmIdentification ALGORITHM = new AlgorithmIdentification(
            AlgorithmIdentification.Type.AUTOMATIC, Code.ARTIFICIAL_INTELLIGENCE, "LesionLink nnU-Net", "0.1.0");
    static final List<SegmentDescription> SEGMENTS = List.of(
            new SegmentDescription(1, "Metastasis", "Enhancing tumour", Code.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                    Code.NEOPLASM_SECONDARY, Code.BRAIN, SegmentDescription.cieLabFromRgb(255, 0, 0)),
            SegmentDescription.of(2, "Edema", Code.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, Code.EDEMA),
            SegmentDescription.of(3, "Necrosis", Code.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, Code.NECROSIS));
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);

    /** 37 x 29 pixels per frame (1073 bits, not a multiple of 8), 9 slices; the first and last slice empty. */
    static final SyntheticMrSeries MR = SyntheticMrSeries.oblique(37, 29, 9, "seg-test");

    static Volume lesion(Geometry g) {
        byte[] v = new byte[(int) g.voxelCount()];
        for (int k = 1; k < 8; k++) {
            for (int j = 0; j < g.dim(1); j++) {
                for (int i = 0; i < g.dim(0); i++) {
                    double dx = (i - 17) * g.spacing(0);
                    double dy = (j - 13) * g.spacing(1);
                    double dz = (k - 4) * g.spacing(2);
                    double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
                    int label = r < 3 ? 3 : r < 7 ? 1 : r < 11 ? 2 : 0;
                    v[i + g.dim(0) * (j + g.dim(1) * k)] = (byte) label;
                }
            }
        }
        return Volume.ofBytes(g, v);
    }

    @Test
    void writesAValidSegThatPydicomAndTheReaderDecodeToTheSameLabelmap(@TempDir Path dir) throws IOException {
        Volume labelmap = lesion(MR.geometry());
        Path file = dir.resolve("seg.dcm");
        Attributes seg = new SegmentationWriter(ALGORITHM).withClock(CLOCK).write(file, labelmap, MR.source(), SEGMENTS);

        assertDciodvfyPasses(file);

        // LesionLink reads it back onto the source grid: identical labelmap.
        DicomFile read = new DicomReader().read(file);
        Volume back = SegmentationReader.toLabelmap(read.dataset(), MR.geometry(), file.toString());
        assertArrayEquals(bytes(labelmap), bytes(back));

        // pydicom decodes every frame to the slice of the labelmap it claims to be.
        Peers.requirePythonModule("pydicom");
        JsonNode py = new ObjectMapper().readTree(Peers.runPythonScript("peers/pydicom_seg_frames.py",
                List.of(file.toString()), 120));
        int frames = seg.getInt(Tag.NumberOfFrames, 0);
        assertEquals(frames, py.get("numberOfFrames").asInt());
        assertEquals(List.of(frames, 29, 37), List.of(py.get("shape").get(0).asInt(), py.get("shape").get(1).asInt(),
                py.get("shape").get(2).asInt()));
        assertEquals("SEG", py.get("modality").asText());
        byte[] labels = bytes(labelmap);
        int frameSize = 37 * 29;
        int expectedFrames = 0;
        for (int s = 1; s <= 3; s++) {
            for (int k = 0; k < 9; k++) {
                for (int p = 0; p < frameSize; p++) {
                    if (labels[k * frameSize + p] == s) {
                        expectedFrames++;
                        break;
                    }
                }
            }
        }
        assertEquals(expectedFrames, frames, "one frame per non-empty (segment, slice)");
        var lpsToIjk = MR.geometry().ijkToLps().inverse();
        for (int f = 0; f < frames; f++) {
            JsonNode pf = py.get("frames").get(f);
            int s = pf.get("segment").asInt();
            double[] ijk = lpsToIjk.apply(pf.get("ipp").get(0).asDouble(), pf.get("ipp").get(1).asDouble(), pf.get("ipp").get(2).asDouble());
            int k = (int) Math.round(ijk[2]);
            byte[] expected = new byte[frameSize];
            for (int p = 0; p < frameSize; p++) {
                expected[p] = (byte) (labels[k * frameSize + p] == s ? 1 : 0);
            }
            assertEquals(sha256(expected), pf.get("sha256").asText(), "frame " + (f + 1) + " (segment " + s + ", slice " + k + ")");
            assertTrue(pf.get("set").asInt() > 0, "empty frames are omitted");
        }
    }

    /** What dcmqi (3D Slicer's SEG loader) requires, see dicom-spec notes on dcmqi: geometry on every frame. */
    @Test
    void hasWhatDcmqiAndSlicerNeed() {
        Attributes seg = new SegmentationWriter(ALGORITHM).withClock(CLOCK).build(lesion(MR.geometry()), MR.source(), SEGMENTS);
        assertEquals("SEG", seg.getString(Tag.Modality));
        assertEquals(UID.SegmentationStorage, seg.getString(Tag.SOPClassUID));
        assertEquals(MR.slices().get(0).getString(Tag.FrameOfReferenceUID), seg.getString(Tag.FrameOfReferenceUID));
        assertEquals(MR.slices().get(0).getString(Tag.StudyInstanceUID), seg.getString(Tag.StudyInstanceUID));
        assertEquals("Müller^Jürgen", seg.getString(Tag.PatientName));
        assertEquals("ISO_IR 100", seg.getString(Tag.SpecificCharacterSet));
        Attributes shared = seg.getNestedDataset(Tag.SharedFunctionalGroupsSequence);
        double[] iop = shared.getNestedDataset(Tag.PlaneOrientationSequence).getDoubles(Tag.ImageOrientationPatient);
        assertArrayEquals(MR.slices().get(0).getDoubles(Tag.ImageOrientationPatient), iop, 1e-9);
        Attributes measures = shared.getNestedDataset(Tag.PixelMeasuresSequence);
        assertArrayEquals(new double[] {1.1, 0.9}, measures.getDoubles(Tag.PixelSpacing), 1e-12);
        assertEquals(3.0, measures.getDouble(Tag.SpacingBetweenSlices, 0), 1e-12);
        assertEquals(3.0, measures.getDouble(Tag.SliceThickness, 0), 1e-12);
        Sequence perFrame = seg.getSequence(Tag.PerFrameFunctionalGroupsSequence);
        assertEquals(seg.getInt(Tag.NumberOfFrames, 0), perFrame.size());
        for (Attributes fg : perFrame) {
            assertNotNull(fg.getNestedDataset(Tag.PlanePositionSequence).getDoubles(Tag.ImagePositionPatient));
            assertEquals(2, fg.getNestedDataset(Tag.FrameContentSequence).getInts(Tag.DimensionIndexValues).length);
            assertNotNull(fg.getNestedDataset(Tag.DerivationImageSequence).getNestedDataset(Tag.SourceImageSequence));
        }
        Attributes refSeries = seg.getNestedDataset(Tag.ReferencedSeriesSequence);
        assertEquals(MR.source().seriesInstanceUid(), refSeries.getString(Tag.SeriesInstanceUID));
        assertEquals(7, refSeries.getSequence(Tag.ReferencedInstanceSequence).size(), "slices 1..7 are referenced, 0 and 8 are empty");
        Attributes s1 = seg.getNestedDataset(Tag.SegmentSequence);
        assertEquals("SCT", Code.from(s1, Tag.SegmentedPropertyTypeCodeSequence).scheme());
        assertEquals("14799000", Code.from(s1, Tag.SegmentedPropertyTypeCodeSequence).value());
        assertEquals("AUTOMATIC", s1.getString(Tag.SegmentAlgorithmType));
        assertEquals(2, seg.getSequence(Tag.DimensionIndexSequence).size());
        // 1-bit packing: ceil(frames * 1073 / 8), padded to even
        long bits = (long) perFrame.size() * 37 * 29;
        long len = (bits + 7) / 8;
        assertEquals(len + (len & 1), seg.getBytes(Tag.PixelData).length);
    }

    @Test
    void deterministicUidsDependOnTheInputsOnly() {
        SegmentationWriter w = new SegmentationWriter(ALGORITHM).withDeterministicUids(true);
        Volume labelmap = lesion(MR.geometry());
        Attributes a = w.withClock(CLOCK).build(labelmap, MR.source(), SEGMENTS);
        Attributes b = w.withClock(Clock.systemUTC()).build(labelmap, MR.source(), SEGMENTS);
        assertEquals(a.getString(Tag.SOPInstanceUID), b.getString(Tag.SOPInstanceUID));
        assertEquals(a.getString(Tag.SeriesInstanceUID), b.getString(Tag.SeriesInstanceUID));
        assertTrue(a.getString(Tag.SOPInstanceUID).startsWith("2.25."));
        assertTrue(UID.isValid(a.getString(Tag.SOPInstanceUID)));
        byte[] other = bytes(labelmap);
        other[other.length / 2] = 0;
        Attributes c = w.build(Volume.ofBytes(MR.geometry(), other), MR.source(), SEGMENTS);
        assertNotEquals(a.getString(Tag.SOPInstanceUID), c.getString(Tag.SOPInstanceUID));
        Attributes random = new SegmentationWriter(ALGORITHM).build(labelmap, MR.source(), SEGMENTS);
        assertNotEquals(a.getString(Tag.SOPInstanceUID), random.getString(Tag.SOPInstanceUID));
    }

    @Test
    void anEmptyLabelmapGivesOneEmptyFrameThatStillValidates(@TempDir Path dir) throws IOException {
        Volume empty = Volume.ofBytes(MR.geometry(), new byte[(int) MR.geometry().voxelCount()]);
        Path file = dir.resolve("empty.dcm");
        Attributes seg = new SegmentationWriter(ALGORITHM).write(file, empty, MR.source(), SEGMENTS.subList(0, 1));
        assertEquals(1, seg.getInt(Tag.NumberOfFrames, 0));
        assertDciodvfyPasses(file);
        Volume back = SegmentationReader.toLabelmap(new DicomReader().read(file).dataset(), MR.geometry(), "empty");
        assertArrayEquals(bytes(empty), bytes(back));
    }

    @Test
    void theSourceSeriesItselfIsValidMr(@TempDir Path dir) throws IOException {
        List<Path> files = MR.write(dir);
        assertDciodvfyPasses(files.get(0));
        DicomFile f = new DicomReader().read(files.get(3));
        assertEquals("Müller^Jürgen", f.dataset().getString(Tag.PatientName));
    }

    @Test
    void refusesLabelmapsThatDoNotFit() {
        SegmentationWriter w = new SegmentationWriter(ALGORITHM);
        Volume labelmap = lesion(MR.geometry());
        assertThrows(IllegalArgumentException.class, () -> w.build(labelmap, MR.source(), SEGMENTS.subList(0, 2)),
                "label 3 without a description");
        assertThrows(IllegalArgumentException.class, () -> w.build(labelmap, MR.source(),
                List.of(SEGMENTS.get(1), SEGMENTS.get(0), SEGMENTS.get(2))), "segments out of order");
        Geometry g = MR.geometry();
        Volume fewer = Volume.ofBytes(g.region(new int[3], new int[] {g.dim(0), g.dim(1), 4}), new byte[g.dim(0) * g.dim(1) * 4]);
        assertThrows(IllegalArgumentException.class, () -> w.build(fewer, MR.source(), SEGMENTS));
        assertThrows(IllegalArgumentException.class, () -> w.withContent("my seg", "x", "y"), "ContentLabel is CS");
    }

    @Test
    void readerRefusesFramesOffTheGrid() throws IOException {
        Attributes seg = new SegmentationWriter(ALGORITHM).build(lesion(MR.geometry()), MR.source(), SEGMENTS);
        Attributes pos = seg.getNestedDataset(Tag.PerFrameFunctionalGroupsSequence, 0).getNestedDataset(Tag.PlanePositionSequence);
        double[] ipp = pos.getDoubles(Tag.ImagePositionPatient);
        pos.setDouble(Tag.ImagePositionPatient, org.lesionlink.dicom.data.VR.DS, ipp[0], ipp[1], ipp[2] + 1.0);
        DicomException e = assertThrows(DicomException.class, () -> SegmentationReader.toLabelmap(seg, MR.geometry(), "moved.dcm"));
        assertTrue(e.getMessage().startsWith("moved.dcm: frame 1 at"), e.getMessage());
        byte[] enc = DicomWriter.encode(seg, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertTrue(enc.length > 0);
    }

    static void assertDciodvfyPasses(Path file) throws IOException {
        Path dciodvfy = Peers.requireCommand("dciodvfy");
        Peers.Result r = Peers.run(List.of(dciodvfy.toString(), "-new", file.toString()), 120);
        String out = r.stderr() + r.stdout();
        List<String> bad = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("Error") || line.startsWith("Abort")) {
                bad.add(line);
            }
        }
        if (r.exitCode() > 1 || !bad.isEmpty()) {
            fail("dciodvfy rc " + r.exitCode() + " for " + file + ":\n" + out);
        }
    }

    static byte[] bytes(Volume v) {
        byte[] b = new byte[v.voxelsPerChannel()];
        v.data(0).get(b);
        return b;
    }

    static String sha256(byte[] b) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

}
