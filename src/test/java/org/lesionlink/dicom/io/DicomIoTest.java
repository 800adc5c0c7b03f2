package org.lesionlink.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Fragments;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;

/** Encoding details and hostile input, with hand-made bytes (no peers needed). */
class DicomIoTest {

    static Attributes sample() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5");
        a.setString(Tag.PatientName, VR.PN, "Çelik^Ayşe");
        a.setInt(Tag.Rows, VR.US, 2);
        Attributes item = a.newSequence(Tag.ReferencedSeriesSequence).addNew();
        item.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3");
        item.newSequence(Tag.ReferencedInstanceSequence); // empty sequence
        int priv = a.privateTag("LESIONLINK", 0x0029, 0x10, true);
        a.setBytes(priv, VR.OB, new byte[] {1, 2, 3});
        a.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 0, 2, 0});
        return a;
    }

    @Test
    void explicitAndImplicitAndDeflatedRoundTrip(@TempDir Path dir) throws IOException {
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) {
            Path f = dir.resolve("x.dcm");
            DicomWriter.write(f, sample(), ts);
            DicomFile back = new DicomReader().read(f);
            assertEquals(ts.uid(), back.transferSyntax().uid());
            assertFalse(back.guessedTransferSyntax());
            Attributes d = back.dataset();
            assertEquals("Çelik^Ayşe", d.getString(Tag.PatientName));
            assertEquals(2, d.getInt(Tag.Rows, 0));
            assertEquals("1.2.3", d.getNestedDataset(Tag.ReferencedSeriesSequence).getString(Tag.SeriesInstanceUID));
            assertEquals(0, d.getNestedDataset(Tag.ReferencedSeriesSequence).getSequence(Tag.ReferencedInstanceSequence).size());
            int priv = d.privateTag("LESIONLINK", 0x0029, 0x10, false);
            assertArrayEquals(new byte[] {1, 2, 3, 0}, d.getBytes(priv), "odd OB padded with NUL");
            assertEquals(ts.explicitVR() ? VR.OB : VR.UN, d.vr(priv), "private VR is only known in explicit VR");
            assertEquals("1.2.3.4.5", back.fileMetaInformation().getString(Tag.MediaStorageSOPInstanceUID));
            assertEquals(DicomWriter.IMPLEMENTATION_CLASS_UID, back.fileMetaInformation().getString(Tag.ImplementationClassUID));
            assertTrue(back.fileMetaInformation().contains(Tag.FileMetaInformationGroupLength));
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left");
        }
    }

    @Test
    void cEchoCommandSetIsSixtyEightBytes() throws IOException {
        Attributes c = new Attributes();
        c.setString(Tag.AffectedSOPClassUID, VR.UI, UID.Verification);
        c.setInt(Tag.CommandField, VR.US, 0x0030);
        c.setInt(Tag.MessageID, VR.US, 1);
        c.setInt(Tag.CommandDataSetType, VR.US, 0x0101);
        byte[] b = DicomWriter.encodeCommand(c);
        assertEquals(68, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, bb.getInt(0));
        assertEquals(4, bb.getInt(4));
        assertEquals(56, bb.getInt(8));
        assertEquals(18, bb.getInt(16), "UID padded to even with NUL");
        assertEquals(0, b[12 + 8 + 17]);
        Attributes back = new DicomReader().readCommand(b, "command");
        assertEquals(56, back.getInt(Tag.CommandGroupLength, 0));
        assertEquals(UID.Verification, back.getString(Tag.AffectedSOPClassUID));
        assertEquals(0x0101, back.getInt(Tag.CommandDataSetType, 0));
    }

    @Test
    void guessesTheSyntaxOfFilesWithoutMetaInformation() throws IOException {
        Attributes a = sample();
        a.remove(a.privateTag("LESIONLINK", 0x0029, 0x10, false));
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN}) {
            byte[] raw = DicomWriter.encode(a, ts);
            DicomFile f = new DicomReader().read(raw, "raw");
            assertTrue(f.guessedTransferSyntax());
            assertEquals(ts, f.transferSyntax());
            assertEquals(0, f.fileMetaInformation().size());
            assertEquals("Çelik^Ayşe", f.dataset().getString(Tag.PatientName));
        }
    }

    @Test
    void truncatedInputFailsWithTagAndOffset() throws IOException {
        byte[] full = DicomWriter.encode(sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        for (int cut = 1; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            try {
                new DicomReader().read(part, "cut" + cut);
            } catch (DicomException e) {
                assertTrue(e.getMessage().startsWith("cut" + cut + " at byte "), e.getMessage());
                assertTrue(e.offset() >= 0 && e.offset() <= cut, e.getMessage());
            }
        }
        byte[] part = Arrays.copyOf(full, full.length - 2);
        DicomException e = assertThrows(DicomException.class, () -> new DicomReader().read(part, "short.dcm"));
        assertTrue(e.getMessage().contains("(7FE0,0010) PixelData OW has value length 4 but only 2 bytes are left"), e.getMessage());
    }

    /**
     * {@code read(ByteBuffer, source, keep)}, as the storage SCP parses a received file back: the kept elements
     * equal a full read's, the others are not there, on heap and direct buffers and in every syntax; and every cut
     * of the file fails exactly as the full read does (the values not kept are still checked).
     */
    @Test
    void readKeepingSomeValuesChecksEverythingAndFailsAsTheFullRead(@TempDir Path dir) throws IOException {
        java.util.function.IntPredicate keep = t -> t == Tag.SOPInstanceUID || t == Tag.SeriesInstanceUID;
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) {
            Path f = dir.resolve("k.dcm");
            DicomWriter.write(f, sample(), ts);
            byte[] file = Files.readAllBytes(f);
            ByteBuffer direct = ByteBuffer.allocateDirect(file.length + 7).position(7);
            direct.put(file).position(7); // the file from position 7 to the limit
            for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.wrap(file), direct}) {
                int position = b.position();
                DicomFile k = new DicomReader().read(b, "k", keep);
                assertEquals(position, b.position(), "position unchanged");
                assertEquals(ts.uid(), k.transferSyntax().uid());
                Attributes d = k.dataset();
                assertEquals("1.2.3.4.5", d.getString(Tag.SOPInstanceUID));
                assertEquals("1.2.3", d.getNestedDataset(Tag.ReferencedSeriesSequence).getString(Tag.SeriesInstanceUID));
                assertFalse(d.contains(Tag.PixelData), ts.uid());
                assertFalse(d.contains(Tag.PatientName), ts.uid());
                assertEquals(UID.SecondaryCaptureImageStorage,
                        k.fileMetaInformation().getString(Tag.MediaStorageSOPClassUID), "meta information read whole");
            }
        }
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN}) {
            Path f = dir.resolve("cut.dcm");
            DicomWriter.write(f, sample(), ts);
            byte[] full = Files.readAllBytes(f);
            int failures = 0;
            for (int cut = 133; cut < full.length; cut++) {
                byte[] part = Arrays.copyOf(full, cut);
                String whole = outcome(() -> new DicomReader().read(part, "cut"));
                String kept = outcome(() -> new DicomReader().read(ByteBuffer.wrap(part), "cut", keep));
                if (whole != null) {
                    failures++;
                    assertEquals(whole, kept, "cut at " + cut);
                } else {
                    assertEquals(null, kept, "cut at " + cut);
                }
            }
            assertTrue(failures > full.length / 2, "most cuts fail: " + failures);
        }
    }

    private interface Read {
        DicomFile run() throws DicomException;
    }

    /** The DicomException's message, or null when it reads. */
    private static String outcome(Read r) {
        try {
            r.run();
            return null;
        } catch (DicomException e) {
            return e.getMessage();
        }
    }

    @Test
    void hugeLengthsAreNotAllocated() {
        // (0010,0010) PN with a 64 KiB length in a 10-byte input; (0009,1000) implicit with a 4 GiB length
        byte[] explicit = {0x10, 0, 0x10, 0, 'P', 'N', (byte) 0xFF, (byte) 0xFF, 'A', 'B'};
        DicomException e = assertThrows(DicomException.class, () -> new DicomReader().read(explicit, "big"));
        assertTrue(e.getMessage().contains("(0010,0010) PatientName PN has value length 65535 but only 2"), e.getMessage());
        byte[] implicit = {0x08, 0, 0x20, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 0};
        e = assertThrows(DicomException.class, () -> new DicomReader().read(implicit, "big2"));
        assertTrue(e.getMessage().contains("(0008,0020) StudyDate DA has value length 2147483632"), e.getMessage());
    }

    @Test
    void deeplyNestedSequencesAreRefused() throws IOException {
        Attributes a = new Attributes();
        Attributes cur = a;
        for (int i = 0; i < 100; i++) {
            cur = cur.newSequence(Tag.ReferencedSeriesSequence).addNew();
        }
        byte[] b = DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomException e = assertThrows(DicomException.class, () -> new DicomReader().read(b, "deep"));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
    }

    @Test
    void encapsulatedPixelDataIsCarried() throws IOException {
        Attributes a = sample();
        a.remove(Tag.PixelData);
        Fragments f = new Fragments(VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0}); // delimiter bytes inside
        a.setFragments(Tag.PixelData, f);
        TransferSyntax jpeg = TransferSyntax.of(UID.JPEGBaseline8Bit);
        assertThrows(DicomException.class, () -> DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeDataset(out, a, jpeg);
        Attributes back = new DicomReader().readDataset(ByteBuffer.wrap(out.toByteArray()), jpeg, "jpeg");
        Fragments g = back.getFragments(Tag.PixelData);
        assertEquals(2, g.size());
        assertEquals(6, g.item(1).remaining());
    }

    @Test
    void bigEndianIsReadNotWritten() {
        assertThrows(DicomException.class, () -> DicomWriter.encode(sample(), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN));
    }
}
