package org.lesionlink.dicom.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Fragments;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.seg.AlgorithmIdentification;
import org.lesionlink.dicom.seg.Code;
import org.lesionlink.dicom.seg.SegmentDescription;
import org.lesionlink.dicom.seg.SegmentationWriter;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Synthetic oblique, anisotropic MR series ({@link SyntheticMrSeries}): exact geometry against the generator, the
 * round trip volume -> DICOM -> volume, pixel formats, and each refusal built on purpose.
 */
class SyntheticVolumeTest {

    static final int NX = 7;
    static final int NY = 5;
    static final int NZ = 6;

    @TempDir
    Path dir;

    static SyntheticMrSeries series(String seed) {
        return SyntheticMrSeries.oblique(NX, NY, NZ, seed);
    }

    static List<DicomInstance> instances(List<Attributes> slices) {
        List<DicomInstance> out = new ArrayList<>();
        for (Attributes a : slices) {
            out.add(DicomInstance.of(a));
        }
        return out;
    }

    /** The slices in a scrambled order, so that nothing can rely on the input order. */
    static List<Attributes> shuffled(List<Attributes> slices, long seed) {
        List<Attributes> l = new ArrayList<>(slices);
        Collections.shuffle(l, new Random(seed));
        return l;
    }

    static AssembledSeries assemble(List<Attributes> slices) throws VolumeRefusedException {
        return new VolumeAssembler().assemble(instances(slices));
    }

    static Refusal refusal(List<Attributes> slices) {
        return assertThrows(VolumeRefusedException.class, () -> assemble(slices)).refusal();
    }

    /** Copies of the series' slices with {@code change} applied to slice {@code k} (all when k < 0). */
    static List<Attributes> modified(SyntheticMrSeries s, int k, Consumer<Attributes> change) {
        List<Attributes> out = new ArrayList<>();
        for (int i = 0; i < s.slices().size(); i++) {
            Attributes a = s.slices().get(i).deepCopy();
            if (k < 0 || i == k) {
                change.accept(a);
            }
            out.add(a);
        }
        return out;
    }

    static double[] unit(Affine a, int c) {
        double n = Math.sqrt(a.get(0, c) * a.get(0, c) + a.get(1, c) * a.get(1, c) + a.get(2, c) * a.get(2, c));
        return new double[] {a.get(0, c) / n, a.get(1, c) / n, a.get(2, c) / n};
    }

    @Test
    void obliqueGeometryIsExactAndSlicesFollowTheNormal() throws Exception {
        SyntheticMrSeries s = series("geo");
        AssembledSeries a = assemble(shuffled(s.slices(), 1));
        Volume v = a.volume();
        assertTrue(v.geometry().sameGrid(s.geometry(), 1e-9), v.geometry() + " vs " + s.geometry());
        assertArrayEquals(new double[] {0.9, 1.1, 3.0}, v.geometry().spacing(), 1e-12);
        assertEquals(DataType.UINT16, v.type());
        assertTrue(v.rescale().isIdentity());
        for (int k = 0; k < NZ; k++) {
            assertEquals(UID.nameBased("geo|sop|" + k), a.slices().get(k).sopInstanceUid());
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    assertEquals((i * 7 + j * 13 + k * 29) % 4096, v.value(0, i, j, k), 0);
                }
            }
        }
        assertEquals("AXIAL", a.info().orientation()); // tilted exactly 10 degrees: not yet "oblique"
        assertEquals("T1 post-contrast (synthetic)", a.info().seriesDescription());
        assertEquals(500, a.info().repetitionTime(), 0);
        assertTrue(a.notes().isEmpty(), a.notes().toString());
    }

    /** A volume as MR slices: the generator's headers on the volume's grid, its stored values and rescale. */
    static List<Attributes> toDicom(Volume v, String seed) {
        SyntheticMrSeries s = SyntheticMrSeries.of(v.geometry(), seed);
        int nx = v.geometry().dim(0);
        int ny = v.geometry().dim(1);
        boolean signed = v.type() == DataType.INT16;
        List<Attributes> out = new ArrayList<>();
        for (int k = 0; k < s.slices().size(); k++) {
            Attributes a = s.slices().get(k).deepCopy();
            ByteBuffer px = ByteBuffer.allocate(nx * ny * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < nx * ny; p++) {
                px.putShort((short) v.stored(0, k * nx * ny + p));
            }
            a.setBytes(Tag.PixelData, VR.OW, px.array());
            a.setInt(Tag.BitsStored, VR.US, 16);
            a.setInt(Tag.HighBit, VR.US, 15);
            a.setInt(Tag.PixelRepresentation, VR.US, signed ? 1 : 0);
            if (!v.rescale().isIdentity()) {
                a.setDouble(Tag.RescaleSlope, VR.DS, v.rescale().slope());
                a.setDouble(Tag.RescaleIntercept, VR.DS, v.rescale().intercept());
            }
            out.add(a);
        }
        return out;
    }

    @Test
    void roundTripThroughFilesGivesTheSameVolume() throws Exception {
        // A signed volume with a rescale on an oblique grid, as files with scrambled names.
        Geometry g = series("rt").geometry();
        Volume.Builder b = Volume.allocate(g, DataType.INT16, 1).rescale(new Volume.Rescale(0.5, -20));
        Random rnd = new Random(7);
        for (int i = 0; i < g.voxelCount(); i++) {
            b.set(0, i, rnd.nextInt(65536) - 32768);
        }
        Volume original = b.build();
        List<Attributes> slices = toDicom(original, "rt");
        List<Integer> names = new ArrayList<>();
        for (int k = 0; k < slices.size(); k++) {
            names.add(k);
        }
        Collections.shuffle(names, new Random(3));
        Files.createDirectories(dir.resolve("a/b"));
        for (int k = 0; k < slices.size(); k++) {
            Path f = dir.resolve(k % 2 == 0 ? "a" : "a/b").resolve("IM" + names.get(k));
            DicomWriter.write(f, slices.get(k), k % 3 == 0 ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        Files.writeString(dir.resolve("a/README.txt"), "not DICOM");
        DicomScanner.Result scan = DicomScanner.scan(dir);
        assertEquals(NZ, scan.instances().size());
        assertEquals(1, scan.skipped().size(), scan.skipped().toString());
        List<SeriesResult> results = new VolumeAssembler().assembleAll(scan.instances());
        assertEquals(1, results.size());
        Volume back = results.get(0).volume().volume();
        assertTrue(back.geometry().sameGrid(original.geometry(), 1e-9));
        assertEquals(original.type(), back.type());
        assertEquals(original.rescale(), back.rescale());
        for (int i = 0; i < original.voxelsPerChannel(); i++) {
            assertEquals(original.stored(0, i), back.stored(0, i), 0, "voxel " + i);
        }
        // And once more: the assembled volume written again gives the same volume.
        AssembledSeries again = assemble(toDicom(back, "rt2"));
        assertTrue(again.volume().geometry().sameGrid(back.geometry(), 1e-9));
        for (int i = 0; i < original.voxelsPerChannel(); i++) {
            assertEquals(back.stored(0, i), again.volume().stored(0, i), 0);
        }
    }

    @Test
    void theSegmentationWriterTakesTheSourceSeries() throws Exception {
        SyntheticMrSeries s = series("seg");
        AssembledSeries a = assemble(shuffled(s.slices(), 5));
        byte[] labels = new byte[NX * NY * NZ];
        for (int k = 0; k < NZ; k++) {
            labels[a.volume().index(3, 2, k)] = 1;
        }
        Attributes seg = new SegmentationWriter(new AlgorithmIdentification(AlgorithmIdentification.Type.AUTOMATIC,
                Code.ARTIFICIAL_INTELLIGENCE, "test", "1")).build(Volume.ofBytes(a.volume().geometry(), labels),
                a.sourceSeries(), List.of(SegmentDescription.of(1, "Metastasis", Code.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                        Code.NEOPLASM_SECONDARY)));
        Sequence frames = seg.getSequence(Tag.PerFrameFunctionalGroupsSequence);
        assertEquals(NZ, frames.size());
        for (Attributes f : frames) {
            double[] ipp = f.getNestedDataset(Tag.PlanePositionSequence).getDoubles(Tag.ImagePositionPatient);
            String ref = f.getNestedDataset(Tag.DerivationImageSequence).getNestedDataset(Tag.SourceImageSequence)
                    .getString(Tag.ReferencedSOPInstanceUID);
            Attributes source = s.slices().stream().filter(x -> x.getString(Tag.SOPInstanceUID).equals(ref)).findFirst().orElseThrow();
            assertArrayEquals(source.getDoubles(Tag.ImagePositionPatient), ipp, 1e-6);
        }
        assertEquals(s.slices().get(0).getString(Tag.FrameOfReferenceUID), seg.getString(Tag.FrameOfReferenceUID));
    }

    // ------------------------------------------------------------------------------------------------ pixels

    @Test
    void bitsStoredMaskingAndSignExtension() throws Exception {
        SyntheticMrSeries s = series("bits");
        // Unsigned 12 bits stored in 16 with garbage above bit 11.
        List<Attributes> unsigned = modified(s, -1, a -> {
            byte[] px = a.getBytes(Tag.PixelData);
            for (int p = 1; p < px.length; p += 2) {
                px[p] |= (byte) 0xB0;
            }
            a.setBytes(Tag.PixelData, VR.OW, px);
        });
        Volume u = assemble(unsigned).volume();
        assertEquals(DataType.UINT16, u.type());
        Volume ref = assemble(s.slices()).volume();
        for (int i = 0; i < u.voxelsPerChannel(); i++) {
            assertEquals(ref.stored(0, i), u.stored(0, i), 0);
        }
        // Signed 12 bits: 0xFFF is -1, 0x800 is -2048, with garbage above.
        List<Attributes> signed = modified(s, -1, a -> {
            a.setInt(Tag.PixelRepresentation, VR.US, 1);
            ByteBuffer px = ByteBuffer.allocate(NX * NY * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < NX * NY; p++) {
                int v = p % 3 == 0 ? 0xFFF : p % 3 == 1 ? 0x800 : 0x7FF;
                px.putShort((short) (v | 0xA000));
            }
            a.setBytes(Tag.PixelData, VR.OW, px.array());
        });
        Volume sv = assemble(signed).volume();
        assertEquals(DataType.INT16, sv.type());
        for (int i = 0; i < sv.voxelsPerChannel(); i++) {
            int p = i % (NX * NY);
            assertEquals(p % 3 == 0 ? -1 : p % 3 == 1 ? -2048 : 2047, sv.stored(0, i), 0);
        }
        // 8-bit signed becomes int16; 8-bit unsigned stays uint8.
        List<Attributes> bytes8 = modified(s, -1, a -> {
            a.setInt(Tag.BitsAllocated, VR.US, 8);
            a.setInt(Tag.BitsStored, VR.US, 8);
            a.setInt(Tag.HighBit, VR.US, 7);
            a.setInt(Tag.PixelRepresentation, VR.US, 1);
            byte[] px = new byte[NX * NY + 1];
            for (int p = 0; p < NX * NY; p++) {
                px[p] = (byte) (p * 9 - 100);
            }
            a.setBytes(Tag.PixelData, VR.OB, px);
        });
        Volume b8 = assemble(bytes8).volume();
        assertEquals(DataType.INT16, b8.type());
        assertEquals((byte) (4 * 9 - 100), b8.stored(0, 4), 0);
        assertEquals((byte) (20 * 9 - 100), b8.stored(0, 20), 0);
    }

    @Test
    void rescaleThatVariesBetweenSlicesGivesFloat32RealValues() throws Exception {
        SyntheticMrSeries s = series("resc");
        List<Attributes> slices = new ArrayList<>();
        for (int k = 0; k < NZ; k++) {
            Attributes a = s.slices().get(k).deepCopy();
            a.setDouble(Tag.RescaleSlope, VR.DS, 1 + 0.25 * k);
            a.setDouble(Tag.RescaleIntercept, VR.DS, -10 * k);
            slices.add(a);
        }
        AssembledSeries a = assemble(shuffled(slices, 2));
        Volume v = a.volume();
        assertEquals(DataType.FLOAT32, v.type());
        assertTrue(v.rescale().isIdentity());
        for (int k = 0; k < NZ; k++) {
            for (int i = 0; i < NX; i++) {
                double stored = (i * 7 + 2 * 13 + k * 29) % 4096;
                assertEquals(stored * (1 + 0.25 * k) - 10 * k, v.value(0, i, 2, k), 1e-3);
            }
        }
        assertTrue(a.notes().stream().anyMatch(n -> n.contains("float32")), a.notes().toString());
        // The same rescale everywhere keeps uint16 and a Volume.Rescale.
        Volume same = assemble(modified(s, -1, x -> x.setDouble(Tag.RescaleSlope, VR.DS, 2.5))).volume();
        assertEquals(DataType.UINT16, same.type());
        assertEquals(new Volume.Rescale(2.5, 0), same.rescale());
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void gantryTiltIsRefusedWithTheAngle() {
        SyntheticMrSeries s = series("tilt");
        double[] row = unit(s.geometry().ijkToLps(), 0);
        List<Attributes> slices = new ArrayList<>();
        for (int k = 0; k < NZ; k++) {
            Attributes a = s.slices().get(k).deepCopy();
            double[] ipp = a.getDoubles(Tag.ImagePositionPatient);
            for (int c = 0; c < 3; c++) {
                ipp[c] += k * 0.5 * row[c]; // 0.5 mm across the plane per 3 mm slice: atan(0.5 / 3) = 9.46 deg
            }
            a.setDouble(Tag.ImagePositionPatient, VR.DS, ipp);
            slices.add(a);
        }
        Refusal r = refusal(shuffled(slices, 4));
        assertEquals(Refusal.Reason.GANTRY_TILT, r.reason(), r.toString());
        assertTrue(r.message().contains("about 9.46 degrees"), r.message());
        assertTrue(r.message().contains("drift 2.500 mm across the image plane over 15.000 mm"), r.message());
        // A drift far below the tolerance (DS rounding) is accepted.
        List<Attributes> tiny = modified(s, 3, a -> {
            double[] ipp = a.getDoubles(Tag.ImagePositionPatient);
            ipp[0] += 0.004;
            a.setDouble(Tag.ImagePositionPatient, VR.DS, ipp);
        });
        assertEquals(NZ, assertDoesNotRefuse(tiny).volume().geometry().dim(2));
    }

    static AssembledSeries assertDoesNotRefuse(List<Attributes> slices) {
        try {
            return assemble(slices);
        } catch (VolumeRefusedException e) {
            throw new AssertionError("refused: " + e.refusal(), e);
        }
    }

    static List<Attributes> movedAlongNormal(SyntheticMrSeries s, int k, double mm) {
        double[] n = unit(s.geometry().ijkToLps(), 2);
        return modified(s, k, a -> {
            double[] ipp = a.getDoubles(Tag.ImagePositionPatient);
            for (int c = 0; c < 3; c++) {
                ipp[c] += mm * n[c];
            }
            a.setDouble(Tag.ImagePositionPatient, VR.DS, ipp);
        });
    }

    @Test
    void irregularSpacingIsRefused() {
        Refusal r = refusal(movedAlongNormal(series("irr"), 3, 0.6));
        assertEquals(Refusal.Reason.IRREGULAR_SPACING, r.reason(), r.toString());
        assertTrue(r.message().contains("gaps along the normal range from 2.4 to 3.6 mm (nominal 3 mm, tolerance +-0.03 mm)"),
                r.message());
        // Within 1 %: accepted, spacing from first to last.
        assertEquals(3.0, assertDoesNotRefuse(movedAlongNormal(series("irr"), 3, 0.02)).volume().geometry().spacing(2), 1e-9);
    }

    @Test
    void aMissingSliceIsRefused() {
        SyntheticMrSeries s = series("miss");
        List<Attributes> slices = new ArrayList<>(s.slices());
        slices.remove(2);
        Refusal r = refusal(shuffled(slices, 9));
        assertEquals(Refusal.Reason.MISSING_SLICES, r.reason(), r.toString());
        assertTrue(r.message().contains("slice spacing is 3 mm but there is a gap of 6 mm"), r.message());
        assertTrue(r.message().contains("about 1 slice missing"), r.message());
    }

    @Test
    void mixedOrientationIsRefused() {
        SyntheticMrSeries s = series("mix");
        List<Attributes> slices = modified(s, 4, a -> a.setDouble(Tag.ImageOrientationPatient, VR.DS, 1, 0, 0, 0, 1, 0));
        Refusal r = refusal(slices);
        assertEquals(Refusal.Reason.MIXED_ORIENTATION, r.reason(), r.toString());
        assertTrue(r.message().contains("2 different slice orientations among 6 slices (5 x axial IOP [0.9397, 0.342, 0][-0.3368, 0.9254, 0.1736]; 1 x axial IOP [1, 0, 0][0, 1, 0])"), r.message());
        // An in-plane flip is a different orientation too, although the normal is parallel.
        double[] row = unit(s.geometry().ijkToLps(), 0);
        double[] col = unit(s.geometry().ijkToLps(), 1);
        Refusal flipped = refusal(modified(s, 1, a -> a.setDouble(Tag.ImageOrientationPatient, VR.DS,
                -row[0], -row[1], -row[2], -col[0], -col[1], -col[2])));
        assertEquals(Refusal.Reason.MIXED_ORIENTATION, flipped.reason());
    }

    @Test
    void duplicatePositionsAreRefusedUnlessTheyAreCopiesOfOneInstance() throws Exception {
        SyntheticMrSeries s = series("dup");
        List<Attributes> slices = new ArrayList<>(s.slices());
        Attributes echo2 = s.slices().get(2).deepCopy();
        echo2.setString(Tag.SOPInstanceUID, VR.UI, UID.nameBased("dup|echo2"));
        echo2.setDouble(Tags.EchoTime, VR.DS, 90);
        slices.add(echo2);
        Refusal r = refusal(slices);
        assertEquals(Refusal.Reason.DUPLICATE_POSITIONS, r.reason(), r.toString());
        assertTrue(r.message().contains("which differ in EchoTime (15 vs 90)"), r.message());

        List<Attributes> copies = new ArrayList<>(s.slices());
        copies.add(s.slices().get(2).deepCopy());
        AssembledSeries a = assemble(copies);
        assertEquals(NZ, a.volume().geometry().dim(2));
        assertEquals(List.of("1 duplicate copies of the same SOP instance ignored"), a.notes());
    }

    @Test
    void compressedMultiSampleAndHeaderOnlyAreRefused() {
        SyntheticMrSeries s = series("px");
        List<DicomInstance> compressed = new ArrayList<>();
        for (Attributes a : s.slices()) {
            Attributes c = a.deepCopy();
            Fragments f = new Fragments(VR.OB);
            f.add(new byte[0]);
            f.add(new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51});
            c.setFragments(Tag.PixelData, f);
            compressed.add(DicomInstance.of(c, TransferSyntax.of(UID.JPEG2000Lossless), "j2k"));
        }
        Refusal r = assertThrows(VolumeRefusedException.class, () -> new VolumeAssembler().assemble(compressed)).refusal();
        assertEquals(Refusal.Reason.COMPRESSED, r.reason());
        assertTrue(r.message().contains("1.2.840.10008.1.2.4.90"), r.message());
        assertTrue(r.message().contains("JPEG 2000"), r.message());

        Refusal rgb = refusal(modified(s, 0, a -> {
            a.setInt(Tag.SamplesPerPixel, VR.US, 3);
            a.setString(Tag.PhotometricInterpretation, VR.CS, "RGB");
        }));
        assertEquals(Refusal.Reason.MULTI_SAMPLE, rgb.reason());
        assertTrue(rgb.message().contains("3 samples per pixel (RGB)"), rgb.message());

        Refusal none = refusal(modified(s, 0, a -> a.remove(Tag.PixelData)));
        assertEquals(Refusal.Reason.NO_PIXEL_DATA, none.reason());
        Refusal noGeometry = refusal(modified(s, 0, a -> a.remove(Tag.ImagePositionPatient)));
        assertEquals(Refusal.Reason.NO_GEOMETRY, noGeometry.reason());
        Refusal truncated = refusal(modified(s, 3, a -> a.setBytes(Tag.PixelData, VR.OW, new byte[10])));
        assertEquals(Refusal.Reason.TRUNCATED_PIXELS, truncated.reason());
        Refusal size = refusal(modified(s, 3, a -> {
            a.setInt(Tag.Rows, VR.US, NY - 1);
        }));
        assertEquals(Refusal.Reason.INCONSISTENT_PIXELS, size.reason());
    }

    // ------------------------------------------------------------------------------------------------ enhanced

    /** The synthetic slices as one Enhanced MR instance: shared orientation and measures, per-frame position and rescale. */
    static Attributes enhanced(SyntheticMrSeries s, boolean varyRescale) {
        Attributes first = s.slices().get(0);
        Attributes e = first.deepCopy();
        e.setString(Tag.SOPClassUID, VR.UI, UID.EnhancedMRImageStorage);
        e.setString(Tag.SOPInstanceUID, VR.UI, UID.nameBased("enhanced"));
        for (int t : new int[] {Tag.ImagePositionPatient, Tag.ImageOrientationPatient, Tag.PixelSpacing, Tag.SliceThickness}) {
            e.remove(t);
        }
        Attributes shared = e.newSequence(Tag.SharedFunctionalGroupsSequence).addNew();
        shared.newSequence(Tag.PlaneOrientationSequence).addNew().copyFrom(first, Tag.ImageOrientationPatient);
        shared.newSequence(Tag.PixelMeasuresSequence).addNew().copyFrom(first, Tag.PixelSpacing, Tag.SliceThickness);
        Sequence perFrame = e.newSequence(Tag.PerFrameFunctionalGroupsSequence);
        List<Integer> order = new ArrayList<>(List.of(3, 0, 5, 1, 4, 2)); // frames out of spatial order
        ByteBuffer px = ByteBuffer.allocate(NX * NY * 2 * NZ).order(ByteOrder.LITTLE_ENDIAN);
        for (int k : order) {
            Attributes src = s.slices().get(k);
            Attributes f = perFrame.addNew();
            f.newSequence(Tag.PlanePositionSequence).addNew().copyFrom(src, Tag.ImagePositionPatient);
            Attributes pvt = f.newSequence(Tags.PixelValueTransformationSequence).addNew();
            pvt.setDouble(Tag.RescaleSlope, VR.DS, varyRescale ? 1 + k : 2);
            pvt.setDouble(Tag.RescaleIntercept, VR.DS, varyRescale ? k : -5);
            pvt.setString(Tag.RescaleType, VR.LO, "US");
            px.put(src.getBuffer(Tag.PixelData));
        }
        e.setInt(Tag.NumberOfFrames, VR.IS, NZ);
        e.setBytes(Tag.PixelData, VR.OW, px.array());
        return e;
    }

    @Test
    void enhancedMultiFrameUsesTheFunctionalGroups() throws Exception {
        SyntheticMrSeries s = series("enh");
        AssembledSeries a = new VolumeAssembler().assemble(List.of(DicomInstance.of(enhanced(s, false))));
        assertTrue(a.volume().geometry().sameGrid(s.geometry(), 1e-9));
        assertEquals(new Volume.Rescale(2, -5), a.volume().rescale());
        int[] frameOfK = {2, 4, 6, 1, 5, 3}; // frame numbers (1-based) of spatial slices 0..5
        for (int k = 0; k < NZ; k++) {
            assertEquals(frameOfK[k], a.slices().get(k).frameNumber());
            assertEquals(UID.nameBased("enhanced"), a.slices().get(k).sopInstanceUid());
            assertEquals((3 * 7 + 1 * 13 + k * 29) % 4096, a.volume().stored(0, a.volume().index(3, 1, k)), 0);
        }
        AssembledSeries varying = new VolumeAssembler().assemble(List.of(DicomInstance.of(enhanced(s, true))));
        assertEquals(DataType.FLOAT32, varying.volume().type());
        for (int k = 0; k < NZ; k++) {
            assertEquals(((3 * 7 + 1 * 13 + k * 29) % 4096) * (1.0 + k) + k, varying.volume().value(0, 3, 1, k), 1e-3);
        }
    }
}
