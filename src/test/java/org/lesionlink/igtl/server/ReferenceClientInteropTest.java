package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.igtl.server.ServerTesting.loopback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.testing.Peers;

/**
 * The server against a client built on the reference C++ library (Debian libopenigtlink 1.11, header
 * version 1 only; {@code src/test/cpp/igtl_reference_client.cxx}, compiled here with g++). The service
 * deliberately answers with version-2 envelopes and metadata: the server must still send this peer
 * version 1 only, since the library loses framing on version 2 (research notes, section 1.3).
 */
@Timeout(120)
class ReferenceClientInteropTest {

    private static final Path SOURCE = Path.of("src/test/cpp/igtl_reference_client.cxx");
    private static Path client;

    @BeforeAll
    static void build() throws Exception {
        Peers.requireFile(Path.of("/usr/include/openigtlink/igtlMessageBase.h"), "libopenigtlink-dev 1.11 headers");
        Peers.require(Files.exists(Path.of("/usr/lib/libOpenIGTLink.so"))
                || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libOpenIGTLink.so")), "libOpenIGTLink.so (libopenigtlink-dev)");
        Path gxx = Peers.requireCommand("g++");
        Path dir = Path.of("target", "igtl-reference-client");
        Files.createDirectories(dir);
        client = dir.resolve("igtl_reference_client");
        if (!Files.exists(client) || Files.getLastModifiedTime(client).compareTo(Files.getLastModifiedTime(SOURCE)) < 0) {
            Peers.run(List.of(gxx.toString(), "-std=c++11", "-O1", "-I/usr/include/openigtlink", SOURCE.toString(),
                    "-o", client.toString(), "-lOpenIGTLink"), 120).stdoutOrFail(List.of("g++", SOURCE.toString()));
        }
    }

    @Test
    void aVersionOneReferenceClientGetsCrcCheckedVersionOneRepliesOnly() throws Exception {
        Map<String, String> meta = Map.of("Status", "OK");
        IgtlService service = (session, m) -> {
            Envelope v2 = new Envelope(2, m.deviceName(), 0, 7, meta);
            IgtlMessage reply = null;
            if (m instanceof ImageMessage image) {
                reply = image.withEnvelope(v2.withDeviceName(m.deviceName() + "_echo"));
            } else if (m instanceof TransformMessage t) {
                reply = t.withEnvelope(v2.withDeviceName(m.deviceName() + "_echo"));
            } else if (m instanceof StatusMessage) {
                reply = new StatusMessage(v2.withDeviceName(m.deviceName() + "_ack"), StatusCode.OK.code(), 0, "", "ack");
            } else if (m instanceof StringMessage s) {
                reply = StringMessage.of(v2.withDeviceName("ACK_1"), "<CommandReply Status=\"SUCCESS\"/>");
            }
            if (reply != null) {
                session.send(reply);
            }
        };
        try (IgtlServer server = IgtlServer.start(loopback().keepAliveInterval(Duration.ofMillis(100)).build(), service)) {
            Peers.Result r = Peers.run(List.of(client.toString(), "127.0.0.1", String.valueOf(server.port())), 60);
            String out = r.stdoutOrFail(List.of(client.toString()));
            String summary = out.lines().filter(l -> l.startsWith("SUMMARY")).findFirst().orElse("");
            assertTrue(summary.contains(" v2=0 "), "never header version 2 to a 1.11 peer:\n" + out);
            assertTrue(summary.contains(" crcfail=0 "), out);
            assertTrue(summary.contains(" image=ok "), "IMAGE echo unpacked with identical pixels:\n" + out);
            assertTrue(summary.contains(" last_x=9 "), "the newest TRANSFORM was answered:\n" + out);
            assertTrue(summary.contains(" string=<CommandReply Status=\"SUCCESS\"/> "), out);
            assertTrue(summary.endsWith(" status_code=1"), out);
            assertFalse(out.contains("skipped"), "only the types the service sends:\n" + out);
            assertEquals(List.of(), server.sessions().stream().filter(s -> s.peerHeaderVersion() != 1).toList());
        }
    }
}
