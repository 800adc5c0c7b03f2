package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DataSource;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.pdu.AAssociateRj;
import org.lesionlink.dicom.net.pdu.PresentationContextAc;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;

/**
 * LesionLink's SCU against LesionLink's SCP on loopback: durability rules of the storage SCP (every failure answered
 * with a failure status, no partial file after an abort), negotiation results, the calling-AE hook, large instances
 * through small PDUs.
 */
@Timeout(60)
class StorageScpTest {

    @TempDir
    Path tmp;

    static final List<PresentationContextRq> PCS = List.of(
            new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian),
            new PresentationContextRq(3, UID.MRImageStorage, UID.ExplicitVRLittleEndian),
            new PresentationContextRq(5, UID.MRImageStorage, UID.JPEGLSLossless),
            new PresentationContextRq(7, "1.2.840.10008.5.1.4.1.1.481.1", UID.ExplicitVRLittleEndian)); // RT Image

    static Attributes mr(String iuid, int pixels) {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.MRImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        a.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.1");
        a.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.2");
        a.setString(Tag.Modality, VR.CS, "MR");
        byte[] px = new byte[pixels];
        new Random(7).nextBytes(px);
        a.setBytes(Tag.PixelData, VR.OW, px);
        return a;
    }

    static byte[] ele(Attributes a) throws IOException {
        return DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void negotiationResultsAndEcho() throws Exception {
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", scp.port(), "ANYTHING", PCS);
            assertEquals(List.of(new PresentationContextAc(1, 0, UID.ImplicitVRLittleEndian),
                    new PresentationContextAc(3, 0, UID.ExplicitVRLittleEndian),
                    new PresentationContextAc(5, 4, UID.ImplicitVRLittleEndian),
                    new PresentationContextAc(7, 3, UID.ImplicitVRLittleEndian)), as.associateAc().presentationContexts());
            assertEquals(0, as.cecho().status());
            as.release();
        }
        // with "any storage class", RT Image is accepted too
        AcceptorPolicy any = AcceptorPolicy.defaults().withPresentationContexts(
                org.lesionlink.dicom.net.PresentationContextPolicy.defaults().withAcceptAnyStorage(true));
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp.resolve("any"), any);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", scp.port(), "LESIONLINK", PCS);
            assertEquals(0, as.associateAc().presentationContext(7).result());
            as.release();
        }
    }

    @Test
    void largeInstanceThroughSmallPdusIsStoredIdentically() throws Exception {
        AcceptorPolicy policy = AcceptorPolicy.defaults();
        try (NetTesting.Scp scp = startScp(tmp, policy, 4096);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", scp.port(), "LESIONLINK", PCS);
            assertEquals(4096, as.peerMaxPduLength());
            Attributes a = mr("1.2.826.0.1.3680043.8.498.3", 12 << 20);
            DimseResponse r = as.cstore(as.presentationContext(3), UID.MRImageStorage, "1.2.826.0.1.3680043.8.498.3",
                    DataSource.of(ele(a)), null, 0);
            assertEquals(Status.SUCCESS, r.status(), r.toString());
            as.release();
            assertEquals(1, scp.stored().size());
            Path f = scp.stored().get(0).file();
            assertEquals(tmp.resolve("1.2.826.0.1.3680043.8.498.1/1.2.826.0.1.3680043.8.498.2/1.2.826.0.1.3680043.8.498.3.dcm"), f);
            assertArrayEquals(ele(a), DicomWriter.encode(NetTesting.dataset(f), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            assertEquals(List.of(f), NetTesting.filesUnder(tmp));
        }
    }

    /**
     * The SCP parses each file back in a buffer its worker keeps (up to 2 MiB; larger files get their own): instances
     * of growing and shrinking sizes on both sides of that limit are stored identically, and a data set cut short after
     * a larger one is refused (0xC000), not parsed on into the previous instance's bytes left in the buffer.
     */
    @Test
    void readBackBufferReuseNeverSeesAnEarlierInstance() throws Exception {
        try (NetTesting.Scp scp = startScp(tmp, AcceptorPolicy.defaults(), 65536);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", scp.port(), "LESIONLINK", PCS);
            PresentationContext pc = as.presentationContext(3);
            int n = 0;
            for (int size : new int[] {100_000, 1_500_000, 3_000_000, 300_000, 1_900_000, 64}) {
                String iuid = "1.2.826.0.1.3680043.8.498.20." + n++;
                Attributes a = mr(iuid, size);
                DimseResponse r = as.cstore(pc, UID.MRImageStorage, iuid, DataSource.of(ele(a)), null, 0);
                assertEquals(Status.SUCCESS, r.status(), size + ": " + r);
                Path f = scp.stored().get(scp.stored().size() - 1).file();
                assertArrayEquals(ele(a), DicomWriter.encode(NetTesting.dataset(f), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            }
            // after a 1.9 MB instance, a 1.8 MB one cut 1,000 bytes short: its Pixel Data runs past the end of the file
            as.cstore(pc, UID.MRImageStorage, "1.2.826.0.1.3680043.8.498.20.90",
                    DataSource.of(ele(mr("1.2.826.0.1.3680043.8.498.20.90", 1_900_000))), null, 0);
            byte[] whole = ele(mr("1.2.826.0.1.3680043.8.498.20.91", 1_800_000));
            DimseResponse cut = as.cstore(pc, UID.MRImageStorage, "1.2.826.0.1.3680043.8.498.20.91",
                    DataSource.of(java.util.Arrays.copyOf(whole, whole.length - 1000)), null, 0);
            assertEquals(Status.CANNOT_UNDERSTAND, cut.status(), cut.toString());
            as.release();
            assertEquals(7, scp.stored().size());
            assertEquals(7, NetTesting.filesUnder(tmp).size(), NetTesting.filesUnder(tmp).toString());
        }
    }

    static NetTesting.Scp startScp(Path storage, AcceptorPolicy policy, int maxPdu) throws IOException {
        java.util.List<org.lesionlink.dicom.net.dimse.StoredInstance> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        CStoreScp store = new CStoreScp(storage, PresentationContextPolicy.DEFAULT_STORAGE, stored::add);
        var registry = new org.lesionlink.dicom.net.dimse.DicomServiceRegistry()
                .register(new org.lesionlink.dicom.net.dimse.CEchoScp()).register(store);
        DicomServerConfig cfg = DicomServerConfig.of("LESIONLINK", 0).withBindAddress("127.0.0.1").withPolicy(policy)
                .withSettings(AssociationSettings.of("LESIONLINK").withMaxPduLength(maxPdu)
                        .withMaxDataSetLength(16 << 20));
        return new NetTesting.Scp(DicomServer.start(cfg, registry), storage, stored);
    }

    @Test
    void everyBadInstanceGetsAFailureStatusAndLeavesNoFile() throws Exception {
        try (NetTesting.Scp scp = startScp(tmp, AcceptorPolicy.defaults(), 16384);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", scp.port(), "LESIONLINK", PCS);
            PresentationContext pc = as.presentationContext(3);
            // no Study Instance UID
            Attributes noStudy = mr("1.2.3.4", 16);
            noStudy.remove(Tag.StudyInstanceUID);
            assertEquals(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    as.cstore(pc, UID.MRImageStorage, "1.2.3.4", DataSource.of(ele(noStudy)), null, 0).status());
            // SOP Instance UID of the data set differs from the command's
            assertEquals(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    as.cstore(pc, UID.MRImageStorage, "1.2.3.5", DataSource.of(ele(mr("1.2.3.4", 16))), null, 0).status());
            // garbage: an element whose length runs past the end
            byte[] garbage = {0x08, 0x00, 0x18, 0x00, 'U', 'I', 0x7F, 0x7F, '1', '.', '2'};
            DimseResponse g = as.cstore(pc, UID.MRImageStorage, "1.2.3.6", DataSource.of(garbage), null, 0);
            assertEquals(Status.CANNOT_UNDERSTAND, g.status());
            assertTrue(g.errorComment() != null && g.errorComment().length() <= 64, g.toString());
            // beyond the server's data set limit (16 MiB here): discarded as it arrives, answered A700
            DimseResponse big = as.cstore(pc, UID.MRImageStorage, "1.2.3.7",
                    DataSource.of(ele(mr("1.2.3.7", 17 << 20))), null, 0);
            assertEquals(Status.OUT_OF_RESOURCES, big.status());
            // the association survives all of that
            Attributes ok = mr("1.2.3.8", 64);
            assertEquals(Status.SUCCESS, as.cstore(pc, UID.MRImageStorage, "1.2.3.8", DataSource.of(ele(ok)), null, 0).status());
            // disk failure: the storage directory is replaced by a plain file
            Path moved = tmp.resolveSibling(tmp.getFileName() + "-moved");
            Files.move(tmp, moved);
            Files.writeString(tmp, "not a directory");
            try {
                DimseResponse disk = as.cstore(pc, UID.MRImageStorage, "1.2.3.9", DataSource.of(ele(mr("1.2.3.9", 64))), null, 0);
                assertEquals(Status.OUT_OF_RESOURCES, disk.status(), disk.toString());
            } finally {
                Files.delete(tmp);
                Files.move(moved, tmp);
            }
            as.release();
            assertEquals(1, scp.stored().size());
            assertEquals(1, NetTesting.filesUnder(tmp).size(), NetTesting.filesUnder(tmp).toString());
        }
    }

    @Test
    void abortMidStoreLeavesNoPartialFile() throws Exception {
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", scp.port(), "LESIONLINK", PCS);
            byte[] bytes = ele(mr("1.2.3.10", 1 << 20));
            DataSource halfThenFail = new DataSource() {
                @Override
                public long length() {
                    return bytes.length;
                }

                @Override
                public void read(long position, ByteBuf dst, int length) throws IOException {
                    if (position > 0) {
                        // wait until the SCP has started writing the instance, then give up mid-way
                        awaitTempFile(tmp);
                        throw new IOException("simulated failure of the sender");
                    }
                    dst.writeBytes(bytes, 0, length);
                }
            };
            assertThrows(IOException.class, () -> as.cstore(as.presentationContext(3), UID.MRImageStorage, "1.2.3.10",
                    halfThenFail, null, 0));
            as.abort();
            as.closed().get(10, java.util.concurrent.TimeUnit.SECONDS);
            long end = System.currentTimeMillis() + 10_000;
            while (!NetTesting.filesUnder(tmp).isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertEquals(List.of(), NetTesting.filesUnder(tmp));
            assertEquals(List.of(), scp.stored());
        }
    }

    static void awaitTempFile(Path dir) throws IOException {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            if (NetTesting.filesUnder(dir).stream().anyMatch(p -> p.getFileName().toString().endsWith(".part"))) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IOException("the SCP never created its temporary file");
    }

    @Test
    void callingAeHookRejectsWithReason3() throws Exception {
        AcceptorPolicy policy = AcceptorPolicy.defaults()
                .withCallingAeFilter((calling, called, remote) -> calling.equals("FRIEND"));
        try (NetTesting.Scp scp = NetTesting.startScp("LESIONLINK", tmp, policy);
                DicomClient stranger = new DicomClient(AssociationSettings.of("STRANGER"));
                DicomClient friend = new DicomClient(AssociationSettings.of("FRIEND"))) {
            AssociationException e = assertThrows(AssociationException.class,
                    () -> stranger.open("127.0.0.1", scp.port(), "LESIONLINK", PCS));
            assertEquals(new AAssociateRj(1, 1, 3), e.reject());
            Association ok = friend.open("127.0.0.1", scp.port(), "LESIONLINK", PCS);
            assertEquals(0, ok.cecho().status());
            ok.release();
        }
    }

    @Test
    void storageNamesAreSafe() {
        assertEquals("1.2.840.10008", CStoreScp.safeName("1.2.840.10008"));
        assertEquals("_..", CStoreScp.safeName(".."));
        assertEquals("_", CStoreScp.safeName(""));
        assertEquals(".._etc_passwd", CStoreScp.safeName("../etc/passwd"));
        assertEquals(128, CStoreScp.safeName("9".repeat(300)).length());
        assertInstanceOf(String.class, CStoreScp.safeName("a\u0000b"));
        assertEquals("a_b", CStoreScp.safeName("a\u0000b"));
    }
}
