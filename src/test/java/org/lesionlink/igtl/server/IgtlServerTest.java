package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.igtl.server.ServerTesting.PATIENCE;
import static org.lesionlink.igtl.server.ServerTesting.await;
import static org.lesionlink.igtl.server.ServerTesting.client;
import static org.lesionlink.igtl.server.ServerTesting.loopback;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.IgtlVersionTracker;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;

/** Sessions, concurrency, header versions, keep-alive, idle timeout, client limit and shutdown over loopback. */
@Timeout(60)
class IgtlServerTest {

    /** Echoes every STRING back to its sender as a version-2 STRING with metadata. */
    private static final IgtlService STRING_ECHO = (session, m) -> {
        if (m instanceof StringMessage s) {
            session.send(StringMessage.of(Envelope.v2(s.deviceName(), Map.of("Echo", "yes")), s.text()));
        }
    };

    @Test
    void manyClientsAtOnceEachGetTheirOwnRepliesInOrder() throws Exception {
        int clients = 12;
        int messages = 40;
        try (IgtlServer server = IgtlServer.start(loopback().build(), STRING_ECHO)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int me = c;
                    results.add(pool.submit(() -> {
                        try (IgtlClient client = client(server)) {
                            for (int i = 0; i < messages; i++) {
                                client.send(ServerTesting.transform(Envelope.v1("T" + me), i));
                                client.send(StringMessage.of(Envelope.v1("C" + me), me + ":" + i));
                            }
                            List<String> got = new ArrayList<>();
                            while (got.size() < messages) {
                                StringMessage s = client.receive(StringMessage.class, PATIENCE);
                                assertEquals("C" + me, s.deviceName());
                                got.add(s.text());
                            }
                            return got;
                        }
                    }));
                }
                for (int c = 0; c < clients; c++) {
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < messages; i++) {
                        expected.add(c + ":" + i);
                    }
                    assertEquals(expected, results.get(c).get());
                }
            } finally {
                pool.shutdownNow();
            }
            await("all sessions gone", () -> server.sessions().isEmpty());
        }
    }

    @Test
    void aVersionOneClientNeverGetsVersionTwoUntilItSendsVersionTwo() throws Exception {
        try (IgtlServer server = IgtlServer.start(loopback().build(), STRING_ECHO);
             IgtlClient client = client(server)) {
            client.send(StringMessage.of(Envelope.v1("Text"), "hello"));
            StringMessage first = client.receive(StringMessage.class, PATIENCE);
            assertEquals(1, first.headerVersion(), "the service asked for v2, but the peer only spoke v1");
            assertEquals(Map.of(), first.metadata());
            assertEquals(1, server.sessions().get(0).peerHeaderVersion());

            // Slicer's connect-time announcement: an empty-named version-2 STATUS with dummy=dummy.
            IgtlVersionTracker.observe(client.channel(), 2); // let this client send version 2
            client.send(new StatusMessage(Envelope.v2("", Map.of("dummy", "dummy")), 1, 0, "", ""));
            client.send(StringMessage.of(Envelope.v2("Text", Map.of()), "again"));
            StringMessage second = client.receive(StringMessage.class, PATIENCE);
            assertEquals(2, second.headerVersion());
            assertEquals(Map.of("Echo", "yes"), second.metadata());
            assertEquals(2, server.sessions().get(0).peerHeaderVersion());
        }
    }

    @Test
    void maxHeaderVersionOneKeepsEveryReplyAtVersionOne() throws Exception {
        try (IgtlServer server = IgtlServer.start(loopback().maxHeaderVersion(1).build(), STRING_ECHO);
             IgtlClient client = IgtlClient.builder().assumePeerHeaderVersion(2)
                     .connect(new java.net.InetSocketAddress("127.0.0.1", server.port()))) {
            client.send(StringMessage.of(Envelope.v2("Text", Map.of("a", "b")), "hi"));
            assertEquals(1, client.receive(StringMessage.class, PATIENCE).headerVersion());
        }
    }

    @Test
    void getStatusIsAnsweredByTheServerItself() throws Exception {
        List<IgtlMessage> seen = new CopyOnWriteArrayList<>();
        try (IgtlServer server = IgtlServer.start(loopback().build(), (s, m) -> seen.add(m));
             IgtlClient client = client(server)) {
            client.send(GetQuery.of(Envelope.v1("Ping"), "STATUS"));
            StatusMessage s = client.receive(StatusMessage.class, PATIENCE);
            assertEquals(StatusCode.OK.code(), s.code());
            assertEquals("Ping", s.deviceName());
            assertTrue(seen.isEmpty(), "GET_STATUS is not passed to the service: " + seen);
        }
    }

    @Test
    void keepAliveIsAnEmptyNamedStatusOkInTheClientsVersion() throws Exception {
        try (IgtlServer server = IgtlServer.start(loopback().keepAliveInterval(Duration.ofMillis(50)).build(), (s, m) -> { });
             IgtlClient client = client(server)) {
            for (int i = 0; i < 3; i++) { // repeated while the connection stays silent
                StatusMessage s = client.receive(StatusMessage.class, PATIENCE);
                assertEquals(StatusCode.OK.code(), s.code());
                assertEquals("", s.deviceName());
                assertEquals(1, s.headerVersion());
            }
        }
    }

    @Test
    void idleTimeoutClosesASilentClientButKeepAliveAloneDoesNot() throws Exception {
        IgtlServerConfig config = loopback().keepAliveInterval(Duration.ofMillis(20)).idleTimeout(Duration.ofMillis(300)).build();
        AtomicInteger disconnects = new AtomicInteger();
        IgtlService service = new IgtlService() {
            @Override
            public void onMessage(IgtlSession session, IgtlMessage message) {
            }

            @Override
            public void onDisconnect(IgtlSession session) {
                disconnects.incrementAndGet();
            }
        };
        try (IgtlServer server = IgtlServer.start(config, service);
             IgtlClient client = client(server)) {
            await("the silent client to be closed", () -> !client.isConnected());
            await("onDisconnect", () -> disconnects.get() == 1);
        }
        try (IgtlServer server = IgtlServer.start(loopback().keepAliveInterval(Duration.ofMillis(20)).build(), service);
             IgtlClient client = client(server)) {
            for (int i = 0; i < 10; i++) {
                client.receive(StatusMessage.class, PATIENCE);
            }
            assertTrue(client.isConnected());
        }
    }

    @Test
    void anExtraClientIsRefusedWithBusyAndTheOthersCarryOn() throws Exception {
        try (IgtlServer server = IgtlServer.start(loopback().maxClients(2).build(), STRING_ECHO);
             IgtlClient a = client(server);
             IgtlClient b = client(server)) {
            await("two sessions", () -> server.sessions().size() == 2);
            try (IgtlClient extra = client(server)) {
                StatusMessage refusal = extra.receive(StatusMessage.class, PATIENCE);
                assertEquals(StatusCode.BUSY.code(), refusal.code());
                await("the extra client to be closed", () -> !extra.isConnected());
            }
            for (IgtlClient c : List.of(a, b)) {
                c.send(StringMessage.of(Envelope.v1("X"), "still here"));
                assertEquals("still here", c.receive(StringMessage.class, PATIENCE).text());
            }
            b.close();
            await("b's slot to free up", () -> server.sessions().size() == 1);
            try (IgtlClient c = client(server)) {
                c.send(StringMessage.of(Envelope.v1("X"), "admitted"));
                assertEquals("admitted", c.receive(StringMessage.class, PATIENCE).text());
            }
        }
    }

    @Test
    void aServiceThatThrowsDoesNotEndTheSession() throws Exception {
        IgtlService service = (session, m) -> {
            if (m instanceof StringMessage s && s.text().equals("boom")) {
                throw new IllegalStateException("service failure for the test");
            }
            STRING_ECHO.onMessage(session, m);
        };
        try (IgtlServer server = IgtlServer.start(loopback().build(), service);
             IgtlClient client = client(server)) {
            client.send(StringMessage.of(Envelope.v1("X"), "boom"));
            client.send(StringMessage.of(Envelope.v1("X"), "after"));
            assertEquals("after", client.receive(StringMessage.class, PATIENCE).text());
        }
    }

    @Test
    void callbacksAreSerialPerSessionAndRunOffTheEventLoop() throws Exception {
        Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<String> events = new CopyOnWriteArrayList<>();
        IgtlService service = new IgtlService() {
            @Override
            public void onConnect(IgtlSession session) {
                events.add("connect " + session.id());
            }

            @Override
            public void onMessage(IgtlSession session, IgtlMessage message) throws Exception {
                if (Thread.currentThread().getName().startsWith("igtl-io")) {
                    problems.add("called on the event loop");
                }
                if (inFlight.computeIfAbsent(session.id(), k -> new AtomicInteger()).incrementAndGet() != 1) {
                    problems.add("concurrent calls for session " + session.id());
                }
                Thread.sleep(1);
                inFlight.get(session.id()).decrementAndGet();
                STRING_ECHO.onMessage(session, message);
            }

            @Override
            public void onDisconnect(IgtlSession session) {
                events.add("disconnect " + session.id());
            }
        };
        try (IgtlServer server = IgtlServer.start(loopback().build(), service)) {
            try (IgtlClient a = client(server); IgtlClient b = client(server)) {
                for (int i = 0; i < 30; i++) {
                    a.send(StringMessage.of(Envelope.v1("A"), "a" + i));
                    b.send(StringMessage.of(Envelope.v1("B"), "b" + i));
                }
                for (int i = 0; i < 30; i++) {
                    assertEquals("a" + i, a.receive(StringMessage.class, PATIENCE).text());
                    assertEquals("b" + i, b.receive(StringMessage.class, PATIENCE).text());
                }
            }
            await("both disconnects", () -> events.size() == 4);
        }
        assertEquals(List.of(), problems);
        assertTrue(events.indexOf("connect 1") < events.indexOf("disconnect 1"), events.toString());
        assertTrue(events.indexOf("connect 2") < events.indexOf("disconnect 2"), events.toString());
    }

    @Test
    void zeroWorkerThreadsRunsCallbacksOnTheEventLoopInTheSameOrder() throws Exception {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<String> events = new CopyOnWriteArrayList<>();
        IgtlService service = new IgtlService() {
            @Override
            public void onConnect(IgtlSession session) {
                events.add("connect " + session.id());
            }

            @Override
            public void onMessage(IgtlSession session, IgtlMessage message) throws Exception {
                if (!Thread.currentThread().getName().startsWith("igtl-io")) {
                    problems.add("called on " + Thread.currentThread().getName());
                }
                STRING_ECHO.onMessage(session, message);
            }

            @Override
            public void onDisconnect(IgtlSession session) {
                events.add("disconnect " + session.id());
            }
        };
        IgtlServer server = IgtlServer.start(loopback().workerThreads(0).build(), service);
        try (IgtlClient a = client(server); IgtlClient b = client(server)) {
            for (int i = 0; i < 30; i++) {
                a.send(ServerTesting.transform(Envelope.v1("T"), i));
                a.send(StringMessage.of(Envelope.v1("A"), "a" + i));
                b.send(StringMessage.of(Envelope.v1("B"), "b" + i));
            }
            for (int i = 0; i < 30; i++) {
                assertEquals("a" + i, a.receive(StringMessage.class, PATIENCE).text());
                assertEquals("b" + i, b.receive(StringMessage.class, PATIENCE).text());
            }
            assertEquals(2, server.sessions().size());
            server.close(); // graceful close still waits for every onDisconnect
            assertEquals(4, events.size(), events.toString());
        } finally {
            server.close();
        }
        assertEquals(List.of(), problems);
        assertTrue(events.indexOf("connect 1") < events.indexOf("disconnect 1"), events.toString());
        assertThrows(IllegalArgumentException.class, () -> loopback().workerThreads(-1).build());
    }

    @Test
    void closeTellsClientsItIsShuttingDownAndRunsOnDisconnect() throws Exception {
        AtomicInteger disconnects = new AtomicInteger();
        IgtlService service = new IgtlService() {
            @Override
            public void onMessage(IgtlSession session, IgtlMessage message) {
            }

            @Override
            public void onDisconnect(IgtlSession session) {
                disconnects.incrementAndGet();
            }
        };
        IgtlServer server = IgtlServer.start(loopback().keepAliveInterval(Duration.ZERO).build(), service);
        try (IgtlClient a = client(server); IgtlClient b = client(server)) {
            await("two sessions", () -> server.sessions().size() == 2);
            server.close();
            assertEquals(2, disconnects.get(), "close() returns after every onDisconnect ran");
            for (IgtlClient c : List.of(a, b)) {
                StatusMessage s = c.receive(StatusMessage.class, PATIENCE);
                assertEquals(StatusCode.SHUTTING_DOWN.code(), s.code());
                await("the connection to close", () -> !c.isConnected());
                assertThrows(IOException.class, () -> c.receive(Duration.ofSeconds(5)));
            }
            assertThrows(IOException.class, () -> client(server));
        }
    }

    @Test
    void sendAfterTheClientLeftReturnsFalse() throws Exception {
        List<IgtlSession> sessions = new CopyOnWriteArrayList<>();
        IgtlService service = new IgtlService() {
            @Override
            public void onConnect(IgtlSession session) {
                sessions.add(session);
            }

            @Override
            public void onMessage(IgtlSession session, IgtlMessage message) {
            }
        };
        try (IgtlServer server = IgtlServer.start(loopback().build(), service)) {
            try (IgtlClient c = client(server)) {
                await("the session", () -> sessions.size() == 1);
                assertTrue(sessions.get(0).isOpen());
            }
            await("the session to close", () -> !sessions.get(0).isOpen());
            await("the server to notice", () -> !sessions.get(0).send(StringMessage.of(Envelope.v1("X"), "late")));
            assertFalse(sessions.get(0).isOpen());
        }
    }

    static void assertNothingMore(IgtlClient c) throws Exception {
        assertThrows(TimeoutException.class, () -> assertInstanceOf(Object.class, c.receive(Duration.ofMillis(100))));
    }
}
