package org.lesionlink.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StorageJournal}: what a crash leaves is replayed, and only that. A "crash" is {@link StorageJournal#abandon}
 * (no checkpoint) plus deleting the files the journal made durable, as a power loss may lose files that were renamed
 * but never forced.
 */
@Timeout(120)
class StorageJournalTest {

    @TempDir
    Path tmp;

    static final long SEGMENT = 256 << 10;

    StorageJournal open() throws IOException {
        return StorageJournal.open(tmp.resolve("journal"), tmp.resolve("storage"), SEGMENT,
                CStoreScp.Durability.POSIX, 0);
    }

    /** Appends {@code bytes} as {@code rel} and gives the file its name, as the SCP does. */
    static void store(StorageJournal j, Path storage, String rel, byte[] bytes) throws IOException {
        try (StorageJournal.Entry e = j.append(rel, ByteBuffer.wrap(bytes))) {
            Path f = storage.resolve(rel);
            Files.createDirectories(f.getParent());
            Files.write(f, bytes);
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<Path> files(Path storage) throws IOException {
        try (Stream<Path> s = Files.walk(storage)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void filesLostInACrashAreWrittenBackFromTheJournal() throws Exception {
        Path storage = tmp.resolve("storage");
        Map<String, byte[]> stored = new java.util.LinkedHashMap<>();
        StorageJournal j = open();
        assertEquals(0, j.replayed());
        for (int i = 0; i < 5; i++) {
            String rel = "study/series/" + i + ".dcm";
            stored.put(rel, random(1000 + 7 * i, i));
            store(j, storage, rel, stored.get(rel));
        }
        j.abandon();
        for (Path f : files(storage)) {
            Files.delete(f);
        }
        try (StorageJournal again = open()) {
            assertEquals(5, again.replayed());
            for (Map.Entry<String, byte[]> e : stored.entrySet()) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(storage.resolve(e.getKey())), e.getKey());
            }
            assertEquals(5, files(storage).size(), "no temporary file left: " + files(storage));
        }
        // replayed segments were freed: a third start has nothing to do
        try (StorageJournal third = open()) {
            assertEquals(0, third.replayed());
        }
    }

    @Test
    void afterACheckpointNothingIsReplayedAndDeletedFilesStayDeleted() throws Exception {
        Path storage = tmp.resolve("storage");
        try (StorageJournal j = open()) {
            store(j, storage, "a/b/1.dcm", random(3000, 1));
        }
        Files.delete(storage.resolve("a/b/1.dcm"));
        try (StorageJournal j = open()) {
            assertEquals(0, j.replayed());
        }
        assertFalse(Files.exists(storage.resolve("a/b/1.dcm")));
    }

    @Test
    void theLaterRecordOfAPathWinsAcrossSegments() throws Exception {
        Path storage = tmp.resolve("storage");
        StorageJournal j = open();
        byte[] last = null;
        // 40 KB records in 256 KB segments: five segments' worth, the same path in every one
        for (int i = 0; i < 30; i++) {
            last = random(40_000, 100 + i);
            store(j, storage, "s/x/same.dcm", last);
            store(j, storage, "s/x/" + i + ".dcm", random(1000, i));
        }
        j.abandon();
        Files.delete(storage.resolve("s/x/same.dcm"));
        try (StorageJournal again = open()) {
            assertTrue(again.replayed() >= 1, "the last segment, at least, was not checkpointed");
            assertArrayEquals(last, Files.readAllBytes(storage.resolve("s/x/same.dcm")));
        }
    }

    @Test
    void aTornLastRecordIsNotReplayedAndTheOnesBeforeItAre() throws Exception {
        Path storage = tmp.resolve("storage");
        StorageJournal j = open();
        store(j, storage, "s/x/1.dcm", random(5000, 1));
        store(j, storage, "s/x/2.dcm", random(5000, 2));
        store(j, storage, "s/x/3.dcm", random(5000, 3));
        j.abandon();
        for (Path f : files(storage)) {
            Files.delete(f);
        }
        // the third record's last byte never reached the disk
        Path segment = onlySegmentInUse();
        long lastByte = StorageJournal.RECORDS_START + 2 * aligned(24 + 9 + 5000) + 24 + 9 + 5000 - 1;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, lastByte);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x5a)}), lastByte);
        }
        try (StorageJournal again = open()) {
            assertEquals(2, again.replayed());
        }
        assertEquals(List.of(storage.resolve("s/x/1.dcm"), storage.resolve("s/x/2.dcm")), files(storage));
    }

    @Test
    void recordsOfAnEarlierUseOfASegmentAreNotReplayed() throws Exception {
        Path storage = tmp.resolve("storage");
        try (StorageJournal j = open()) {
            for (int i = 0; i < 5; i++) {
                store(j, storage, "old/x/" + i + ".dcm", random(20_000, i));
            }
        } // checkpointed: the segment is free again, its five records still in its bytes
        StorageJournal j = open();
        // as long as each old record, so the old second record starts right behind it, whole and with a good CRC
        store(j, storage, "new/x/0.dcm", random(20_000, 9));
        j.abandon();
        for (Path f : files(storage)) {
            Files.delete(f);
        }
        try (StorageJournal again = open()) {
            assertEquals(1, again.replayed());
        }
        assertEquals(List.of(storage.resolve("new/x/0.dcm")), files(storage));
    }

    @Test
    void concurrentAppendsAreAllDurable() throws Exception {
        Path storage = tmp.resolve("storage");
        Map<String, byte[]> stored = new ConcurrentHashMap<>();
        StorageJournal j = open();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String rel = "c/t" + thread + "/" + i + ".dcm";
                        byte[] b = random(3000 + i * 100, thread * 1000L + i);
                        stored.put(rel, b);
                        store(j, storage, rel, b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        j.abandon();
        // a crash that lost every file the checkpoints had not forced yet: those still in a segment in use
        try (StorageJournal again = open()) {
            assertTrue(again.replayed() > 0);
            for (Map.Entry<String, byte[]> e : stored.entrySet()) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(storage.resolve(e.getKey())), e.getKey());
            }
        }
    }

    @Test
    void oneOwnerPerDirectoryPathsStayInsideTheStorageAndBigFilesAreLeftToTheCaller() throws Exception {
        try (StorageJournal j = open()) {
            IOException e = assertThrows(IOException.class, this::open);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> j.append("../escape.dcm", ByteBuffer.allocate(10)));
            assertThrows(IllegalArgumentException.class, () -> j.append("/etc/x.dcm", ByteBuffer.allocate(10)));
            assertTrue(j.accepts(100_000));
            assertFalse(j.accepts(SEGMENT));
        }
        try (StorageJournal j = open()) {
            assertEquals(0, j.replayed()); // the lock went with the first
        }
    }

    @Test
    void aDamagedSegmentHeaderStopsTheStartWithItsName() throws Exception {
        open().close();
        Path segment;
        try (Stream<Path> s = Files.list(tmp.resolve("journal"))) {
            segment = s.filter(p -> p.toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
        }
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().contains(segment.getFileName().toString()) && e.getMessage().contains("damaged"),
                e.getMessage());
    }

    /** On Linux a checkpoint is one syncfs (coreutils' sync -f), not a flush per file; CI runs on Linux. */
    @Test
    void posixCheckpointsSyncTheWholeFileSystemOnLinux() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
                && org.lesionlink.testing.Peers.findCommand("sync").isPresent(), "Linux with coreutils' sync");
        assertTrue(CStoreScp.Durability.POSIX.forceFileSystem(tmp));
        IOException e = assertThrows(IOException.class,
                () -> CStoreScp.Durability.POSIX.forceFileSystem(tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("sync -f"), e.getMessage());
    }

    private Path onlySegmentInUse() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("journal"))) {
            List<Path> segs = s.filter(p -> p.toString().endsWith(".wal")).toList();
            assertEquals(1, segs.size(), segs.toString());
            return segs.get(0);
        }
    }

    private static long aligned(long n) {
        return (n + 7) & ~7L;
    }
}
