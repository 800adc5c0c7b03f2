package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.io.DicomWriter;

/** The checks of the fault and load tests can fail: a leaked buffer is caught, a changed data set byte is seen. */
class FaultTestingTest {
    @TempDir
    Path tmp;

    @Test
    void leakWatchFailsOnALeakedBuffer() throws Exception {
        try (FaultTesting.LeakWatch watch = new FaultTesting.LeakWatch()) {
            leak();
            AssertionError e = assertThrows(AssertionError.class, watch::assertNoLeaks);
            assertTrue(e.getMessage().contains("LEAK"), e.getMessage());
        }
    }

    /** A tracked buffer dropped without release, with a unique touch hint so that Netty does not deduplicate it. */
    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.touch("deliberately leaked by FaultTestingTest " + System.nanoTime());
        b.writeLong(42);
    }

    @Test
    void datasetHashIgnoresTheMetaHeaderButNotTheDataSet() throws Exception {
        List<Path> files = FaultTesting.series(tmp.resolve("a"), "hash-check", 0);
        Path f = files.get(0);
        String h = FaultTesting.datasetSha256(f);
        // the same data set behind another meta header (the SCP writes its own)
        var df = new DicomReader().read(f);
        var meta = df.fileMetaInformation();
        meta.setString(org.lesionlink.dicom.data.Tag.SourceApplicationEntityTitle, org.lesionlink.dicom.data.VR.AE, "ELSEWHERE");
        Path g = tmp.resolve("g.dcm");
        try (var out = Files.newOutputStream(g)) {
            DicomWriter.writeFileHeader(out, meta);
            byte[] all = Files.readAllBytes(f);
            int dataStart = all.length - dataSetLength(f);
            out.write(all, dataStart, all.length - dataStart);
        }
        assertNotEquals(Files.size(f), Files.size(g));
        assertEquals(h, FaultTesting.datasetSha256(g));
        // one byte of the data set changed
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 1] ^= 1;
        Path changed = Files.write(tmp.resolve("changed.dcm"), bytes);
        assertNotEquals(h, FaultTesting.datasetSha256(changed));
        // a file cut in the meta header is refused
        Path cut = Files.write(tmp.resolve("cut.dcm"), java.util.Arrays.copyOf(bytes, 140));
        assertThrows(java.io.IOException.class, () -> FaultTesting.datasetSha256(cut));
    }

    private static int dataSetLength(Path f) throws Exception {
        byte[] b = Files.readAllBytes(f);
        int groupLength = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(140);
        return b.length - (144 + groupLength);
    }
}
