package org.lesionlink.dicom.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.testing.FuzzChecks;

/**
 * Fuzzes the DICOM file and data set parser ({@link DicomReader#read(byte[], String)}: preamble, File Meta
 * Information, every transfer syntax including deflate, sequences, encapsulated Pixel Data). Property: the only
 * exception is {@link DicomException}; no hang; allocation follows the input (inflated data sets within the reader's
 * limit, set low here); what parses can be written again by {@link DicomWriter} (what the C-STORE SCP and the SEG
 * writer do with received data) unless the writer refuses it with a named exception. Seeds: small files in every
 * transfer syntax written by pydicom (scripts/fuzz-seeds.py). The read that keeps only some values (the storage SCP's
 * parse back) fails exactly when the full read fails, with the same message.
 */
class DicomReaderFuzzTest {

    /** The inflate limit here: 64 times a 64 KiB input, far above what real deflated data sets reach. */
    private static final DicomReader READER = new DicomReader(new DicomReader.Limits(Integer.MAX_VALUE - 64, 4 << 20, 64));

    @FuzzTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void read(byte[] data) {
        FuzzChecks.assertAllocationWithin(16L << 20, 64, data.length, "DICOM file", () -> parse(data));
    }

    private static void parse(byte[] data) {
        Throwable t = FuzzChecks.onlyThrows(() -> {
            DicomFile f;
            try {
                f = READER.read(data, "fuzz");
            } catch (DicomException e) {
                assertKeepingReadAgrees(data, e);
                throw e;
            }
            assertKeepingReadAgrees(data, null);
            FuzzChecks.onlyThrows(() -> DicomWriter.writeDataset(new ByteArrayOutputStream(), f.dataset(),
                    f.transferSyntax()), DicomException.class);
        }, DicomException.class);
        if (t != null && t.getMessage() == null) {
            throw new AssertionError("DicomException without a message", t);
        }
    }

    /**
     * The storage SCP's parse back ({@code read(ByteBuffer, source, keep)} on a direct buffer, only the UIDs kept)
     * fails exactly when the full read fails, with the same message: skipping values checks as much.
     */
    private static void assertKeepingReadAgrees(byte[] data, DicomException full) {
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(data.length).put(data).flip();
        String kept = null;
        try {
            READER.read(direct, "fuzz", t -> t == org.lesionlink.dicom.data.Tag.SOPInstanceUID
                    || t == org.lesionlink.dicom.data.Tag.StudyInstanceUID);
        } catch (DicomException e) {
            kept = e.getMessage();
        }
        String expected = full == null ? null : full.getMessage();
        if (!java.util.Objects.equals(expected, kept)) {
            throw new AssertionError("full read: " + expected + "; read keeping the UIDs only: " + kept);
        }
    }
}
