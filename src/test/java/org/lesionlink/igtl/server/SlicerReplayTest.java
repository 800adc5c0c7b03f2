package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.igtl.server.ServerTesting.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.IgtlDecodeFailure;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.testing.Peers;

/**
 * The server against a replay of 3D Slicer's client behaviour ({@code src/test/resources/peers/slicer_replay.py},
 * research notes section 2.7): v2 handshake STATUS, a v2 IMAGE with MRMLNodeName metadata, then TRANSFORMs
 * at 60 Hz. The test service echoes the IMAGE as {@code <name>_echo} and, slower than the stream, each
 * TRANSFORM it processes.
 */
@Timeout(120)
class SlicerReplayTest {

    @Test
    void slicerLikeClientGetsVersionTwoRepliesExactImageEchoAndCoalescedTransforms() throws Exception {
        Peers.requirePythonModule("numpy");
        List<Object> failures = new CopyOnWriteArrayList<>();
        IgtlService echo = new IgtlService() {
            @Override
            public void onMessage(IgtlSession session, IgtlMessage m) throws Exception {
                if (m instanceof ImageMessage image) {
                    session.send(image.withEnvelope(image.envelope().withDeviceName(image.deviceName() + "_echo")));
                } else if (m instanceof TransformMessage t) {
                    Thread.sleep(40); // slower than 60 Hz: the server must coalesce
                    session.send(t.withEnvelope(t.envelope().withDeviceName(t.deviceName() + "_echo")));
                }
            }

            @Override
            public void onDecodeFailure(IgtlSession session, IgtlDecodeFailure failure) {
                failures.add(failure);
            }
        };
        try (IgtlServer server = IgtlServer.start(loopback().keepAliveInterval(Duration.ofMillis(250)).build(), echo)) {
            String out = Peers.runPythonScript("peers/slicer_replay.py", List.of(String.valueOf(server.port()), "2"), 90);
            JsonNode s = new ObjectMapper().readTree(out);

            assertEquals(List.of(), failures, "the server decoded everything Slicer sends");
            assertEquals(0, s.get("crc_errors").asInt(), out);
            assertEquals(0, s.get("reader_errors").size(), out);
            assertEquals("[2]", s.get("reply_versions").toString(), "replies in header version 2: " + out);
            assertEquals(0, s.get("v1_after_first_v2").asInt(), out);

            assertEquals(1, s.get("image_echoes").asInt(), out);
            assertEquals("CT_echo", s.get("image_device").asText());
            assertTrue(s.get("image_header_equal").asBoolean(), "geometry, type and size round trip: " + out);
            assertTrue(s.get("image_content_equal").asBoolean(), "pixels round trip: " + out);
            assertEquals(Map.of("MRMLNodeName", "Volume", "Status", "OK"),
                    new ObjectMapper().convertValue(s.get("image_metadata"), Map.class));

            int sent = s.get("transforms_sent").asInt();
            int replies = s.get("transform_replies").asInt();
            assertTrue(replies >= 1 && replies < sent, "coalesced: " + replies + " replies to " + sent + " transforms");
            assertEquals(s.get("last_sent_x").asDouble(), s.get("last_reply_x").asDouble(), "the newest is processed: " + out);
            assertTrue(s.get("replies_in_order").asBoolean(), out);
            assertEquals("[\"NeedleToRAS_echo\"]", s.get("transform_reply_devices").toString());
            assertEquals("OK", s.get("transform_reply_metadata").get("TransformStatus").asText());
        }
    }
}
