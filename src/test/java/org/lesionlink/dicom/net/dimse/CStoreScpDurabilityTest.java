package org.lesionlink.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomClient;
import org.lesionlink.dicom.net.DicomServer;
import org.lesionlink.dicom.net.DicomServerConfig;
import org.lesionlink.dicom.net.PresentationContext;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;

/**
 * The durability rule of {@link CStoreScp} ("durable before success") checked through a recording {@code Durability}
 * seam: the order of file fsync, rename, directory fsyncs and the response; the group commit of directory fsyncs;
 * and the series directories it remembers.
 */
@Timeout(60)
class CStoreScpDurabilityTest {

    @TempDir
    Path tmp;

    static final String STUDY = "1.2.826.0.1.3680043.8.498.71";
    static final String SERIES = "1.2.826.0.1.3680043.8.498.72";

    /** Records every flush as a line; a directory fsync of {@code blockDir} waits for {@code release}. */
    static final class Recorder implements CStoreScp.Durability {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Path storage;
        volatile Path blockDir;
        /** A file fsync of a file of this size waits for {@code release} too. */
        volatile long blockFileSize = -1;
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile IOException failDirectory;

        Recorder(Path storage) {
            this.storage = storage;
        }

        @Override
        public void forceFile(FileChannel ch) throws IOException {
            // The data set is complete in the temporary file and nothing has the final name yet.
            List<Path> finals = finalFiles(storage);
            events.add("file " + ch.size() + " finals=" + finals.size());
            if (ch.size() == blockFileSize) {
                await();
            }
            ch.force(false);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            events.add("dir " + storage.relativize(dir) + " finals=" + finalFiles(storage).size());
            if (failDirectory != null) {
                throw failDirectory;
            }
            if (dir.equals(blockDir)) {
                await();
            }
            CStoreScp.forceDirectory(dir);
        }

        private void await() {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<Path> finalFiles(Path storage) {
        try (Stream<Path> s = Files.walk(storage)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] mr(String iuid, int pixels) throws IOException {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.MRImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        a.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        a.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        a.setString(Tag.Modality, VR.CS, "MR");
        byte[] px = new byte[pixels];
        new Random(iuid.hashCode()).nextBytes(px);
        a.setBytes(Tag.PixelData, VR.OW, px);
        return DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    record Running(DicomServer server, DicomClient client, Association as, PresentationContext pc, Path storage)
            implements AutoCloseable {
        CompletableFuture<DimseResponse> store(String iuid, byte[] ds) {
            return as.cstoreAsync(pc, UID.MRImageStorage, iuid, DataSource.of(ds));
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    Running start(CStoreScp.Durability durability, Path storage) throws IOException {
        return start(new CStoreScp(storage, Set.of(UID.MRImageStorage), null, durability, null), storage);
    }

    Running start(CStoreScp scp, Path storage) throws IOException {
        DicomServer server = DicomServer.start(DicomServerConfig.of("LESIONLINK", 0).withBindAddress("127.0.0.1"),
                new DicomServiceRegistry().register(scp));
        DicomClient client = new DicomClient(AssociationSettings.of("SCU"));
        Association as = client.open("127.0.0.1", server.port(), "LESIONLINK",
                List.of(new PresentationContextRq(1, UID.MRImageStorage, UID.ExplicitVRLittleEndian)));
        return new Running(server, client, as, as.findContext(UID.MRImageStorage, UID.ExplicitVRLittleEndian), storage);
    }

    @Test
    void successOnlyAfterTheDirectoryFsyncThatCoversTheRename() throws Exception {
        Path storage = tmp.resolve("store");
        Recorder rec = new Recorder(storage);
        rec.blockDir = storage.resolve(STUDY).resolve(SERIES);
        try (Running r = start(rec, storage)) {
            byte[] ds = mr("1.2.3.1", 70_000);
            CompletableFuture<DimseResponse> rsp = r.store("1.2.3.1", ds);
            assertTrue(rec.blocked.await(20, TimeUnit.SECONDS), "no fsync of the series directory: " + rec.events);
            // The rename is done (the name exists) but its directory entry is not durable yet: no answer.
            Thread.sleep(300);
            assertFalse(rsp.isDone(), "answered before the directory fsync completed");
            assertEquals(1, finalFiles(storage).size());
            rec.release.countDown();
            assertEquals(Status.SUCCESS, rsp.get(20, TimeUnit.SECONDS).status());
            // file fdatasync before the rename (no final name yet, whole file written), then the parents of the new
            // series directory (before the rename too), then the series directory after it.
            List<String> ev = rec.events;
            assertTrue(ev.get(0).startsWith("file ") && ev.get(0).endsWith("finals=0"), ev.toString());
            long fileSize = Long.parseLong(ev.get(0).split(" ")[1]);
            assertEquals(Files.size(finalFiles(storage).get(0)), fileSize);
            assertEquals(List.of("dir  finals=0", "dir " + STUDY + " finals=0",
                    "dir " + STUDY + "/" + SERIES + " finals=1"), ev.subList(1, ev.size()), ev.toString());

            // A second instance of the same series: the series directory is known durable, only it is forced.
            rec.events.clear();
            assertEquals(Status.SUCCESS, r.store("1.2.3.2", mr("1.2.3.2", 5000)).get(20, TimeUnit.SECONDS).status());
            assertEquals(2, rec.events.size(), rec.events.toString());
            assertEquals("dir " + STUDY + "/" + SERIES + " finals=2", rec.events.get(1));
        }
    }

    @Test
    void withTheJournalSuccessWaitsForTheJournalsFdatasyncAndTheCheckpointForcesTheFilesLater() throws Exception {
        Path storage = tmp.resolve("store");
        Recorder rec = new Recorder(storage);
        long segment = 1 << 20;
        rec.blockFileSize = segment;
        Files.createDirectories(storage);
        StorageJournal journal = StorageJournal.open(tmp.resolve("journal"), storage, segment, rec, 0);
        try (Running r = start(new CStoreScp(storage, Set.of(UID.MRImageStorage), null, rec, journal), storage)) {
            rec.events.clear(); // the journal's own directory, forced when its first segment was made
            CompletableFuture<DimseResponse> rsp = r.store("1.2.3.1", mr("1.2.3.1", 70_000));
            assertTrue(rec.blocked.await(20, TimeUnit.SECONDS), "no fdatasync of the journal: " + rec.events);
            Thread.sleep(300);
            assertFalse(rsp.isDone(), "answered before the journal's fdatasync completed");
            assertEquals(0, finalFiles(storage).size(), "renamed before the instance was durable in the journal");
            rec.release.countDown();
            assertEquals(Status.SUCCESS, rsp.get(20, TimeUnit.SECONDS).status());
            assertEquals(Status.SUCCESS, r.store("1.2.3.2", mr("1.2.3.2", 5000)).get(20, TimeUnit.SECONDS).status());
            // per instance one flush, of the journal, and nothing else before success
            assertEquals(List.of("file " + segment + " finals=0", "file " + segment + " finals=1"), rec.events);
            assertEquals(2, finalFiles(storage).size());
        } finally {
            rec.events.clear();
            journal.close();
        }
        // the checkpoint: each file, then its series, study and storage directories, then the journal segment freed
        Path series = storage.resolve(STUDY).resolve(SERIES);
        assertEquals(List.of("file " + Files.size(series.resolve("1.2.3.1.dcm")) + " finals=2",
                "file " + Files.size(series.resolve("1.2.3.2.dcm")) + " finals=2",
                "dir " + STUDY + "/" + SERIES + " finals=2", "dir " + STUDY + " finals=2", "dir  finals=2",
                "file " + segment + " finals=2"), rec.events);
    }

    @Test
    void seriesDirectoryRemovedBehindItsBackIsCreatedAndForcedAgain() throws Exception {
        Path storage = tmp.resolve("store");
        Recorder rec = new Recorder(storage);
        try (Running r = start(rec, storage)) {
            assertEquals(Status.SUCCESS, r.store("1.2.3.1", mr("1.2.3.1", 1000)).get(20, TimeUnit.SECONDS).status());
            Path seriesDir = storage.resolve(STUDY).resolve(SERIES);
            try (Stream<Path> s = Files.walk(storage.resolve(STUDY))) {
                for (Path p : s.sorted(Collections.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            rec.events.clear();
            assertEquals(Status.SUCCESS, r.store("1.2.3.2", mr("1.2.3.2", 1000)).get(20, TimeUnit.SECONDS).status());
            assertTrue(Files.isRegularFile(seriesDir.resolve("1.2.3.2.dcm")));
            assertTrue(rec.events.contains("dir  finals=0") && rec.events.contains("dir " + STUDY + " finals=0"),
                    rec.events.toString());
        }
    }

    @Test
    void aFailedDirectoryFsyncIsAFailureStatusAndLeavesNoTemporaryFile() throws Exception {
        Path storage = tmp.resolve("store");
        Recorder rec = new Recorder(storage);
        rec.failDirectory = new IOException("simulated EIO");
        try (Running r = start(rec, storage)) {
            DimseResponse rsp = r.store("1.2.3.1", mr("1.2.3.1", 1000)).get(20, TimeUnit.SECONDS);
            assertEquals(Status.OUT_OF_RESOURCES, rsp.status(), rsp.toString());
            try (Stream<Path> s = Files.list(storage)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
            }
        }
    }

    /**
     * Eight callers force the same directory while a first fsync is running: they wait for it, then share one more
     * fsync, started after all of them had called; none returns before an fsync that started after its call ended.
     */
    @Test
    void groupCommitSharesOneFsyncAmongWaitersAndNeverAnswersEarly() throws Exception {
        AtomicLong clock = new AtomicLong();
        List<long[]> fsyncs = new CopyOnWriteArrayList<>(); // {start, end}
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        CStoreScp.GroupDirectorySync sync = new CStoreScp.GroupDirectorySync(dir -> {
            long start = clock.incrementAndGet();
            if (count.incrementAndGet() == 1) {
                firstRunning.countDown();
                try {
                    releaseFirst.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            fsyncs.add(new long[] {start, clock.incrementAndGet()});
        });
        Path dir = tmp;
        List<long[]> calls = new CopyOnWriteArrayList<>(); // {called, returned}
        Thread first = new Thread(() -> force(sync, dir, clock, calls));
        first.start();
        assertTrue(firstRunning.await(20, TimeUnit.SECONDS));
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> force(sync, dir, clock, calls));
            waiters.add(t);
            t.start();
        }
        long end = System.currentTimeMillis() + 20_000;
        while (waiters.stream().anyMatch(t -> t.getState() != Thread.State.WAITING) && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        releaseFirst.countDown();
        first.join(20_000);
        for (Thread t : waiters) {
            t.join(20_000);
        }
        assertEquals(9, calls.size());
        assertEquals(2, fsyncs.size(), "the eight waiters should share one fsync");
        for (long[] c : calls) {
            assertTrue(fsyncs.stream().anyMatch(f -> f[0] > c[0] && f[1] < c[1]),
                    "a caller returned without an fsync that started after its call");
        }
    }

    @Test
    void groupCommitFailureReachesTheCallerAndTheNextCallerTriesAgain() throws Exception {
        AtomicInteger count = new AtomicInteger();
        CStoreScp.GroupDirectorySync sync = new CStoreScp.GroupDirectorySync(dir -> {
            if (count.incrementAndGet() == 1) {
                throw new IOException("simulated EIO");
            }
        });
        IOException e = assertThrows(IOException.class, () -> sync.force(tmp));
        assertEquals("simulated EIO", e.getMessage());
        sync.force(tmp);
        assertEquals(2, count.get());
    }

    private static void force(CStoreScp.GroupDirectorySync sync, Path dir, AtomicLong clock, List<long[]> calls) {
        long called = clock.incrementAndGet();
        try {
            sync.force(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        calls.add(new long[] {called, clock.incrementAndGet()});
    }
}
