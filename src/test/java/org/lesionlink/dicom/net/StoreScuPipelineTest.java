package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.dimse.StoreScu;
import org.lesionlink.testing.Peers;

/**
 * The asynchronous C-STORE pipeline ({@link StoreScu#storeAll}, used by {@code lesionlink store}) against dcmtk's
 * storescp and against LesionLink's own SCP: every instance arrives with the same content, in order, on one
 * association, within the peer's maximum PDU length; failures are reported per instance and the rest goes on; an
 * association that ends mid-batch reports every instance left.
 */
@Timeout(120)
class StoreScuPipelineTest {

    @TempDir
    Path tmp;

    static final String STUDY = "1.2.826.0.1.3680043.8.498.81";
    static final String SERIES = "1.2.826.0.1.3680043.8.498.82";

    /** An MR instance of {@code pixels} bytes of pixel data as a PS3.10 file in {@code ts}. */
    static Path writeMr(Path dir, String iuid, int pixels, TransferSyntax ts) throws IOException {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.MRImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        a.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        a.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        a.setString(Tag.Modality, VR.CS, "MR");
        a.setString(Tag.PatientName, VR.PN, "PIPELINE^TEST");
        byte[] px = new byte[pixels];
        new Random(pixels * 31L + iuid.hashCode()).nextBytes(px);
        a.setBytes(Tag.PixelData, VR.OW, px);
        Files.createDirectories(dir);
        Path f = dir.resolve(iuid + ".dcm");
        DicomWriter.write(f, a, ts);
        return f;
    }

    /** 24 instances from 0 to ~200 KB of pixel data, every fourth in implicit VR. */
    List<Path> series(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            int pixels = k == 0 ? 0 : (k * 8_317) % 200_000 + 2 * k;
            files.add(writeMr(dir, "1.2.826.0.1.3680043.8.498.83." + (k + 1), pixels,
                    k % 4 == 3 ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        }
        return files;
    }

    static List<StoreScu.Instance> probe(List<Path> files) throws IOException {
        List<StoreScu.Instance> out = new ArrayList<>();
        for (Path f : files) {
            out.add(StoreScu.probe(f));
        }
        return out;
    }

    /** SOP Instance UIDs in the order storescp -v says it stored them. */
    static List<String> storedOrder(String log) {
        List<String> order = new ArrayList<>();
        Matcher m = Pattern.compile("storing DICOM file: \\S*?MR\\.([0-9.]+)").matcher(log);
        while (m.find()) {
            order.add(m.group(1));
        }
        return order;
    }

    @Test
    void everyInstanceArrivesIdenticalInOrderOnOneAssociationWithinStorescpsMaxPdu() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        List<Path> files = series(tmp.resolve("in"));
        List<StoreScu.Instance> instances = probe(files);
        int port = NetTesting.freePort();
        Path out = tmp.resolve("storescp");
        // storescp's smallest maximum PDU: dcmtk refuses a longer P-DATA-TF, so every instance cut right is checked.
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", out, port, "--max-pdu", "4096");
                DicomClient client = new DicomClient(AssociationSettings.of("PIPELINE"))) {
            Association as = client.open("127.0.0.1", port, "STORESCP", StoreScu.presentationContexts(instances));
            assertEquals(4096, as.peerMaxPduLength());
            List<StoreScu.Outcome> outcomes = new CopyOnWriteArrayList<>();
            StoreScu.storeAll(as, instances, outcomes::add).get(60, TimeUnit.SECONDS);
            as.release();
            assertNull(as.failure());

            assertEquals(instances, outcomes.stream().map(StoreScu.Outcome::instance).toList(), "outcomes in order");
            for (StoreScu.Outcome o : outcomes) {
                assertNull(o.error(), () -> o.instance().file() + ": " + o.error());
                assertEquals(Status.SUCCESS, o.response().status(), o.response().toString());
            }
            String log = peer.log();
            // One association (the port probe before it is a bare connection, never acknowledged), message IDs 1..24.
            assertEquals(1, Pattern.compile("Association Acknowledged").matcher(log).results().count(), log);
            assertEquals(java.util.stream.IntStream.rangeClosed(1, instances.size()).boxed().toList(),
                    Pattern.compile("Received Store Request \\(MsgID (\\d+)").matcher(log).results()
                            .map(m -> Integer.valueOf(m.group(1))).toList(), log);
            assertEquals(instances.stream().map(StoreScu.Instance::sopInstanceUid).toList(), storedOrder(log), log);
            for (Path f : files) {
                String iuid = StoreScu.probe(f).sopInstanceUid();
                Path received = out.resolve("MR." + iuid);
                assertTrue(Files.isRegularFile(received), () -> "storescp did not store " + iuid + "\n" + log);
                assertArrayEquals(NetTesting.canonical(f), NetTesting.canonical(received), f.toString());
                // storescp writes what it received in the syntax it came in: each file went in its own (implicit VR
                // ones too), sent as it is, not re-encoded.
                assertEquals(StoreScu.probe(f).transferSyntaxUid(),
                        new org.lesionlink.dicom.io.DicomReader().read(received).transferSyntax().uid(), f.toString());
            }
        }
    }

    @Test
    void failuresAreReportedPerInstanceAndTheRestIsSent() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        Path in = tmp.resolve("in");
        Path ok1 = writeMr(in, "1.2.826.0.1.3680043.8.498.84.1", 3000, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path gone = writeMr(in, "1.2.826.0.1.3680043.8.498.84.2", 3000, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path ok2 = writeMr(in, "1.2.826.0.1.3680043.8.498.84.3", 9000, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        // A SOP class storescp does not know: its presentation context is refused.
        Attributes odd = NetTesting.dataset(ok1);
        odd.setString(Tag.SOPClassUID, VR.UI, "1.2.826.0.1.3680043.8.498.999.1");
        odd.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.84.4");
        Path unknownClass = in.resolve("odd.dcm");
        DicomWriter.write(unknownClass, odd, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path ok3 = writeMr(in, "1.2.826.0.1.3680043.8.498.84.5", 100, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        List<StoreScu.Instance> instances = probe(List.of(ok1, gone, ok2, unknownClass, ok3));
        Files.delete(gone); // vanished between probing and sending
        int port = NetTesting.freePort();
        Path out = tmp.resolve("storescp");
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", out, port);
                DicomClient client = new DicomClient(AssociationSettings.of("PIPELINE"))) {
            Association as = client.open("127.0.0.1", port, "STORESCP", StoreScu.presentationContexts(instances));
            List<StoreScu.Outcome> outcomes = new CopyOnWriteArrayList<>();
            StoreScu.storeAll(as, instances, outcomes::add).get(60, TimeUnit.SECONDS);
            as.release();

            assertEquals(instances, outcomes.stream().map(StoreScu.Outcome::instance).toList());
            for (int k : new int[] {0, 2, 4}) {
                assertEquals(Status.SUCCESS, outcomes.get(k).response().status());
            }
            assertNull(outcomes.get(1).response());
            assertTrue(outcomes.get(1).error() instanceof java.nio.file.NoSuchFileException,
                    String.valueOf(outcomes.get(1).error()));
            assertNull(outcomes.get(3).response());
            assertTrue(outcomes.get(3).error().getMessage().contains("no accepted presentation context"),
                    outcomes.get(3).error().getMessage());
            assertEquals(List.of("1.2.826.0.1.3680043.8.498.84.1", "1.2.826.0.1.3680043.8.498.84.3",
                    "1.2.826.0.1.3680043.8.498.84.5"), storedOrder(peer.log()), peer.log());
        }
    }

    @Test
    void anAssociationEndingMidBatchReportsEveryInstanceLeft() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        List<StoreScu.Instance> instances = probe(series(tmp.resolve("in")).subList(0, 6));
        int port = NetTesting.freePort();
        // storescp aborts the association when the first C-STORE-RQ has arrived, without answering it.
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", tmp.resolve("out"), port,
                "--abort-after");
                DicomClient client = new DicomClient(AssociationSettings.of("PIPELINE"))) {
            Association as = client.open("127.0.0.1", port, "STORESCP", StoreScu.presentationContexts(instances));
            List<StoreScu.Outcome> outcomes = new CopyOnWriteArrayList<>();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> StoreScu.storeAll(as, instances, outcomes::add).get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
            assertEquals(instances, outcomes.stream().map(StoreScu.Outcome::instance).toList());
            for (StoreScu.Outcome o : outcomes) {
                assertNull(o.response());
                assertNotNull(o.error());
            }
            assertNotNull(as.failure());
        }
    }

    @Test
    void ourScpSeesEveryFragmentWithinItsMaxPduAndAnswersAMismatchPerInstance() throws Exception {
        List<Path> files = new ArrayList<>(series(tmp.resolve("in")).subList(0, 8));
        // An instance whose meta information names another SOP instance than its data set: the command carries the
        // meta's UID, our SCP answers 0xA900 for it alone.
        Attributes ds = NetTesting.dataset(files.get(2));
        Attributes meta = DicomWriter.fileMetaInformation(UID.MRImageStorage, "1.2.826.0.1.3680043.8.498.85.1",
                UID.ExplicitVRLittleEndian);
        Path mismatch = tmp.resolve("in").resolve("mismatch.dcm");
        DicomWriter.write(mismatch, meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        files.add(4, mismatch);
        List<StoreScu.Instance> instances = probe(files);
        Path storage = tmp.resolve("ours");
        AcceptorPolicy policy = AcceptorPolicy.defaults();
        try (NetTesting.Scp scp = startScp(storage, policy, 4096);
                DicomClient client = new DicomClient(AssociationSettings.of("PIPELINE"))) {
            Association as = client.open("127.0.0.1", scp.port(), "LESIONLINK", StoreScu.presentationContexts(instances));
            assertEquals(4096, as.peerMaxPduLength());
            List<StoreScu.Outcome> outcomes = new CopyOnWriteArrayList<>();
            StoreScu.storeAll(as, instances, outcomes::add).get(60, TimeUnit.SECONDS);
            as.release();
            assertNull(as.failure(), "our SCP's decoder refuses a P-DATA-TF longer than 4096: no abort means none was");
            assertEquals(instances, outcomes.stream().map(StoreScu.Outcome::instance).toList());
            for (int k = 0; k < outcomes.size(); k++) {
                int expected = k == 4 ? Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS : Status.SUCCESS;
                assertEquals(expected, outcomes.get(k).response().status(), outcomes.get(k).response().toString());
            }
            assertEquals(8, scp.stored().size());
            for (int k = 0; k < files.size(); k++) {
                if (k == 4) {
                    continue;
                }
                String iuid = instances.get(k).sopInstanceUid();
                assertEquals(iuid, scp.stored().get(k < 4 ? k : k - 1).sopInstanceUid(), "stored in order");
                assertArrayEquals(NetTesting.canonical(files.get(k)),
                        NetTesting.canonical(storage.resolve(STUDY).resolve(SERIES).resolve(iuid + ".dcm")));
            }
        }
    }

    static NetTesting.Scp startScp(Path storage, AcceptorPolicy policy, int maxPdu) throws IOException {
        List<org.lesionlink.dicom.net.dimse.StoredInstance> stored = new CopyOnWriteArrayList<>();
        org.lesionlink.dicom.net.dimse.CStoreScp store = new org.lesionlink.dicom.net.dimse.CStoreScp(storage,
                java.util.Set.of(UID.MRImageStorage), stored::add);
        var registry = new org.lesionlink.dicom.net.dimse.DicomServiceRegistry().register(store);
        DicomServerConfig cfg = DicomServerConfig.of("LESIONLINK", 0).withBindAddress("127.0.0.1").withPolicy(policy)
                .withSettings(AssociationSettings.of("LESIONLINK").withMaxPduLength(maxPdu));
        return new NetTesting.Scp(DicomServer.start(cfg, registry), storage, stored);
    }
}
