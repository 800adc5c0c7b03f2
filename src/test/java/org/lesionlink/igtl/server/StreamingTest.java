package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.igtl.server.ServerTesting.PATIENCE;
import static org.lesionlink.igtl.server.ServerTesting.await;
import static org.lesionlink.igtl.server.ServerTesting.client;
import static org.lesionlink.igtl.server.ServerTesting.loopback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMessage;

/**
 * The real-time semantics: latest-value slots inbound (slow service) and outbound (slow reader), control
 * messages never dropped and in order, read backpressure. Assertions are about what was processed, never
 * about how fast.
 */
@Timeout(90)
class StreamingTest {

    @Test
    void aSlowServiceSeesTheNewestTransformAndEveryControlMessageInOrder() throws Exception {
        List<String> processed = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        IgtlService slow = (session, m) -> {
            if (m instanceof TransformMessage t) {
                processed.add(t.deviceName() + "=" + (int) ServerTesting.translationX(t));
                Thread.sleep(50); // a service much slower than the 60 Hz stream
            } else if (m instanceof StringMessage s) {
                processed.add("STRING " + s.text());
                if (s.text().equals("Segment")) {
                    done.countDown();
                }
            }
        };
        int frames = 90;
        try (IgtlServer server = IgtlServer.start(loopback().build(), slow);
             IgtlClient client = client(server)) {
            for (int i = 0; i < frames; i++) {
                client.send(ServerTesting.transform(Envelope.v1("ProbeToTracker"), i));
                client.send(ServerTesting.transform(Envelope.v1("NeedleToTracker"), 1000 + i));
                if (i % 10 == 5) {
                    client.send(StringMessage.of(Envelope.v1("CMD"), "c" + i));
                }
                Thread.sleep(16); // ~60 Hz
            }
            client.send(StringMessage.of(Envelope.v1("CMD"), "Segment"));
            assertTrue(done.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            IgtlSession session = server.sessions().get(0);
            assertTrue(session.stats().coalescedInbound() > 0, session.stats().toString());
        }

        List<Integer> probe = new ArrayList<>();
        List<Integer> needle = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        for (String p : processed) {
            if (p.startsWith("ProbeToTracker=")) {
                probe.add(Integer.parseInt(p.substring(15)));
            } else if (p.startsWith("NeedleToTracker=")) {
                needle.add(Integer.parseInt(p.substring(16)));
            } else {
                strings.add(p);
            }
        }
        // Newest wins: fewer processed than sent, the last one processed is the last one sent, never backwards.
        assertTrue(probe.size() < frames, "processed " + probe.size() + " of " + frames);
        assertEquals(frames - 1, probe.get(probe.size() - 1));
        assertEquals(1000 + frames - 1, needle.get(needle.size() - 1));
        assertTrue(isIncreasing(probe) && isIncreasing(needle), processed.toString());
        // Control messages: all of them, in order, the last one after the newest frame of each device.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            if (i % 10 == 5) {
                expected.add("STRING c" + i);
            }
        }
        expected.add("STRING Segment");
        assertEquals(expected, strings);
        int segment = processed.indexOf("STRING Segment");
        assertTrue(processed.indexOf("ProbeToTracker=" + (frames - 1)) < segment, processed.toString());
        assertTrue(processed.indexOf("NeedleToTracker=" + (1000 + frames - 1)) < segment, processed.toString());
        // Each interleaved command comes after a frame at least as new as the last one sent before it.
        for (int i = 5; i < frames; i += 10) {
            int at = processed.indexOf("STRING c" + i);
            int before = lastProbeBefore(processed, at);
            assertTrue(before >= i, "command c" + i + " handled after frame " + before + ": " + processed);
        }
    }

    @Test
    void aClientThatStopsReadingGetsTheNewestFrameWhenItResumesAndMemoryStaysBounded() throws Exception {
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
        int frames = 400; // 400 x 256 KiB = 100 MiB offered to a client that reads nothing
        IgtlServerConfig config = loopback().keepAliveInterval(Duration.ZERO).writeBufferWaterMarks(256 << 10, 1 << 20).build();
        try (IgtlServer server = IgtlServer.start(config, service);
             IgtlClient client = client(server)) {
            client.channel().config().setAutoRead(false);
            await("the session", () -> sessions.size() == 1);
            IgtlSession session = sessions.get(0);
            for (int i = 0; i < frames; i++) {
                assertTrue(session.send(ServerTesting.image(Envelope.v1("Image_Reference"), i, 512, 512)));
                if (i % 50 == 0) {
                    Thread.sleep(20); // let the event loop write, so that the socket fills up
                }
            }
            session.send(StringMessage.of(Envelope.v1("Done"), "done"));
            SessionStats stalled = session.stats();
            assertTrue(stalled.supersededOutbound() > 0, stalled.toString());
            assertTrue(stalled.peakPendingOutbound() <= 2, "one IMAGE slot and the STRING at most: " + stalled);

            client.channel().config().setAutoRead(true);
            int images = 0;
            int last = -1;
            while (true) {
                Object o = client.receive(PATIENCE);
                if (o instanceof ImageMessage m) {
                    int n = ServerTesting.imageNumber(m);
                    assertTrue(n > last, "frames arrive in order");
                    last = n;
                    images++;
                } else if (o instanceof StringMessage s) {
                    assertEquals("done", s.text());
                    break;
                }
            }
            assertEquals(frames - 1, last, "the newest frame is delivered");
            assertTrue(images < frames, "stale frames were replaced: " + images + " of " + frames + " delivered");
            assertEquals(frames - images, session.stats().supersededOutbound());
        }
    }

    @Test
    void aServiceBehindOnControlMessagesPausesReadingAndLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> processed = Collections.synchronizedList(new ArrayList<>());
        IgtlService blocked = (session, m) -> {
            release.await();
            processed.add(((StringMessage) m).text());
        };
        int count = 500;
        String pad = "x".repeat(60_000); // 30 MB in all: more than the loopback socket buffers hold
        IgtlServerConfig config = loopback().maxInboundBacklog(16).keepAliveInterval(Duration.ZERO).build();
        try (IgtlServer server = IgtlServer.start(config, blocked);
             IgtlClient client = client(server)) {
            for (int i = 0; i < count; i++) {
                client.send(StringMessage.of(Envelope.v1("CMD"), i + pad));
            }
            await("the session", () -> server.sessions().size() == 1);
            IgtlSession session = server.sessions().get(0);
            await("reading to pause", () -> session.stats().readPauses() > 0);
            Thread.sleep(300);
            SessionStats paused = session.stats();
            assertTrue(paused.received() < count, "TCP held the rest back: " + paused);
            assertTrue(paused.pendingInbound() <= 16 + 2, "at most one socket read (64 KiB) beyond the bound: " + paused);

            release.countDown();
            await("everything processed", () -> processed.size() == count);
            for (int i = 0; i < count; i++) {
                assertEquals(i + pad, processed.get(i));
            }
            assertEquals(0, session.stats().coalescedInbound());
        }
    }

    private static boolean isIncreasing(List<Integer> xs) {
        for (int i = 1; i < xs.size(); i++) {
            if (xs.get(i) <= xs.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static int lastProbeBefore(List<String> processed, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (processed.get(i).startsWith("ProbeToTracker=")) {
                return Integer.parseInt(processed.get(i).substring(15));
            }
        }
        return -1;
    }
}
