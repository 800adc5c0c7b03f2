package org.lesionlink.dicom.net.dimse;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead journal that makes received instances durable with one {@code fdatasync} of a preallocated file,
 * instead of an fdatasync of each new file plus an fsync of its directory (measured on this project's disk: 0.28 to
 * 0.45 ms against 1.04 to 1.13 ms per 128 KB instance; docs/benchmarks.md, DICOM C-STORE round 5). The files still
 * get their final names before success is answered; what the journal takes over is making them durable.
 *
 * <p>{@link #append} writes a record (the file's path relative to the storage directory, its bytes, a CRC-32C) into
 * the active segment and returns once an fdatasync that started after the write has completed: from then on a crash,
 * even a power loss, cannot lose the instance. Segments are files of a fixed size, filled with zeros and synced when
 * created, so that fdatasync has only data blocks to flush (no block allocation, size or directory change).
 * Concurrent appends share fdatasyncs (group commit).
 *
 * <p><b>Checkpoints.</b> A segment is retired when it is full or, with records in it, after
 * {@value #IDLE_CHECKPOINT_MS} ms without an append. A background thread then waits until every instance of the
 * segment has been renamed to its final name ({@link Entry#close}), makes them durable by themselves (on Linux one
 * syncfs of the storage's file system; elsewhere each file and its series, study and storage directories forced),
 * and only then marks the segment free (its generation set to 0, synced), to be reused. A clean {@link #close}
 * checkpoints everything.
 *
 * <p><b>Replay.</b> {@link #open} replays what a crash left: every record of a segment that was not freed, in the
 * order the segments were activated, is written again to its path (temporary file, fdatasync, rename, directory
 * fsyncs), overwriting whatever the crash left there; then the segment is freed. Records carry the generation of the
 * segment's activation, so the stale records of an earlier use of the segment behind the last good record are told
 * apart from current ones; a torn record at the tail (a crash during its write, so never acknowledged) fails its CRC
 * and ends the scan.
 *
 * <p>One process owns a journal directory (a file lock); a second {@code open} on it is refused. Instances the
 * journal cannot hold (larger than a segment) and any time a segment cannot be created are left to the caller's
 * durable route ({@link #accepts}). An instance whose rename fails after its record was appended is answered with a
 * failure status by the SCP but will still be replayed after a crash (the sender's retry stores the same instance).
 */
public final class StorageJournal implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(StorageJournal.class);

    public static final long DEFAULT_SEGMENT_BYTES = 32L << 20;
    static final long IDLE_CHECKPOINT_MS = 1000;
    private static final long SEGMENT_MAGIC = 0x3147534c41574c4cL; // "LLWALSG1", little endian
    private static final int RECORD_MAGIC = 0x524a4c4c; // "LLJR"
    /** Segment header: magic, generation (0 = free), highest generation ever used in it, CRC-32C of the 24 bytes. */
    private static final int SEGMENT_HEADER = 28;
    /** Records start here, away from the header's page. */
    static final int RECORDS_START = 4096;
    /** Record header: magic, CRC-32C of everything after it, generation, path length, data length. */
    private static final int RECORD_HEADER = 24;
    private static final int MAX_PATH = 1024;

    private final Path dir;
    private final Path storage;
    private final long segmentBytes;
    private final CStoreScp.Durability durability;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final CStoreScp.GroupDirectorySync sync;
    private final ScheduledExecutorService checkpointer;
    private final int replayed;

    /** Guarded by {@code this}. */
    private final Deque<Segment> free = new ArrayDeque<>();
    private final List<Segment> all = new ArrayList<>();
    private Segment active;
    private long generation;
    private int nextSegmentNumber;
    private long lastAppendNanos;
    private long idleCheckpointNanos;
    private boolean closed;
    /** Until then {@link #accepts} says no (a segment could not be created, e.g. the disk is full). */
    private long unavailableUntilNanos;

    private static final class Segment {
        final Path path;
        final FileChannel ch;
        long generation;
        long highWater;
        long position = RECORDS_START;
        /** Appended records not yet renamed to their final names; guarded by the segment. */
        int pending;
        final Set<String> targets = new LinkedHashSet<>();

        Segment(Path path, FileChannel ch) {
            this.path = path;
            this.ch = ch;
        }
    }

    /** An appended, durable record; {@link #close} once its file has its final name (or could not get it). */
    public final class Entry implements AutoCloseable {
        private final Segment segment;
        private boolean closed;

        private Entry(Segment segment) {
            this.segment = segment;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (segment) {
                segment.pending--;
                segment.notifyAll();
            }
        }
    }

    private StorageJournal(Path dir, Path storage, long segmentBytes, CStoreScp.Durability durability,
            FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.storage = storage;
        this.segmentBytes = segmentBytes;
        this.durability = durability;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.sync = new CStoreScp.GroupDirectorySync(this::forceSegment);
        this.checkpointer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-journal");
            t.setDaemon(true);
            return t;
        });
        int n;
        try {
            n = recover();
        } catch (IOException e) {
            abandon();
            throw new UncheckedIOException(e);
        }
        this.replayed = n;
    }

    /** Opens (creating if needed) the journal in {@code dir} for files under {@code storage} and replays it. */
    public static StorageJournal open(Path dir, Path storage) throws IOException {
        return open(dir, storage, DEFAULT_SEGMENT_BYTES, CStoreScp.Durability.POSIX, IDLE_CHECKPOINT_MS);
    }

    /** @param idleCheckpointMs retire the active segment after this long without an append (0: only when full) */
    static StorageJournal open(Path dir, Path storage, long segmentBytes, CStoreScp.Durability durability,
            long idleCheckpointMs) throws IOException {
        if (segmentBytes < RECORDS_START * 2L || segmentBytes > (1L << 30)) {
            throw new IllegalArgumentException("segment size " + segmentBytes + " out of range 8 KiB to 1 GiB");
        }
        Path d = dir.toAbsolutePath();
        Files.createDirectories(d);
        FileChannel lc = FileChannel.open(d.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lc.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lc.close();
            throw new IOException("storage journal " + d + " is in use by another process (or server in this one)");
        }
        try {
            StorageJournal j = new StorageJournal(d, storage.toAbsolutePath(), segmentBytes, durability, lc, l);
            if (idleCheckpointMs > 0) {
                j.idleCheckpointNanos = TimeUnit.MILLISECONDS.toNanos(idleCheckpointMs);
                j.checkpointer.scheduleWithFixedDelay(j::checkpointIfIdle, idleCheckpointMs, idleCheckpointMs / 2,
                        TimeUnit.MILLISECONDS);
            }
            return j;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Whether a journal saves anything for {@code storage}: not on a file system in memory (tmpfs, ramfs), where
     * fsync flushes no device and a journal would only copy every instance once more.
     */
    public static boolean worthwhile(Path storage) throws IOException {
        Path p = storage.toAbsolutePath();
        while (!Files.exists(p)) {
            p = p.getParent();
        }
        String type = Files.getFileStore(p).type();
        return !type.equals("tmpfs") && !type.equals("ramfs");
    }

    /** Records replayed by {@link #open} (instances a crash left only in the journal). */
    public int replayed() {
        return replayed;
    }

    /** Whether a file of {@code length} bytes can go into the journal now. */
    public synchronized boolean accepts(long length) {
        return !closed && RECORDS_START + RECORD_HEADER + MAX_PATH + length <= segmentBytes
                && (unavailableUntilNanos == 0 || System.nanoTime() - unavailableUntilNanos > 0);
    }

    /**
     * Appends {@code file} (position to limit; not consumed) as the content of {@code relativePath} under the
     * storage directory, and returns once it is durable. The caller then gives the file its final name and closes
     * the entry.
     */
    public Entry append(String relativePath, ByteBuffer file) throws IOException {
        byte[] path = relativePath.getBytes(StandardCharsets.UTF_8);
        if (path.length == 0 || path.length > MAX_PATH) {
            throw new IllegalArgumentException("path of " + path.length + " bytes");
        }
        resolveInside(relativePath);
        ByteBuffer data = file.duplicate();
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER + path.length).order(ByteOrder.LITTLE_ENDIAN);
        long length = align(RECORD_HEADER + (long) path.length + data.remaining());
        Segment seg;
        synchronized (this) {
            if (closed) {
                throw new IOException("storage journal " + dir + " is closed");
            }
            if (active == null || active.position + length > segmentBytes) {
                activate(length);
            }
            seg = active;
            header.putInt(RECORD_MAGIC).putInt(0).putLong(seg.generation).putInt(path.length)
                    .putInt(data.remaining()).put(path).flip();
            CRC32C crc = new CRC32C();
            crc.update(header.duplicate().position(8));
            crc.update(data.duplicate());
            header.putInt(4, (int) crc.getValue());
            long pos = seg.position;
            // Under the lock: records are whole and in file order, so a torn record can only be the last one.
            seg.ch.position(pos);
            ByteBuffer[] bufs = {header, data};
            while (data.hasRemaining()) {
                seg.ch.write(bufs);
            }
            seg.position = pos + length;
            synchronized (seg) {
                seg.pending++;
            }
            seg.targets.add(relativePath);
            lastAppendNanos = System.nanoTime();
        }
        Entry e = new Entry(seg);
        try {
            sync.force(seg.path);
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** {@code relativePath} under the storage directory; refuses one that leads out of it. */
    private Path resolveInside(String relativePath) {
        Path target = storage.resolve(relativePath).normalize();
        if (!target.startsWith(storage) || target.equals(storage) || Path.of(relativePath).isAbsolute()) {
            throw new IllegalArgumentException("path outside the storage directory: " + relativePath);
        }
        return target;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    private void forceSegment(Path path) throws IOException {
        Segment s;
        synchronized (this) {
            s = all.stream().filter(x -> x.path.equals(path)).findFirst().orElseThrow();
        }
        durability.forceFile(s.ch);
    }

    /** Retires the active segment (if any) to a checkpoint and activates a free one; guarded by {@code this}. */
    private void activate(long needed) throws IOException {
        if (RECORDS_START + needed > segmentBytes) {
            throw new IOException("a record of " + needed + " bytes does not fit a journal segment");
        }
        retireActive();
        Segment next = free.pollFirst();
        if (next == null) {
            try {
                next = createSegment();
            } catch (IOException e) {
                unavailableUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                throw e;
            }
        }
        next.generation = ++generation;
        next.highWater = next.generation;
        next.position = RECORDS_START;
        // durable with the first record's fdatasync, which covers the whole file
        writeHeader(next);
        active = next;
    }

    private void retireActive() {
        Segment s = active;
        active = null;
        if (s != null) {
            checkpointer.execute(() -> checkpoint(s));
        }
    }

    private void checkpointIfIdle() {
        synchronized (this) {
            if (closed || active == null || active.position == RECORDS_START
                    || System.nanoTime() - lastAppendNanos < idleCheckpointNanos) {
                return;
            }
            retireActive();
        }
    }

    /**
     * Makes the files of a retired segment durable by themselves and frees it (on the checkpoint thread). On failure
     * the segment stays unfreed: its records are replayed at the next start.
     */
    private void checkpoint(Segment s) {
        try {
            synchronized (s) {
                while (s.pending > 0) {
                    s.wait();
                }
            }
            if (durability.forceFileSystem(storage)) {
                freeSegment(s);
                return;
            }
            Set<Path> dirs = new LinkedHashSet<>();
            for (String rel : s.targets) {
                Path f = storage.resolve(rel);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    durability.forceFile(ch);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // deleted or replaced since: nothing of this record left to keep
                }
                addDirectoriesOf(f, dirs);
            }
            for (Path d : dirs) {
                durability.forceDirectory(d);
            }
            freeSegment(s);
        } catch (IOException e) {
            log.warn("storage journal: checkpoint of {} failed ({}); its {} instance(s) stay journaled and are replayed"
                    + " at the next start", s.path.getFileName(), e.toString(), s.targets.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void freeSegment(Segment s) throws IOException {
        synchronized (this) {
            s.generation = 0;
            writeHeader(s);
        }
        durability.forceFile(s.ch);
        synchronized (this) {
            s.targets.clear();
            s.position = RECORDS_START;
            if ((free.size() < 2 || closed) && s.ch.size() == segmentBytes) {
                free.addLast(s);
            } else {
                dropSegment(s);
            }
        }
    }

    /** Closes and deletes a free segment. */
    private void dropSegment(Segment s) {
        all.remove(s);
        try {
            s.ch.close();
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            log.debug("dropping {}: {}", s.path, e.toString());
        }
    }

    private void writeHeader(Segment s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(SEGMENT_MAGIC).putLong(s.generation).putLong(s.highWater);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        b.putInt((int) crc.getValue()).flip();
        while (b.hasRemaining()) {
            s.ch.write(b, b.position()); // the header is at offset 0: file offset = buffer position
        }
    }

    /** The series, study and storage directories above {@code file}, whose entries a checkpoint must force. */
    private void addDirectoriesOf(Path file, Set<Path> dirs) {
        for (Path p = file.getParent(); p != null && p.startsWith(storage); p = p.getParent()) {
            dirs.add(p);
        }
    }

    /** A new segment, zero-filled and synced with its directory entry, so appends never allocate blocks. */
    private Segment createSegment() throws IOException {
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < 4 * segmentBytes) {
            // zero-filling would take space the instances need (and fill a nearly full disk for a moment)
            throw new IOException("only " + usable + " bytes free, a journal segment takes " + segmentBytes);
        }
        Path p = dir.resolve(String.format("segment-%06d.wal", nextSegmentNumber++));
        Path tmp = dir.resolve(p.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = 0; pos < segmentBytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), segmentBytes - pos));
                pos += ch.write(zeros, pos);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
        durability.forceDirectory(dir);
        Segment s = new Segment(p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE));
        all.add(s);
        return s;
    }

    /** At open: replays the segments a crash left unfreed, oldest activation first, then frees them. */
    private int recover() throws IOException {
        TreeMap<Long, Segment> used = new TreeMap<>();
        List<Path> paths;
        try (var st = Files.list(dir)) {
            paths = st.filter(p -> p.getFileName().toString().matches("segment-\\d{6}\\.wal(\\.tmp)?"))
                    .sorted(Comparator.naturalOrder()).toList();
        }
        for (Path p : paths) {
            String name = p.getFileName().toString();
            if (name.endsWith(".tmp")) {
                Files.delete(p); // a creation cut short: never used
                continue;
            }
            nextSegmentNumber = Math.max(nextSegmentNumber, Integer.parseInt(name.substring(8, 14)) + 1);
            Segment s = new Segment(p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE));
            if (!readHeader(s)) {
                s.ch.close();
                throw new IOException("journal segment " + p + " has a damaged header; move it away to start (the"
                        + " instances it held may have to be sent again)");
            }
            all.add(s);
            generation = Math.max(generation, s.highWater);
            if (s.generation != 0) {
                used.put(s.generation, s);
            } else {
                free.addLast(s);
            }
        }
        int n = 0;
        for (Segment s : used.values()) {
            n += replay(s);
            freeSegment(s);
        }
        if (n > 0) {
            log.info("storage journal: replayed {} instance(s) that the last stop left only in {}", n, dir);
        }
        for (Segment s : List.copyOf(free)) {
            if (s.ch.size() != segmentBytes) { // made with another segment size
                free.remove(s);
                dropSegment(s);
            }
        }
        if (free.isEmpty()) {
            try {
                free.add(createSegment());
            } catch (IOException e) {
                log.warn("storage journal: cannot create a segment in {} ({}); instances are stored without the"
                        + " journal for now", dir, e.toString());
            }
        }
        return n;
    }

    /**
     * Reads a segment's header; false when it is damaged. A zero header is a segment whose first activation never
     * became durable: free.
     */
    private boolean readHeader(Segment s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        s.ch.read(b, 0);
        b.flip();
        if (b.remaining() < SEGMENT_HEADER) {
            return false;
        }
        long magic = b.getLong(0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        if (magic != SEGMENT_MAGIC || b.getInt(24) != (int) crc.getValue()) {
            boolean zero = true;
            for (int i = 0; i < SEGMENT_HEADER; i++) {
                zero &= b.get(i) == 0;
            }
            if (zero) {
                s.generation = 0;
                s.highWater = 0;
                return true;
            }
            return false;
        }
        s.generation = b.getLong(8);
        s.highWater = b.getLong(16);
        return true;
    }

    /** Writes every current record of {@code s} to its file, durably; returns how many. */
    private int replay(Segment s) throws IOException {
        int n = 0;
        long pos = RECORDS_START;
        Set<Path> dirs = new LinkedHashSet<>();
        ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        long size = s.ch.size();
        while (pos + RECORD_HEADER <= size) {
            h.clear();
            readFully(s.ch, h, pos);
            int magic = h.getInt(0);
            int pathLen = h.getInt(16);
            int dataLen = h.getInt(20);
            if (magic != RECORD_MAGIC || h.getLong(8) != s.generation || pathLen <= 0 || pathLen > MAX_PATH
                    || dataLen < 0 || pos + RECORD_HEADER + pathLen + (long) dataLen > size) {
                break; // the end of this activation's records
            }
            ByteBuffer body = ByteBuffer.allocate(pathLen + dataLen);
            readFully(s.ch, body, pos + RECORD_HEADER);
            CRC32C crc = new CRC32C();
            crc.update(h.array(), 8, RECORD_HEADER - 8);
            crc.update(body.array(), 0, body.capacity());
            if ((int) crc.getValue() != h.getInt(4)) {
                break; // torn: written when the process died, never acknowledged
            }
            String rel = new String(body.array(), 0, pathLen, StandardCharsets.UTF_8);
            Path target;
            try {
                target = resolveInside(rel);
            } catch (IllegalArgumentException e) {
                throw new IOException("journal segment " + s.path + ": " + e.getMessage());
            }
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(".replay-" + target.getFileName() + ".part");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer data = ByteBuffer.wrap(body.array(), pathLen, dataLen);
                while (data.hasRemaining()) {
                    out.write(data);
                }
                durability.forceFile(out);
            }
            CStoreScp.rename(tmp, target);
            addDirectoriesOf(target, dirs);
            n++;
            pos += align(RECORD_HEADER + (long) pathLen + dataLen);
        }
        for (Path d : dirs) {
            durability.forceDirectory(d);
        }
        return n;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                break;
            }
        }
        b.flip();
    }

    /** Checkpoints every segment in use, so nothing is left to replay, and gives up the directory. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            retireActive();
        }
        checkpointer.shutdown();
        try {
            if (!checkpointer.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("storage journal: checkpoint did not finish in 60 s; the rest is replayed at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Segment s : all) {
                try {
                    s.ch.close();
                } catch (IOException e) {
                    log.debug("closing {}: {}", s.path, e.toString());
                }
            }
        }
        release();
    }

    /** Stops without a checkpoint, as a crash would (files left as they are): for tests, and a failed open. */
    void abandon() {
        checkpointer.shutdownNow();
        synchronized (this) {
            closed = true;
            for (Segment s : all) {
                try {
                    s.ch.close();
                } catch (IOException e) {
                    // as a crash would
                }
            }
        }
        release();
    }

    private void release() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.debug("releasing the journal lock: {}", e.toString());
        }
    }
}
