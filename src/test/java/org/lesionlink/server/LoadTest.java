package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.testing.Peers;

/**
 * Issue 12, load: for {@code lesionlink.load.seconds} (default 20; the figures in the README come from longer runs,
 * {@code -Dlesionlink.load.seconds=300}) one in-process server takes
 * <ul>
 *   <li>20 DICOM lanes, each a loop of dcmtk storescu processes (one association, one new 16-instance study each);
 *       studies are segmented after a 1 s quiet period while the load goes on;</li>
 *   <li>20 OpenIGTLink clients streaming IMAGE frames (10 per second each, Stream on) with a GET_STATUS ping
 *       after every frame.</li>
 * </ul>
 * Checked: every instance answered with success is on disk with the data set that was sent (SHA-256) and nothing
 * else is (no loss, no duplicate, no temporary file); no failure status, only association rejections at the
 * server's limit (retried); every ping answered once and in order; every segmentation a client gets is of its own
 * image and newer than the one before; a client's newest frame is segmented in the end; clients over the
 * connection limit are refused with STATUS 6 and nothing else breaks; no Netty leak report (paranoid detection);
 * used heap after GC shows no growth trend.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LoadTest {
    static final int DICOM_LANES = 20;
    static final int IGTL_CLIENTS = 20;
    static final Duration T = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    /** What was sent and acknowledged, per SOP Instance UID. */
    record Acked(String study, String series, String hash) {}

    @Test
    void twentyAssociationsAndTwentyStreamsLoseNothingLeakNothingAndStayFlat() throws Exception {
        Peers.requireCommand("storescu");
        long seconds = Long.getLong("lesionlink.load.seconds", 20);
        ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), ServerFixtures.models())
                .with(Map.of("dicomPort", 0, "studyQuietSeconds", 1.0));
        Map<String, Acked> acked = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger associations = new AtomicInteger();
        AtomicInteger rejectedAssociations = new AtomicInteger();
        List<IgtlStats> igtl = new CopyOnWriteArrayList<>();
        FaultTesting.HeapSampler heap = new FaultTesting.HeapSampler();

        try (FaultTesting.LeakWatch leaks = new FaultTesting.LeakWatch()) {
            ExecutorService pool = Executors.newCachedThreadPool();
            try (LesionLinkServer server = LesionLinkServer.start(cfg)) {
                long start = System.nanoTime();
                long end = start + seconds * 1_000_000_000L;
                List<Future<?>> tasks = new ArrayList<>();
                for (int lane = 0; lane < DICOM_LANES; lane++) {
                    int l = lane;
                    tasks.add(pool.submit(() -> {
                        dicomLane(l, server.dicomPort(), end, acked, associations, rejectedAssociations, problems);
                        return null;
                    }));
                }
                for (int c = 0; c < IGTL_CLIENTS; c++) {
                    IgtlStats s = new IgtlStats(c);
                    igtl.add(s);
                    tasks.add(pool.submit(() -> {
                        igtlClient(s, server.igtlPort(), end, problems);
                        return null;
                    }));
                }
                // used heap after GC every ~2 s; the first fifth (class loading, model load, JIT) is not a trend
                while (System.nanoTime() < end) {
                    Thread.sleep(Math.max(2000, seconds * 1000 / 30));
                    if (System.nanoTime() - start > seconds * 1_000_000_000L / 5) {
                        heap.sample();
                    }
                }
                for (Future<?> f : tasks) {
                    f.get(10, TimeUnit.MINUTES);
                }
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("load: %d s; DICOM: %d instances acknowledged in %d associations (%d rejected at the "
                        + "association limit, retried); OpenIGTLink: %s%n", elapsedMs / 1000, acked.size(), associations.get(),
                        rejectedAssociations.get(), IgtlStats.summary(igtl));
                System.out.printf("heap after GC: %d samples, first/last third median %.1f/%.1f MiB, slope %.2f MiB/min%n",
                        heap.samples.size(), heap.firstAndLastThirdMedians()[0] / 1048576.0,
                        heap.firstAndLastThirdMedians()[1] / 1048576.0, heap.slopeBytesPerMinute() / 1048576.0);
                igtl.forEach(x -> System.out.println("  OpenIGTLink client " + x.id + ": " + x));
                assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
                checkStorage(cfg.storage().resolve("dicom/incoming"), acked);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(!acked.isEmpty(), "no instance stored");
            long admitted = igtl.stream().filter(s -> s.admitted).count();
            assertTrue(admitted >= Math.min(IGTL_CLIENTS, 16), "admitted OpenIGTLink clients: " + admitted);
            for (IgtlStats s : igtl) {
                if (s.admitted) {
                    assertTrue(s.frames > 0 && s.segmentations > 0, "client " + s.id + ": " + s);
                }
            }
            long[] m = heap.firstAndLastThirdMedians();
            assertTrue(m[1] <= m[0] + Math.max(48L << 20, m[0] / 4), "used heap grew:\n" + heap.describe());
            leaks.assertNoLeaks();
        }
    }

    /** Every acknowledged instance on disk with its sent data set, and nothing else. */
    private static void checkStorage(Path incoming, Map<String, Acked> acked) throws IOException {
        List<Path> files = FaultTesting.filesUnder(incoming);
        assertTrue(files.stream().noneMatch(p -> p.getFileName().toString().endsWith(".part")), "temporary files left");
        assertEquals(acked.size(), files.size(), "files on disk vs acknowledged instances");
        for (Map.Entry<String, Acked> e : acked.entrySet()) {
            Acked a = e.getValue();
            Path f = incoming.resolve(CStoreScp.safeName(a.study())).resolve(CStoreScp.safeName(a.series()))
                    .resolve(CStoreScp.safeName(e.getKey()) + ".dcm");
            assertTrue(Files.isRegularFile(f), "acknowledged, not on disk: " + e.getKey());
            assertEquals(a.hash(), FaultTesting.datasetSha256(f), "stored data set differs: " + e.getKey());
        }
    }

    /** One DICOM lane: a new study per association, until {@code end}; a rejected association is tried again. */
    private static void dicomLane(int lane, int port, long end, Map<String, Acked> acked, AtomicInteger associations,
            AtomicInteger rejected, List<String> problems) throws Exception {
        Path dir = Files.createTempDirectory("lesionlink-load-" + lane + "-");
        try {
            for (int round = 0; System.nanoTime() < end; round++) {
                Path roundDir = dir.resolve("r" + round);
                List<Path> files = FaultTesting.series(roundDir, "load-" + lane + "-" + round + "-" + ThreadLocalRandom.current().nextLong(), 0);
                Map<Path, Acked> sent = new ConcurrentHashMap<>();
                Map<Path, String> sop = new ConcurrentHashMap<>();
                for (Path f : files) {
                    Attributes ds = new DicomReader().read(f).dataset();
                    sent.put(f, new Acked(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID),
                            FaultTesting.datasetSha256(f)));
                    sop.put(f, ds.getString(Tag.SOPInstanceUID));
                }
                List<Path> left = new ArrayList<>(files);
                for (int attempt = 0; !left.isEmpty(); attempt++) {
                    FaultTesting.StoreRun run = FaultTesting.storescu(port, "LESIONLINK", left, 120);
                    associations.incrementAndGet();
                    for (Path f : run.succeeded()) {
                        if (acked.put(sop.get(f), sent.get(f)) != null) {
                            problems.add("lane " + lane + ": " + f + " acknowledged twice");
                        }
                    }
                    if (run.associationRejected() && run.responses().isEmpty()) {
                        rejected.incrementAndGet(); // the server's association limit: back off, try again
                        Thread.sleep(100 + ThreadLocalRandom.current().nextInt(400));
                    } else if (run.succeeded().size() != left.size()) {
                        problems.add("lane " + lane + " round " + round + ": " + run.responses() + "\n" + run.output());
                        return;
                    }
                    left.removeAll(run.succeeded());
                    if (attempt > 200) {
                        problems.add("lane " + lane + ": never admitted");
                        return;
                    }
                }
                for (Path f : files) {
                    Files.delete(f);
                }
                Files.delete(roundDir);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    /** What one OpenIGTLink client saw. */
    static final class IgtlStats {
        final int id;
        boolean admitted;
        int refusals;
        int frames;
        int segmentations;
        int queueFull;
        int pings;
        long maxSendMs;

        IgtlStats(int id) {
            this.id = id;
        }

        static String summary(List<IgtlStats> all) {
            long admitted = all.stream().filter(s -> s.admitted).count();
            return String.format("%d clients streaming, %d refused at the connection limit (%d refusals); %d frames, "
                    + "%d segmentations, %d pings answered, %d STATUS 11 (queue full)", admitted, all.size() - admitted,
                    all.stream().mapToInt(s -> s.refusals).sum(), all.stream().mapToInt(s -> s.frames).sum(),
                    all.stream().mapToInt(s -> s.segmentations).sum(), all.stream().mapToInt(s -> s.pings).sum(),
                    all.stream().mapToInt(s -> s.queueFull).sum());
        }

        @Override
        public String toString() {
            return "admitted=" + admitted + " refusals=" + refusals + " frames=" + frames + " segmentations=" + segmentations
                    + " pings=" + pings + " queueFull=" + queueFull + " maxSendMs=" + maxSendMs;
        }
    }

    /**
     * One OpenIGTLink client: connects (refused ones retry every second until {@code end}), turns streaming on,
     * sends a frame and a ping every 100 ms until {@code end}, then asks until its newest frame is segmented.
     */
    private static void igtlClient(IgtlStats s, int port, long end, List<String> problems) throws Exception {
        // each client its own sphere, so a result that went to the wrong client is noticed
        ServerFixtures.SphereCase c = ServerFixtures.sphere(24, 20, 16, new double[] {6 + s.id % 10, 6 + s.id / 10 * 6, 8}, 3);
        String who = "client " + s.id + ": ";
        while (System.nanoTime() < end) {
            try (IgtlClient client = IgtlClient.builder().connect(new InetSocketAddress("127.0.0.1", port))) {
                try {
                    client.send(GetQuery.of(Envelope.v1("hello"), "STATUS")).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // refused: the server said why (STATUS 6, read below) and closed the connection
                }
                StatusMessage first = status(client, m -> !m.envelope().deviceName().isEmpty() || m.code() != 1);
                if (first.code() == 6) {
                    s.refusals++;
                    if (!first.errorName().equals("SERVER_FULL")) {
                        problems.add(who + "refused with " + first);
                    }
                    Thread.sleep(1000);
                    continue;
                }
                if (first.code() != 1 || !first.envelope().deviceName().equals("hello")) {
                    problems.add(who + "unexpected first STATUS " + first);
                    return;
                }
                s.admitted = true;
                stream(s, client, c, end, who, problems);
                return;
            }
        }
    }

    private static StatusMessage status(IgtlClient client, java.util.function.Predicate<StatusMessage> p) throws Exception {
        return ServerFixtures.next(client, StatusMessage.class, p, T);
    }

    private static void stream(IgtlStats s, IgtlClient client, ServerFixtures.SphereCase c, long end, String who,
            List<String> problems) throws Exception {
        List<String> pings = new CopyOnWriteArrayList<>();
        List<Long> segs = new CopyOnWriteArrayList<>();
        List<String> acks = new CopyOnWriteArrayList<>();
        AtomicLong lastSeg = new AtomicLong(-1);
        AtomicInteger queueFull = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean finalPhase = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    Object o = client.receive(Duration.ofMinutes(5));
                    if (o instanceof StatusMessage st) {
                        String d = st.envelope().deviceName();
                        if (st.code() == 11) {
                            queueFull.incrementAndGet();
                        } else if (d.startsWith("p") && st.code() == 1) {
                            pings.add(d);
                        } else if (st.code() != 1) {
                            problems.add(who + "STATUS " + st);
                        }
                    } else if (o instanceof ImageMessage im && im.envelope().deviceName().equals("T1c_seg")) {
                        long ts = im.envelope().timestamp();
                        // while streaming each result is of a newer frame; the final Segment may repeat the newest
                        if (ts < lastSeg.get() || (ts == lastSeg.get() && !finalPhase.get())) {
                            problems.add(who + "segmentation of frame " + ts + " after frame " + lastSeg.get());
                        }
                        lastSeg.set(ts);
                        ByteBuffer b = im.pixels();
                        byte[] labels = new byte[b.remaining()];
                        b.get(labels);
                        if (ServerFixtures.dice(labels, c.truth()) != 1.0) {
                            problems.add(who + "segmentation of frame " + ts + " is not this client's sphere");
                        }
                        segs.add(ts);
                    } else if (o instanceof StringMessage str && str.envelope().deviceName().startsWith("ACK_")) {
                        acks.add(str.envelope().deviceName() + " " + str.text());
                    }
                }
            } catch (IOException | TimeoutException e) {
                // closed at the end of the test (or a failure the checks below report)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-igtl-reader-" + s.id);
        reader.setDaemon(true);
        reader.start();
        try {
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "Stream {\"enabled\": true}")).get();
            long frame = 0;
            do { // at least one frame: a client admitted just before the end has something to be segmented
                frame++;
                long t0 = System.nanoTime();
                client.send(ImageVolumes.fromVolume(Envelope.v1("T1c").withTimestamp(frame), c.image())).get();
                client.send(GetQuery.of(Envelope.v1("p" + frame), "STATUS")).get();
                s.maxSendMs = Math.max(s.maxSendMs, (System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(100);
            } while (System.nanoTime() < end);
            s.frames = (int) frame;
            finalPhase.set(true);
            // the newest frame is segmented in the end: ask (again, if the queue was full) until its result is here
            long deadline = System.nanoTime() + T.toNanos();
            for (int cmd = 2; lastSeg.get() != frame; cmd++) {
                if (System.nanoTime() > deadline) {
                    problems.add(who + "newest frame " + frame + " never segmented; last " + lastSeg.get());
                    break;
                }
                client.send(StringMessage.of(Envelope.v1("CMD_" + cmd), "Segment")).get();
                long wait = System.nanoTime() + 5_000_000_000L;
                while (lastSeg.get() != frame && System.nanoTime() < wait) {
                    Thread.sleep(50);
                }
            }
            long pingDeadline = System.nanoTime() + T.toNanos();
            while (pings.size() < frame && System.nanoTime() < pingDeadline) {
                Thread.sleep(50);
            }
            List<String> expected = new ArrayList<>();
            for (long f = 1; f <= frame; f++) {
                expected.add("p" + f);
            }
            if (!pings.equals(expected)) {
                problems.add(who + "pings answered " + pings.size() + " of " + frame + ", in order: " + pings.equals(
                        expected.subList(0, Math.min(pings.size(), expected.size()))));
            }
            if (!client.isConnected()) {
                problems.add(who + "connection lost");
            }
        } finally {
            s.segmentations = segs.size();
            s.pings = pings.size();
            s.queueFull = queueFull.get();
            client.close();
            reader.join(10_000);
        }
    }
}
