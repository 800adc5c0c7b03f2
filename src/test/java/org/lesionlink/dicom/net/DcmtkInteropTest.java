package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.dimse.StoredInstance;
import org.lesionlink.testing.Peers;

/** DCMTK (Debian's dcmtk 3.6.7) against LesionLink on loopback: echoscu and storescu to our SCP. */
@Timeout(120)
class DcmtkInteropTest {

    @TempDir
    Path tmp;

    @Test
    void echoscuToOurScp() throws Exception {
        Path echoscu = Peers.requireCommand("echoscu");
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp.resolve("store"))) {
            Peers.Result r = Peers.run(List.of(echoscu.toString(), "-v", "-aet", "ECHOSCU", "-aec", "LESIONLINK",
                    "127.0.0.1", String.valueOf(scp.port())), 60);
            assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
            assertTrue((r.stdout() + r.stderr()).contains("Received Echo Response (Success)"), r.stderr());
        }
    }

    @Test
    void storescuToOurScpStoresIdenticalDataSets() throws Exception {
        Path storescu = Peers.requireCommand("storescu");
        Path mr = Peers.requireFile(NetTesting.PYDICOM_FILES.resolve("MR_small.dcm"), "pydicom test files");
        Path ct = NetTesting.PYDICOM_FILES.resolve("CT_small.dcm");
        Path mrBe = NetTesting.PYDICOM_FILES.resolve("MR_small_bigendian.dcm");
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp.resolve("store"))) {
            List<String> cmd = new ArrayList<>(List.of(storescu.toString(), "-v", "-aet", "STORESCU", "-aec", "LESIONLINK",
                    "127.0.0.1", String.valueOf(scp.port()), mr.toString(), ct.toString()));
            Peers.Result r = Peers.run(cmd, 60);
            assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
            assertEquals(2, scp.stored().size(), r.stderr());
            for (StoredInstance i : scp.stored()) {
                Path original = i.sopClassUid().equals(UID.MRImageStorage) ? mr : ct;
                assertArrayEquals(NetTesting.canonical(original), NetTesting.canonical(i.file()), i.file().toString());
                assertTrue(i.file().startsWith(scp.storage().resolve(i.studyInstanceUid()).resolve(i.seriesInstanceUid())));
                assertEquals(i.sopInstanceUid() + ".dcm", i.file().getFileName().toString());
                assertEquals("STORESCU", i.callingAeTitle());
            }
            // Big endian proposed as the file's own syntax: accepted as Explicit BE and stored as received.
            Peers.Result be = Peers.run(List.of(storescu.toString(), "-R", "-aet", "STORESCU", "-aec", "LESIONLINK",
                    "127.0.0.1", String.valueOf(scp.port()), mrBe.toString()), 60);
            assertEquals(0, be.exitCode(), be.stderr());
            assertArrayEquals(NetTesting.canonical(mrBe), NetTesting.canonical(scp.stored().get(2).file()));
            // nothing else left behind (no temp files)
            assertEquals(2, NetTesting.filesUnder(scp.storage()).size(), NetTesting.filesUnder(scp.storage()).toString());
        }
    }
}
