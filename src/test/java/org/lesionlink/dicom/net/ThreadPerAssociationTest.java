package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.DataSetSink;
import org.lesionlink.dicom.net.dimse.DataSource;
import org.lesionlink.dicom.net.dimse.DicomService;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.Dimse;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;

/**
 * The acceptor without a worker pool ({@link DicomServerConfig#workerThreads()} 0, the default), where each
 * association's services run on its own event loop: associations still progress in parallel while one's service
 * blocks, each open association has a loop of its own, writes from the loop pause reading instead of waiting, and
 * the blocking user calls refuse to run on the loop. The pool mode runs the parallel-progress check too.
 */
@Timeout(60)
class ThreadPerAssociationTest {

    static final List<PresentationContextRq> PCS = List.of(
            new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian),
            new PresentationContextRq(3, UID.MRImageStorage, UID.ExplicitVRLittleEndian),
            new PresentationContextRq(5, UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian));

    /**
     * C-STORE that keeps nothing but blocks an instance whose UID starts with "block" until {@code release}, and
     * records the thread each request ran on; C-FIND that answers {@code pendingMatches} pending responses of
     * {@code matchBytes} each from within the service (through {@link Association#writeDimse}).
     */
    static final class Services implements DicomService {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> threads = new CopyOnWriteArrayList<>();
        final Set<String> storedOn = ConcurrentHashMap.newKeySet();
        volatile int pendingMatches;
        volatile int matchBytes;
        /** Whether the blocked instance's service first tries a blocking call of its association (loop mode). */
        volatile boolean tryBlockingCall;
        volatile Throwable blockingCallFailure;

        @Override
        public Set<String> sopClasses() {
            return Set.of(UID.MRImageStorage, UID.StudyRootQueryRetrieveInformationModelFind);
        }

        @Override
        public void onRequest(Association as, PresentationContext pc, Attributes rq, DataSetSink data, Attributes rsp)
                throws IOException {
            threads.add(Thread.currentThread().getName());
            if (data != null) {
                data.abort(); // the identifier or data set (a MemorySink) is not needed: release its buffers
            }
            if (Dimse.commandField(rq) == org.lesionlink.dicom.net.dimse.CommandField.C_FIND_RQ) {
                Attributes match = new Attributes();
                match.setBytes(Tag.PixelData, VR.OB, new byte[matchBytes]);
                Attributes pending = Dimse.response(rq, Status.PENDING);
                pending.setInt(Tag.CommandDataSetType, VR.US, Dimse.DATA_SET_PRESENT);
                for (int i = 0; i < pendingMatches; i++) {
                    as.writeDimse(pc, pending,
                            DataSource.of(DicomWriter.encode(match, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
                }
                return;
            }
            String iuid = rq.getString(Tag.AffectedSOPInstanceUID);
            if (iuid.startsWith("block")) {
                if (tryBlockingCall) {
                    try {
                        as.cecho(); // a blocking call of the association: refused on its loop, not a deadlock
                    } catch (IllegalStateException | IOException e) {
                        blockingCallFailure = e;
                    }
                }
                blocked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            storedOn.add(iuid + " " + Thread.currentThread().getName());
        }
    }

    static byte[] mr(String iuid) throws IOException {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.MRImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        a.setBytes(Tag.PixelData, VR.OW, new byte[40_000]);
        return DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static DicomServer start(Services s, int workerThreads, AssociationMonitor monitor) throws IOException {
        PresentationContextPolicy contexts = new PresentationContextPolicy(Set.of(UID.Verification, UID.MRImageStorage,
                UID.StudyRootQueryRetrieveInformationModelFind), false, PresentationContextPolicy.UNCOMPRESSED);
        DicomServerConfig cfg = DicomServerConfig.of("LESIONLINK", 0).withBindAddress("127.0.0.1")
                .withPolicy(AcceptorPolicy.defaults().withPresentationContexts(contexts).withMaxAssociations(4))
                .withWorkerThreads(workerThreads).withMonitor(monitor);
        return DicomServer.start(cfg, new DicomServiceRegistry().register(new CEchoScp()).register(s));
    }

    static DimseResponse store(Association as, String iuid) throws IOException {
        return as.cstore(as.findContext(UID.MRImageStorage, null), UID.MRImageStorage, iuid, DataSource.of(mr(iuid)),
                null, 0);
    }

    @ParameterizedTest(name = "worker threads {0}")
    @ValueSource(ints = {0, 2})
    void aBlockedServiceHoldsUpOnlyItsOwnAssociation(int workerThreads) throws Exception {
        Services s = new Services();
        s.tryBlockingCall = workerThreads == 0;
        try (DicomServer server = start(s, workerThreads, AssociationMonitor.NONE);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association slow = client.open("127.0.0.1", server.port(), "LESIONLINK", PCS);
            Association fast = client.open("127.0.0.1", server.port(), "LESIONLINK", PCS);
            CompletableFuture<DimseResponse> blockedStore = CompletableFuture.supplyAsync(() -> {
                try {
                    return store(slow, "block.1");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(s.blocked.await(20, TimeUnit.SECONDS), "the first instance never reached its service");
            // the other association is served meanwhile: echo and three instances
            assertEquals(Status.SUCCESS, fast.cecho().status());
            for (int i = 1; i <= 3; i++) {
                assertEquals(Status.SUCCESS, store(fast, "fast." + i).status());
            }
            assertFalse(blockedStore.isDone(), "answered before its service returned");
            s.release.countDown();
            assertEquals(Status.SUCCESS, blockedStore.get(20, TimeUnit.SECONDS).status());
            assertEquals(Status.SUCCESS, store(slow, "slow.2").status()); // and the slow one goes on
            slow.release();
            fast.release();
            List<String> ran = new ArrayList<>(s.threads);
            assertEquals(5, ran.size(), ran.toString());
            String slowThread = threadOf(s, "block.1");
            assertNotEquals(slowThread, threadOf(s, "fast.1"));
            if (workerThreads == 0) {
                // each association's services ran on its own network thread, the same one for all its requests
                assertTrue(slowThread.startsWith("dicom-io"), slowThread);
                assertEquals(slowThread, threadOf(s, "slow.2"), ran.toString());
                assertEquals(threadOf(s, "fast.1"), threadOf(s, "fast.3"));
                assertTrue(s.blockingCallFailure instanceof IllegalStateException, String.valueOf(s.blockingCallFailure));
            } else {
                assertTrue(slowThread.startsWith("dicom-worker"), slowThread);
            }
        }
    }

    private static String threadOf(Services s, String iuid) {
        return s.storedOn.stream().filter(e -> e.startsWith(iuid + " ")).map(e -> e.substring(iuid.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError(iuid + " not stored: " + s.storedOn));
    }

    @Test
    void everyOpenAssociationHasAnEventLoopOfItsOwn() throws Exception {
        Services s = new Services();
        try (DicomServer server = start(s, 0, AssociationMonitor.NONE);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            List<Association> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(client.open("127.0.0.1", server.port(), "LESIONLINK", PCS));
            }
            assertArrayEquals(new int[] {1, 1, 1, 0}, server.connectionsPerLoop());
            // round robin would now put the next two on loops 3 and 0, the latter still busy with open.get(0)
            open.remove(1).release();
            awaitLoops(server, new int[] {1, 0, 1, 0});
            open.add(client.open("127.0.0.1", server.port(), "LESIONLINK", PCS));
            open.add(client.open("127.0.0.1", server.port(), "LESIONLINK", PCS));
            assertArrayEquals(new int[] {1, 1, 1, 1}, server.connectionsPerLoop());
            for (Association as : open) {
                assertEquals(Status.SUCCESS, as.cecho().status());
                as.release();
            }
            awaitLoops(server, new int[] {0, 0, 0, 0});
        }
    }

    @Test
    void loopsFollowTheAssociationLimitUpToACap() throws Exception {
        DicomServerConfig cfg = DicomServerConfig.of("LESIONLINK", 0).withBindAddress("127.0.0.1");
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp());
        try (DicomServer a = DicomServer.start(cfg.withPolicy(AcceptorPolicy.defaults().withMaxAssociations(5)), registry);
                DicomServer b = DicomServer.start(cfg.withPolicy(AcceptorPolicy.defaults().withMaxAssociations(1000)),
                        registry);
                DicomServer c = DicomServer.start(cfg.withWorkerThreads(3), registry)) {
            assertEquals(5, a.connectionsPerLoop().length);
            assertEquals(DicomServer.MAX_LOOPS, b.connectionsPerLoop().length);
            assertEquals(cfg.ioThreads(), c.connectionsPerLoop().length); // with a pool: the configured I/O threads
        }
    }

    private static void awaitLoops(DicomServer server, int[] expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Arrays.equals(expected, server.connectionsPerLoop()) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertArrayEquals(expected, server.connectionsPerLoop());
    }

    @Test
    void responsesWrittenOnTheLoopPauseReadingUntilThePeerTakesThem() throws Exception {
        Services s = new Services();
        s.pendingMatches = 24;
        s.matchBytes = 1 << 20; // 24 MiB of responses: more than the socket buffers and the 4 MiB in flight
        List<Association> accepted = new CopyOnWriteArrayList<>();
        AssociationMonitor monitor = new AssociationMonitor() {
            @Override
            public void accepted(Association as, boolean secure) {
                accepted.add(as);
            }
        };
        try (DicomServer server = start(s, 0, monitor);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", server.port(), "LESIONLINK", PCS);
            io.netty.channel.Channel ours = as.channelForTest();
            ours.config().setAutoRead(false); // a peer that does not read its responses
            AtomicInteger matches = new AtomicInteger();
            CompletableFuture<DimseResponse> find = CompletableFuture.supplyAsync(() -> {
                try {
                    return as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, new Attributes(),
                            m -> matches.incrementAndGet());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((accepted.isEmpty() || accepted.get(0).channelForTest().config().isAutoRead())
                    && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            io.netty.channel.Channel theirs = accepted.get(0).channelForTest();
            assertFalse(theirs.config().isAutoRead(), "the SCP went on reading with its responses piling up");
            assertFalse(find.isDone());
            ours.config().setAutoRead(true);
            assertEquals(Status.SUCCESS, find.get(30, TimeUnit.SECONDS).status());
            assertEquals(24, matches.get());
            // drained: reading resumed, the association goes on
            assertEquals(Status.SUCCESS, as.cecho().status());
            assertTrue(theirs.config().isAutoRead());
            as.release();
        }
    }

    @Test
    void onTheLoopOfAnAssociationWithAWorkerPoolBlockingCallsAreStillRefused() throws Exception {
        Services s = new Services();
        try (DicomServer server = start(s, 2, AssociationMonitor.NONE);
                DicomClient client = new DicomClient(AssociationSettings.of("SCU"))) {
            Association as = client.open("127.0.0.1", server.port(), "LESIONLINK", PCS);
            PresentationContext pc = as.findContext(UID.Verification, null);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            as.channelForTest().eventLoop().execute(() -> {
                try {
                    as.writeDimse(pc, Dimse.cEchoRq(99, UID.Verification), null);
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            assertTrue(thrown.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
            CompletableFuture<Throwable> released = new CompletableFuture<>();
            as.channelForTest().eventLoop().execute(() -> {
                try {
                    as.release();
                    released.complete(null);
                } catch (Throwable t) {
                    released.complete(t);
                }
            });
            assertTrue(released.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
            assertEquals(Status.SUCCESS, as.cecho().status());
            as.release();
            assertThrows(AssociationException.class, as::cecho);
        }
    }
}
