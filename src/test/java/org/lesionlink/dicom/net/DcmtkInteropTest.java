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

    @Test
    void storescuRequiredContextsSendsSegWrittenBySegmentationWriter() throws Exception {
        Path storescu = Peers.requireCommand("storescu");
        List<Path> files = NetTesting.mrSeriesWithSeg(tmp.resolve("in"));
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp.resolve("store"))) {
            List<String> cmd = new ArrayList<>(List.of(storescu.toString(), "-R", "-aet", "SEGSENDER", "-aec", "LESIONLINK",
                    "127.0.0.1", String.valueOf(scp.port())));
            files.forEach(f -> cmd.add(f.toString()));
            Peers.Result r = Peers.run(cmd, 60);
            assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
            assertEquals(files.size(), scp.stored().size());
            StoredInstance seg = scp.stored().get(files.size() - 1);
            assertEquals(UID.SegmentationStorage, seg.sopClassUid());
            assertArrayEquals(NetTesting.canonical(files.get(files.size() - 1)), NetTesting.canonical(seg.file()));
            // the stored file is a proper PS3.10 file: meta header names the accepted transfer syntax
            var meta = new org.lesionlink.dicom.io.DicomReader().read(seg.file()).fileMetaInformation();
            assertEquals(UID.ExplicitVRLittleEndian, meta.getString(org.lesionlink.dicom.data.Tag.TransferSyntaxUID));
            assertEquals(seg.sopInstanceUid(), meta.getString(org.lesionlink.dicom.data.Tag.MediaStorageSOPInstanceUID));
            assertEquals("SEGSENDER", meta.getString(org.lesionlink.dicom.data.Tag.SourceApplicationEntityTitle));
        }
    }

    @Test
    void calledAeCheckRejectsUnknownCalledAe() throws Exception {
        Path echoscu = Peers.requireCommand("echoscu");
        AcceptorPolicy strict = AcceptorPolicy.defaults().withCheckCalledAe(true);
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp.resolve("store"), strict)) {
            Peers.Result bad = Peers.run(List.of(echoscu.toString(), "-v", "-aec", "SOMEONEELSE", "127.0.0.1",
                    String.valueOf(scp.port())), 60);
            assertTrue(bad.exitCode() != 0);
            String out = bad.stdout() + bad.stderr();
            assertTrue(out.contains("Association Rejected") && out.contains("Called AE Title Not Recognized"), out);
            Peers.Result good = Peers.run(List.of(echoscu.toString(), "-aec", "LESIONLINK", "127.0.0.1",
                    String.valueOf(scp.port())), 60);
            assertEquals(0, good.exitCode(), good.stderr());
        }
    }

    @Test
    void ourScuToStorescpWithSmallMaxPdu() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        Path mr = Peers.requireFile(NetTesting.PYDICOM_FILES.resolve("MR_small.dcm"), "pydicom test files");
        Path ct = NetTesting.PYDICOM_FILES.resolve("CT_small.dcm");
        Path implicit = NetTesting.PYDICOM_FILES.resolve("MR_small_implicit.dcm");
        List<Path> files = new ArrayList<>(List.of(mr, ct));
        List<Path> seg = NetTesting.mrSeriesWithSeg(tmp.resolve("in"));
        files.add(seg.get(seg.size() - 1));
        int port = NetTesting.freePort();
        Path out = tmp.resolve("storescp");
        // storescp's smallest PDU (4096): our SCU must cut every data set into fragments of at most 4090 bytes.
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", out, port, "--max-pdu", "4096",
                "+xa");
                DicomClient client = new DicomClient(AssociationSettings.of("LESIONLINK"))) {
            List<org.lesionlink.dicom.net.dimse.StoreScu.Instance> instances = new ArrayList<>();
            for (Path f : files) {
                instances.add(org.lesionlink.dicom.net.dimse.StoreScu.probe(f));
            }
            List<org.lesionlink.dicom.net.pdu.PresentationContextRq> pcs = new ArrayList<>(
                    org.lesionlink.dicom.net.dimse.StoreScu.presentationContexts(instances));
            pcs.add(new org.lesionlink.dicom.net.pdu.PresentationContextRq(255, UID.Verification, UID.ImplicitVRLittleEndian));
            Association as = client.open("127.0.0.1", port, "STORESCP", pcs);
            assertEquals(4096, as.peerMaxPduLength());
            assertEquals(0, as.cecho().status());
            for (var i : instances) {
                var rsp = org.lesionlink.dicom.net.dimse.StoreScu.store(as, i);
                assertEquals(0, rsp.status(), rsp.toString());
            }
            as.release();
            assertEquals(null, as.failure());
            for (Path f : files) {
                String iuid = org.lesionlink.dicom.net.dimse.StoreScu.probe(f).sopInstanceUid();
                Path received = NetTesting.filesUnder(out).stream().filter(p -> p.getFileName().toString().endsWith(iuid))
                        .findFirst().orElseThrow(() -> new AssertionError("storescp did not store " + iuid + "\n" + peer.log()));
                assertArrayEquals(NetTesting.canonical(f), NetTesting.canonical(received), f.toString());
            }
            // An implicit VR file: sent as it is on an Implicit LE context (no re-encoding).
            Association as2 = client.open("127.0.0.1", port, "STORESCP",
                    org.lesionlink.dicom.net.dimse.StoreScu.presentationContexts(
                            List.of(org.lesionlink.dicom.net.dimse.StoreScu.probe(implicit))));
            assertEquals(0, org.lesionlink.dicom.net.dimse.StoreScu.store(as2,
                    org.lesionlink.dicom.net.dimse.StoreScu.probe(implicit)).status());
            as2.release();
        }
    }

    @Test
    void ourEchoScuToStorescpAndReleaseOrAbort() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        int port = NetTesting.freePort();
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", tmp.resolve("out"), port);
                DicomClient client = new DicomClient(AssociationSettings.of("ECHOTEST"))) {
            List<org.lesionlink.dicom.net.pdu.PresentationContextRq> pcs = List.of(
                    new org.lesionlink.dicom.net.pdu.PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian),
                    new org.lesionlink.dicom.net.pdu.PresentationContextRq(3, "1.2.3.4.5.6.7", UID.ImplicitVRLittleEndian));
            Association as = client.open("127.0.0.1", port, "STORESCP", pcs);
            assertEquals(1, as.presentationContexts().size());
            assertEquals(org.lesionlink.dicom.net.pdu.PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                    as.associateAc().presentationContext(3).result());
            for (int i = 0; i < 3; i++) {
                assertEquals(0, as.cecho().status());
            }
            as.release();
            assertTrue(as.transitions().contains("Sta7 + Evt13 -> AR-3 -> Sta1"), as.transitions().toString());
            Association ab = client.open("127.0.0.1", port, "STORESCP", pcs);
            ab.abort();
            ab.closed().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(ab.transitions().contains("Sta6 + Evt15 -> AA-1 -> Sta13"), ab.transitions().toString());
            // storescp survives our abort and serves the next association
            Association again = client.open("127.0.0.1", port, "STORESCP", pcs);
            assertEquals(0, again.cecho().status());
            again.release();
            assertTrue(peer.isAlive());
        }
    }
}
