package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.igtl.server.ServerTesting.PATIENCE;
import static org.lesionlink.igtl.server.ServerTesting.await;
import static org.lesionlink.igtl.server.ServerTesting.client;
import static org.lesionlink.igtl.server.ServerTesting.loopback;
import static org.lesionlink.igtl.server.ServerTesting.raw;
import static org.lesionlink.igtl.server.ServerTesting.rawSocket;
import static org.lesionlink.igtl.server.ServerTesting.readMessage;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.IgtlDecodeFailure;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;

/** Nothing a client sends ends the server, another client's session, or (mostly) its own. */
@Timeout(60)
class RobustnessTest {

    private final List<Object> seen = new CopyOnWriteArrayList<>();

    private final IgtlService recorder = new IgtlService() {
        @Override
        public void onMessage(IgtlSession session, IgtlMessage message) {
            seen.add(message);
            if (message instanceof StringMessage s) {
                session.send(StringMessage.of(Envelope.v1(s.deviceName()), s.text()));
            }
        }

        @Override
        public void onDecodeFailure(IgtlSession session, IgtlDecodeFailure failure) {
            seen.add(failure);
        }
    };

    private static IgtlServerConfig quiet() {
        return loopback().keepAliveInterval(Duration.ZERO).build();
    }

    @Test
    void badMessagesGetAStatusErrorNamedAfterTheirDeviceAndTheConnectionCarriesOn() throws Exception {
        byte[] transform = ServerTesting.bytes(ServerTesting.transform(Envelope.v1("x"), 1));
        byte[] body = java.util.Arrays.copyOfRange(transform, 58, transform.length);
        try (IgtlServer server = IgtlServer.start(quiet(), recorder);
             Socket s = rawSocket(server)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();

            out.write(raw(1, "TRANSFORM", "BadCrc", body, 0x1234L, null));
            assertStatus(readMessage(in), StatusCode.CHECKSUM_ERROR, "BadCrc");

            out.write(raw(1, "TRANSFORM", "Short", new byte[10], null, null));
            assertStatus(readMessage(in), StatusCode.INVALID, "Short");

            out.write(raw(3, "TRANSFORM", "Future", body, null, null));
            assertStatus(readMessage(in), StatusCode.UNKNOWN_VERSION, "Future");

            out.write(raw(2, "STRING", "NoExtHdr", new byte[4], null, null)); // v2 body without extended header
            assertStatus(readMessage(in), StatusCode.INVALID, "NoExtHdr");

            // The stream is still framed: a good message after all that is handled.
            out.write(ServerTesting.bytes(StringMessage.of(Envelope.v1("Good"), "still framed")));
            StringMessage echo = assertInstanceOf(StringMessage.class, readMessage(in));
            assertEquals("still framed", echo.text());

            // A body over the limit is refused before any allocation, and then skipped as it streams past.
            out.write(raw(1, "IMAGE", "Huge", new byte[0], 0L, 1L << 40));
            assertStatus(readMessage(in), StatusCode.NOT_ENOUGH_RESOURCE, "Huge");
        }
        await("the service to see the failures", () -> seen.size() == 6);
        List<IgtlDecodeFailure.Reason> reasons = new ArrayList<>();
        for (Object o : seen) {
            if (o instanceof IgtlDecodeFailure f) {
                reasons.add(f.reason());
            }
        }
        assertEquals(List.of(IgtlDecodeFailure.Reason.CRC_MISMATCH, IgtlDecodeFailure.Reason.MALFORMED_BODY,
                IgtlDecodeFailure.Reason.UNSUPPORTED_HEADER_VERSION, IgtlDecodeFailure.Reason.MALFORMED_BODY,
                IgtlDecodeFailure.Reason.BODY_TOO_LARGE), reasons);
    }

    @Test
    void aBodyOverTheConfiguredLimitIsSkippedAndTheNextMessageIsRead() throws Exception {
        IgtlServerConfig config = loopback().keepAliveInterval(Duration.ZERO).maxBodySize(1000).build();
        try (IgtlServer server = IgtlServer.start(config, recorder);
             Socket s = rawSocket(server)) {
            s.getOutputStream().write(raw(1, "STRING", "Big", new byte[5000], null, null));
            assertStatus(readMessage(s.getInputStream()), StatusCode.NOT_ENOUGH_RESOURCE, "Big");
            s.getOutputStream().write(ServerTesting.bytes(StringMessage.of(Envelope.v1("Small"), "fits")));
            assertEquals("fits", assertInstanceOf(StringMessage.class, readMessage(s.getInputStream())).text());
        }
    }

    @Test
    void garbageBytesDoNotDisturbOtherClients() throws Exception {
        try (IgtlServer server = IgtlServer.start(quiet(), recorder);
             IgtlClient good = client(server)) {
            Random random = new Random(42);
            for (int round = 0; round < 5; round++) {
                try (Socket s = rawSocket(server)) {
                    byte[] junk = new byte[64 << 10];
                    random.nextBytes(junk);
                    s.getOutputStream().write(junk);
                    s.getOutputStream().flush();
                }
                good.send(StringMessage.of(Envelope.v1("Good"), "round " + round));
                assertEquals("round " + round, good.receive(StringMessage.class, PATIENCE).text());
            }
            await("garbage connections to be gone", () -> server.sessions().size() == 1);
        }
    }

    @Test
    void slowlorisClientsDeclaringHugeBodiesPinNoMemoryAndOthersAreServed() throws Exception {
        // Each declares a body just under the default limit (512 MiB) and sends 1 KiB of it. Allocating the
        // declared sizes would need 6 GiB, beyond the test JVM's heap (-Xmx4g).
        long declared = org.lesionlink.igtl.IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE - 1;
        List<Socket> lorises = new ArrayList<>();
        try (IgtlServer server = IgtlServer.start(quiet(), recorder)) {
            try {
                for (int i = 0; i < 12; i++) {
                    Socket s = rawSocket(server);
                    lorises.add(s);
                    byte[] head = raw(1, "IMAGE", "Slow" + i, new byte[1024], 0L, declared);
                    s.getOutputStream().write(head);
                    s.getOutputStream().flush();
                }
                await("the partial messages to arrive", () -> server.sessions().size() == 12);
                try (IgtlClient good = client(server)) {
                    good.send(GetQuery.of(Envelope.v1(""), "STATUS"));
                    assertEquals(StatusCode.OK.code(), good.receive(StatusMessage.class, PATIENCE).code());
                    good.send(StringMessage.of(Envelope.v1("Good"), "served"));
                    assertEquals("served", good.receive(StringMessage.class, PATIENCE).text());
                }
            } finally {
                for (Socket s : lorises) {
                    s.close();
                }
            }
            await("the slow clients to be gone", () -> server.sessions().isEmpty());
        }
        long truncated = seen.stream().filter(o -> o instanceof IgtlDecodeFailure f
                && f.reason() == IgtlDecodeFailure.Reason.TRUNCATED).count();
        assertEquals(12, truncated, "each unfinished message is reported as truncated when its client leaves");
    }

    @Test
    void aClientThatSendsAHeaderAndVanishesIsCleanedUp() throws Exception {
        try (IgtlServer server = IgtlServer.start(quiet(), recorder)) {
            // One at a time, each seen admitted before it vanishes: a burst of 20 against maxClients 16 could
            // leave "no sessions" true before the accepts ran, and then the good client would find the server full.
            for (int i = 0; i < 20; i++) {
                try (Socket s = rawSocket(server)) {
                    s.getOutputStream().write(new byte[] {0, 1, 'T', 'R'});
                    await("the client to be admitted", () -> server.sessions().size() == 1);
                }
                await("the vanished client to be cleaned up", () -> server.sessions().isEmpty());
            }
            try (IgtlClient good = client(server)) {
                good.send(StringMessage.of(Envelope.v1("Good"), "fine"));
                assertEquals("fine", good.receive(StringMessage.class, PATIENCE).text());
            }
        }
    }

    @Test
    void unknownTypesReachTheServiceAndDoNotBreakFraming() throws Exception {
        try (IgtlServer server = IgtlServer.start(quiet(), recorder);
             Socket s = rawSocket(server)) {
            s.getOutputStream().write(raw(1, "FOOBAR", "Odd", new byte[] {1, 2, 3}, null, null));
            s.getOutputStream().write(ServerTesting.bytes(StringMessage.of(Envelope.v1("Good"), "next")));
            assertEquals("next", assertInstanceOf(StringMessage.class, readMessage(s.getInputStream())).text());
            assertEquals("FOOBAR", ((IgtlMessage) seen.get(0)).type());
        }
        assertTrue(seen.size() >= 2);
    }

    private static void assertStatus(Object o, StatusCode code, String device) {
        StatusMessage s = assertInstanceOf(StatusMessage.class, o);
        assertEquals(code.code(), s.code(), s.toString());
        assertEquals(device, s.deviceName());
        assertEquals(1, s.headerVersion(), "the client only sent version 1");
        assertEquals(Map.of(), s.metadata());
    }
}
