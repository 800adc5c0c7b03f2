package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomClient;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.testing.Peers;

/**
 * The {@code limits} section of serve's configuration reaches the listeners and is enforced with the statuses the
 * protocols define, against DCMTK's storescu/echoscu where a real peer can show it and LesionLink's own clients
 * elsewhere. Each test starts a server without models on ephemeral ports.
 */
@Timeout(120)
class ServeLimitsTest {

    @TempDir
    Path tmp;

    private static final ServerLimits TIGHT = new ServerLimits(4096, 1, 0, 4096, 1, 0, 1L << 30, 2, 1L << 30);

    private LesionLinkServer start(ServerLimits limits) throws Exception {
        ServerConfig c = ServerFixtures.config(tmp.resolve("storage"), tmp.resolve("no-models"))
                .with(Map.of("dicomPort", 0, "studyQuietSeconds", 3600.0, "limits", limits));
        return LesionLinkServer.start(c);
    }

    private List<Path> storedInstances() throws Exception {
        Path incoming = tmp.resolve("storage").resolve("dicom").resolve("incoming");
        try (Stream<Path> s = Files.walk(incoming)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void instancesBeyondTheStudyLimitAreRefusedWithA700AndTheOthersKept() throws Exception {
        Path storescu = Peers.requireCommand("storescu");
        List<Path> files = SyntheticMrSeries.oblique(8, 8, 3, "limits").write(Files.createDirectories(tmp.resolve("series")));
        try (LesionLinkServer server = start(TIGHT)) {
            List<String> cmd = new ArrayList<>(List.of(storescu.toString(), "-v", "-aet", "SENDER", "-aec", "LESIONLINK",
                    "127.0.0.1", String.valueOf(server.dicomPort())));
            files.forEach(f -> cmd.add(f.toString()));
            Peers.Result r = Peers.run(cmd, 60);
            String out = r.stdout() + r.stderr();
            assertEquals(2, out.split("Received Store Response \\(Success\\)", -1).length - 1, out);
            assertTrue(out.contains("Refused: OutOfResources"), out);
            // Exactly the two acknowledged instances are on disk, and no temporary file is left behind.
            assertEquals(2, storedInstances().size(), storedInstances().toString());
            assertTrue(storedInstances().stream().allMatch(p -> p.toString().endsWith(".dcm")));
            // The limit is per study: the same instance again replaces itself and is accepted.
            Peers.Result again = Peers.run(List.of(storescu.toString(), "-aec", "LESIONLINK", "127.0.0.1",
                    String.valueOf(server.dicomPort()), files.get(0).toString()), 60);
            assertEquals(0, again.exitCode(), again.stdout() + again.stderr());
            assertEquals(2, storedInstances().size());
        }
        // After a restart the study is counted from disk.
        try (LesionLinkServer server = start(TIGHT)) {
            Peers.Result r = Peers.run(List.of(storescu.toString(), "-v", "-aec", "LESIONLINK", "127.0.0.1",
                    String.valueOf(server.dicomPort()), files.get(2).toString()), 60);
            assertTrue((r.stdout() + r.stderr()).contains("Refused: OutOfResources"), r.stdout() + r.stderr());
            assertEquals(2, storedInstances().size());
        }
    }

    @Test
    void anInstanceThatWouldTakeTheStudyOverItsSizeLimitIsRefused() throws Exception {
        Path storescu = Peers.requireCommand("storescu");
        List<Path> files = SyntheticMrSeries.oblique(8, 8, 2, "size").write(Files.createDirectories(tmp.resolve("series")));
        // Room for one stored file (the received data set plus LesionLink's meta information), not for two.
        long one = Files.size(files.get(0)) + 512;
        try (LesionLinkServer server = start(new ServerLimits(4096, 1, 0, 4096, 1, 0, 1L << 30, 100, one))) {
            Peers.Result r = Peers.run(List.of(storescu.toString(), "-v", "-aec", "LESIONLINK", "127.0.0.1",
                    String.valueOf(server.dicomPort()), files.get(0).toString(), files.get(1).toString()), 60);
            String out = r.stdout() + r.stderr();
            assertEquals(1, out.split("Received Store Response \\(Success\\)", -1).length - 1, out);
            assertTrue(out.contains("Refused: OutOfResources"), out);
            assertEquals(1, storedInstances().size(), storedInstances().toString());
        }
    }

    @Test
    void anAssociationBeyondTheLimitIsRejectedLocalLimitExceeded() throws Exception {
        Path echoscu = Peers.requireCommand("echoscu");
        try (LesionLinkServer server = start(TIGHT);
                DicomClient client = new DicomClient(AssociationSettings.of("HOLDER"))) {
            Association held = client.open("127.0.0.1", server.dicomPort(), "LESIONLINK",
                    List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)));
            Peers.Result r = Peers.run(List.of(echoscu.toString(), "-v", "-aec", "LESIONLINK", "127.0.0.1",
                    String.valueOf(server.dicomPort())), 60);
            String out = r.stdout() + r.stderr();
            assertNotEquals(0, r.exitCode(), out);
            assertTrue(out.contains("Rejected Transient") && out.contains("Reason: Local Limit Exceeded"), out);
            // The advertised Maximum Length is the configured PDU limit.
            assertEquals(4096, held.associateAc().userInformation().maxLength());
            held.release();
            Peers.Result ok = Peers.run(List.of(echoscu.toString(), "-aec", "LESIONLINK", "127.0.0.1",
                    String.valueOf(server.dicomPort())), 60);
            assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());
        }
    }

    @Test
    void anIdleAssociationIsAborted() throws Exception {
        ServerLimits idle = new ServerLimits(4096, 1, 0, 4096, 4, 0.5, 1L << 30, 2, 1L << 30);
        try (LesionLinkServer server = start(idle);
                DicomClient client = new DicomClient(AssociationSettings.of("SLEEPER"))) {
            Association as = client.open("127.0.0.1", server.dicomPort(), "LESIONLINK",
                    List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)));
            as.closed().get(10, TimeUnit.SECONDS);
            assertTrue(String.valueOf(as.failure()).contains("aborted by the peer"), String.valueOf(as.failure()));
        }
    }

    @Test
    void openIgtLinkMessageAndConnectionLimits() throws Exception {
        try (LesionLinkServer server = start(TIGHT);
                IgtlClient first = IgtlClient.connect("127.0.0.1", server.igtlPort())) {
            // Larger than igtlMaxMessageBytes: STATUS 11, skipped unbuffered, and the connection carries on.
            first.send(StringMessage.of(Envelope.v1("BIG"), "x".repeat(5000))).get();
            StatusMessage refused = ServerFixtures.next(first, StatusMessage.class,
                    s -> s.envelope().deviceName().equals("BIG"), Duration.ofSeconds(20));
            assertEquals(StatusCode.NOT_ENOUGH_RESOURCE.code(), refused.code());
            first.send(new GetQuery(Envelope.v1("PING"), "GET_STATUS")).get();
            StatusMessage alive = ServerFixtures.next(first, StatusMessage.class,
                    s -> s.envelope().deviceName().equals("PING"), Duration.ofSeconds(20));
            assertEquals(StatusCode.OK.code(), alive.code());
            // A second client is over igtlMaxConnections (1): STATUS 6 (busy), then closed.
            try (IgtlClient second = IgtlClient.connect("127.0.0.1", server.igtlPort())) {
                StatusMessage busy = second.receive(StatusMessage.class, Duration.ofSeconds(20));
                assertEquals(StatusCode.BUSY.code(), busy.code());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (second.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(!second.isConnected(), "the refused client is closed");
            }
        }
    }

    @Test
    void configurationFileSectionAndErrors() throws Exception {
        Path f = tmp.resolve("serve.json");
        Files.writeString(f, "{\"limits\": {\"dicomMaxAssociations\": 3, \"maxStudyBytes\": 1000000, \"igtlIdleTimeoutSeconds\": 2.5}}");
        ServerLimits l = ServerConfig.load(f).limits();
        assertEquals(3, l.dicomMaxAssociations());
        assertEquals(1_000_000, l.maxStudyBytes());
        assertEquals(Duration.ofMillis(2500), l.igtlIdleTimeout());
        assertEquals(ServerLimits.defaults().igtlMaxMessageBytes(), l.igtlMaxMessageBytes());
        assertEquals(ServerLimits.defaults(), ServerConfig.defaults().limits());
        Files.writeString(f, "{\"limits\": {\"dicomMaxPdu\": 3}}");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(f));
        assertTrue(unknown.getMessage().contains("limits: unknown key 'dicomMaxPdu'"), unknown.getMessage());
        Files.writeString(f, "{\"limits\": {\"dicomMaxPduBytes\": 100}}");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(f));
        assertTrue(small.getMessage().contains("limits.dicomMaxPduBytes: must be 4096..16777216, got 100"), small.getMessage());
        Files.writeString(f, "{\"limits\": {\"maxInstancesPerStudy\": \"many\"}}");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(f));
        assertTrue(type.getMessage().contains("limits.maxInstancesPerStudy: must be an integer"), type.getMessage());
    }
}
