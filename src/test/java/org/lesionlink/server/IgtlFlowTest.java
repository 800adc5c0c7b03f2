package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.server.ServerFixtures.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.CommandMessage;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.LabelMetaMessage;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.RtsCommandMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;

/** The OpenIGTLink conventions (server-conventions.md) against a running server, with the Java client. */
class IgtlFlowTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path storage;
    static LesionLinkServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LesionLinkServer.start(ServerFixtures.config(storage, ServerFixtures.models()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static IgtlClient client() throws Exception {
        return IgtlClient.connect("127.0.0.1", server.igtlPort());
    }

    private static ImageMessage image(String device, ServerFixtures.SphereCase c, long timestamp) {
        return ImageVolumes.fromVolume(Envelope.v1(device).withTimestamp(timestamp), c.image());
    }

    private static byte[] bytes(ImageMessage m) {
        ByteBuffer b = m.pixels();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Section 2-4: one channel routes to threshold-1ch and starts automatically; results in order. */
    @Test
    void autoStartSendsResultsInOrder() throws Exception {
        ServerFixtures.SphereCase c = ServerFixtures.sphere(24, 20, 16, new double[] {10, 9, 7}, 4);
        try (IgtlClient client = client()) {
            client.send(image("T1c", c, 0x1234_5678_0000_0000L)).get();
            ImageMessage seg = next(client, ImageMessage.class, m -> m.envelope().deviceName().equals("T1c_seg"), T);
            assertEquals(ScalarType.UINT8, seg.scalarType());
            assertEquals(0x1234_5678_0000_0000L, seg.envelope().timestamp(), "source timestamp");
            assertTrue(seg.geometry().sameGrid(c.image().geometry(), 1e-3));
            assertEquals(1.0, ServerFixtures.dice(bytes(seg), c.truth()), 1e-9);
            LabelMetaMessage lb = next(client, LabelMetaMessage.class, m -> true, T);
            assertEquals("lesion", lb.elements().get(0).name());
            assertEquals(1, lb.elements().get(0).label());
            assertEquals(0x1234_5678_0000_0000L, lb.envelope().timestamp(), "source timestamp on every result");
            PolyDataMessage pd = next(client, PolyDataMessage.class, m -> true, T);
            assertEquals("T1c_seg_lesion", pd.envelope().deviceName());
            assertTrue(pd.pointCount() > 50);
            assertEquals(0x1234_5678_0000_0000L, pd.envelope().timestamp());
            StringMessage report = next(client, StringMessage.class, m -> true, T);
            assertEquals("T1c_report", report.envelope().deviceName());
            assertEquals(0x1234_5678_0000_0000L, report.envelope().timestamp());
            JsonNode r = JSON.readTree(report.text());
            assertEquals("threshold-1ch", r.at("/model/name").asText());
            assertEquals(1, r.get("lesionCount").asInt());
            double sphereMl = c.image().geometry().spacing(0) * 2 * 2 / 1000.0 * count(c.truth());
            assertEquals(sphereMl, r.at("/volumes/totalMl").asDouble(), 1e-6);
            StatusMessage st = next(client, StatusMessage.class, m -> m.envelope().deviceName().equals("T1c_seg"), T);
            assertEquals(1, st.code(), st.message());
            assertTrue(st.message().startsWith("done: 1 lesions"), st.message());
            assertEquals(0x1234_5678_0000_0000L, st.envelope().timestamp());
        }
    }

    /** Section 5: GetModels over STRING CMD_<id>, with channels, labels and capabilities. */
    @Test
    void getModelsOverString() throws Exception {
        try (IgtlClient client = client()) {
            client.send(StringMessage.of(Envelope.v1("CMD_7"), "GetModels")).get();
            StringMessage ack = next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_7"), T);
            JsonNode r = JSON.readTree(ack.text());
            assertEquals("SUCCESS", r.get("status").asText());
            assertEquals(2, r.get("models").size());
            JsonNode two = r.get("models").get(1);
            assertEquals("threshold-2ch", two.get("name").asText());
            assertEquals("[\"t1c\",\"flair\"]", two.get("channels").toString());
            assertEquals("#ff0000", two.at("/labels/0/color").asText());
            assertTrue(two.get("capabilities").toString().contains("stream"));
        }
    }

    /** Section 5, v3: COMMAND answered by RTS_COMMAND with Status metadata. */
    @Test
    void commandV3GetsRtsCommand() throws Exception {
        try (IgtlClient client = IgtlClient.builder().assumePeerHeaderVersion(2)
                .connect(new java.net.InetSocketAddress("127.0.0.1", server.igtlPort()))) {
            client.send(new CommandMessage(Envelope.v2("LesionLink", Map.of()), 42, "GetModels", 3, "")).get();
            RtsCommandMessage rts = next(client, RtsCommandMessage.class, m -> true, T);
            assertEquals(42, rts.commandId());
            assertEquals("SUCCESS", rts.envelope().metadata().get("Status"));
            assertTrue(rts.command().contains("threshold-1ch"));
            client.send(new CommandMessage(Envelope.v2("LesionLink", Map.of()), 43, "Model", 3, "{\"model\":\"nope\"}")).get();
            RtsCommandMessage fail = next(client, RtsCommandMessage.class, m -> true, T);
            assertEquals("FAIL", fail.envelope().metadata().get("Status"));
            assertTrue(fail.envelope().metadata().get("Error").contains("nope"));
        }
    }

    /** Section 2: an IMAGE whose channel matches no model gets STATUS 12 naming the expected channels. */
    @Test
    void unknownChannelIsRefused() throws Exception {
        ServerFixtures.SphereCase c = ServerFixtures.sphere(8, 8, 8, new double[] {4, 4, 4}, 2);
        try (IgtlClient client = client()) {
            client.send(image("DWI", c, 0)).get();
            StatusMessage st = next(client, StatusMessage.class, m -> m.envelope().deviceName().equals("DWI"), T);
            assertEquals(12, st.code());
            assertTrue(st.message().contains("flair"), st.message());
        }
    }

    /**
     * Section 5, "results follow": the reply with the job id goes out before the job's results even when the job is
     * done first (the reply held back here on purpose; the threshold job takes milliseconds). The order was once
     * left to chance: a client that waits for the reply and then for the results could miss them.
     */
    @Test
    void segmentReplyPrecedesItsResults() throws Exception {
        ServerFixtures.SphereCase c = ServerFixtures.sphere(16, 16, 8, new double[] {8, 8, 4}, 3);
        IgtlSegmentationService service = server.igtlSegmentationForTest();
        try (IgtlClient client = client()) {
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "Auto {\"enabled\": false}")).get();
            next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_1"), T);
            client.send(image("T1c", c, 0)).get();
            service.beforeReplyForTest = () -> sleep(300);
            client.send(StringMessage.of(Envelope.v1("CMD_2"), "Segment {\"model\": \"threshold-1ch\", \"output\": \"Ordered\"}"))
                    .get();
            Object first;
            do { // skip keep-alive STATUS
                first = client.receive(T);
            } while (first instanceof StatusMessage st && !st.envelope().deviceName().equals("Ordered"));
            assertTrue(first instanceof StringMessage ack && ack.envelope().deviceName().equals("ACK_2"),
                    "first after Segment: " + first);
            assertEquals("SUCCESS", JSON.readTree(((StringMessage) first).text()).get("status").asText());
            ImageMessage seg = next(client, ImageMessage.class, m -> m.envelope().deviceName().equals("Ordered"), T);
            assertEquals(1.0, ServerFixtures.dice(bytes(seg), c.truth()), 1e-9);
        } finally {
            service.beforeReplyForTest = () -> { };
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sections 3 and 5: Auto off, Model, Segment before all channels (13), then with them (job and results). */
    @Test
    void explicitSegmentWithTwoChannels() throws Exception {
        ServerFixtures.SphereCase c = ServerFixtures.sphere(20, 20, 12, new double[] {8, 11, 6}, 3);
        try (IgtlClient client = client()) {
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "Auto {\"enabled\": false}")).get();
            next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_1"), T);
            client.send(StringMessage.of(Envelope.v1("CMD_2"), "Model {\"model\": \"threshold-2ch\"}")).get();
            JsonNode model = JSON.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_2"), T).text());
            assertEquals("SUCCESS", model.get("status").asText());
            client.send(image("t1_c", c, 0)).get();
            client.send(StringMessage.of(Envelope.v1("CMD_3"), "Segment")).get();
            StatusMessage notReady = next(client, StatusMessage.class, m -> m.code() == 13, T);
            assertTrue(notReady.message().contains("flair"), notReady.message());
            JsonNode fail = JSON.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_3"), T).text());
            assertEquals("FAIL", fail.get("status").asText());
            client.send(image("FLAIR", c, 0)).get();
            client.send(StringMessage.of(Envelope.v1("CMD_4"), "Segment {\"output\": \"Lesions\"}")).get();
            JsonNode ok = JSON.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_4"), T).text());
            assertEquals("SUCCESS", ok.get("status").asText(), ok.toString());
            String job = ok.get("job").asText();
            ImageMessage seg = next(client, ImageMessage.class, m -> m.envelope().deviceName().equals("Lesions"), T);
            assertEquals(1.0, ServerFixtures.dice(bytes(seg), c.truth()), 1e-9);
            next(client, StatusMessage.class, m -> m.envelope().deviceName().equals("Lesions") && m.code() == 1, T);
            client.send(StringMessage.of(Envelope.v1("CMD_5"), "GetJob {\"job\": \"" + job + "\"}")).get();
            JsonNode gj = JSON.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_5"), T).text());
            assertEquals("done", gj.get("state").asText());
            assertEquals("threshold-2ch", gj.at("/report/model/name").asText());
        }
    }

    /**
     * Section 6: with Stream on, frames sent faster than they are segmented are skipped; the last result is
     * the newest frame's (its timestamp), and no frame is segmented twice.
     */
    @Test
    void streamingSegmentsTheNewestFrame() throws Exception {
        ServerFixtures.SphereCase c = ServerFixtures.sphere(40, 40, 30, new double[] {20, 20, 15}, 6);
        int frames = 8;
        try (IgtlClient client = client()) {
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "Stream {\"enabled\": true}")).get();
            next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_1"), T);
            for (int f = 1; f <= frames; f++) {
                client.send(image("T1c", c, f)).get();
            }
            java.util.List<Long> seen = new java.util.ArrayList<>();
            while (seen.isEmpty() || seen.get(seen.size() - 1) != frames) {
                ImageMessage seg = next(client, ImageMessage.class, m -> m.envelope().deviceName().equals("T1c_seg"), T);
                seen.add(seg.envelope().timestamp());
            }
            assertTrue(seen.size() < frames, "frames were skipped: " + seen);
            assertEquals(seen.size(), seen.stream().distinct().count(), "no frame twice: " + seen);
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) > seen.get(i - 1), "in order: " + seen);
            }
        }
    }

    /** Section 2, v3: metadata lesionlink.channel names the channel of an IMAGE whose device name does not. */
    @Test
    void channelFromMetadata() throws Exception {
        ServerFixtures.SphereCase c = ServerFixtures.sphere(16, 16, 12, new double[] {8, 8, 6}, 3);
        try (IgtlClient client = IgtlClient.builder().assumePeerHeaderVersion(2)
                .connect(new java.net.InetSocketAddress("127.0.0.1", server.igtlPort()))) {
            ImageMessage m = ImageVolumes.fromVolume(Envelope.v2("Volume_3", Map.of("lesionlink.channel", "T1C")), c.image());
            client.send(m).get();
            ImageMessage seg = next(client, ImageMessage.class, x -> x.envelope().deviceName().equals("Volume_3_seg"), T);
            assertEquals("threshold-1ch", seg.envelope().metadata().get("lesionlink.model"));
            assertTrue(seg.envelope().metadata().get("lesionlink.labels").contains("\"lesion\""));
            assertEquals(1.0, ServerFixtures.dice(bytes(seg), c.truth()), 1e-9);
            client.send(new CommandMessage(Envelope.v2("LesionLink", Map.of()), 9, "Segment", 3, "{\"tta\": true}")).get();
            RtsCommandMessage rts = next(client, RtsCommandMessage.class, x -> x.commandId() == 9, T);
            assertEquals("FAIL", rts.envelope().metadata().get("Status"));
        }
    }

    private static int count(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x != 0) n++;
        }
        return n;
    }
}
