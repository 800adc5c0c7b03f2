package org.lesionlink.dicom.net.dimse;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.io.DicomFile;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage SOP classes as SCP (PS3.4 Annex B) that answers success only for an instance that is durable on disk.
 *
 * <ol>
 *   <li>When the C-STORE-RQ command arrives, a temporary file {@code .incoming-*.part} is created in the storage
 *       directory and the PS3.10 header (preamble, "DICM", File Meta Information with the SOP class and instance of
 *       the command, the context's transfer syntax, LesionLink's implementation identification and the calling AE as
 *       Source Application Entity Title) is written.</li>
 *   <li>Each data set fragment is written behind it as it arrives (straight from the network buffers, no copy in
 *       Java), so an instance is never held in memory as a whole.</li>
 *   <li>When the data set is complete, the file is parsed back (every element checked; only the four UIDs below
 *       copied); it must hold SOP Class, SOP Instance (both equal to the command's), Study and Series Instance
 *       UIDs.</li>
 *   <li>{@code FileChannel.force(false)} (fdatasync: data, size and block map), atomic rename to
 *       {@code <storage>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm} (UIDs made safe for paths;
 *       an existing file of the same instance is replaced), then the series directory is forced too. Directory
 *       fsyncs are group-committed: instances renamed into the same series directory by several associations at once
 *       share one fsync that started after all their renames. Only after the fsync covering the instance's own rename
 *       has completed is the listener told and success answered.</li>
 *   <li>With a {@link StorageJournal} (what {@code serve} and {@code storescp} use), step 4 is instead: the file's
 *       bytes (already in memory from step 3) are appended to the journal, which returns once they are durable there
 *       (one fdatasync of a preallocated file, shared by concurrent associations), then the file is renamed to its
 *       final name without fsyncs, and the listener is told and success answered. The journal's checkpoint makes the
 *       file and its directories durable by themselves later, and replays the journal after a crash. Instances the
 *       journal cannot take (larger than a segment, no segment while the disk is nearly full) go the route above.</li>
 * </ol>
 * The first time this SCP stores into a series directory it creates it and forces the storage and study
 * directories, so that the chain of names down to the series directory is durable; it then remembers the series
 * directory (the most recent {@value #KNOWN_SERIES_DIRECTORIES}), and later instances of the series skip those
 * checks. Every caller that did not find the directory remembered forces the parents itself, so an instance stored
 * by a second association while the first is still creating the directory never answers before the chain is
 * durable. A remembered directory that was removed meanwhile makes the rename fail; it is then forgotten and
 * created again.
 * Failures answer with a failure status, never success: 0xA700 (out of resources) when the disk fails, the data
 * set exceeds the size limit or the study would exceed its {@link StudyLimits} (checked after parsing, before the
 * rename; the temporary file is deleted), 0xC000 (cannot understand) for a data set that does not parse, 0xA900 (data set does
 * not match SOP class) for missing or contradicting UIDs. On abort or a lost connection the temporary file is
 * deleted.
 */
public final class CStoreScp implements DicomService {

    private static final Logger log = LoggerFactory.getLogger(CStoreScp.class);

    private final Path storage;
    private final Set<String> sopClasses;
    private final InstanceStoredListener listener;
    private final Durability durability;
    private final GroupDirectorySync dirSync;
    private final StorageJournal journal;
    static final int KNOWN_SERIES_DIRECTORIES = 1024;
    /** Series directories whose names down from the storage directory are durable (access order, bounded). */
    private final Map<Path, Boolean> knownSeriesDirs = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
                    return size() > KNOWN_SERIES_DIRECTORIES;
                }
            });

    /**
     * The two flushes durability takes; a seam for tests, which record their order against the renames and the
     * responses.
     */
    interface Durability {
        /** Makes a written file's data (and the metadata needed to read it back) durable. */
        void forceFile(FileChannel ch) throws IOException;

        /** Makes a directory's entries durable. */
        void forceDirectory(Path dir) throws IOException;

        /**
         * Makes everything written to the file system holding {@code dir} durable at once, where the platform can;
         * false when it cannot (the caller then forces each file and directory).
         */
        default boolean forceFileSystem(Path dir) throws IOException {
            return false;
        }

        Durability POSIX = new Durability() {
            /** Whether coreutils' {@code sync -f} (syncfs(2), Linux) worked; null until first tried. */
            private volatile Boolean syncfs;

            @Override
            public void forceFile(FileChannel ch) throws IOException {
                // fdatasync: the data and the metadata needed to read it back (size, block map; fdatasync(2): "a
                // change to the file size ... would require a metadata flush"); timestamps are not needed. The name is
                // made durable by the rename and the directory fsync.
                ch.force(false);
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                CStoreScp.forceDirectory(dir);
            }

            /**
             * syncfs(2) through coreutils' {@code sync -f} (the JDK has no call for it): one flush of the device for
             * all the files of a journal segment, where forcing each costs a flush apiece (the checkpoint would
             * double the device's work per instance). A failure after it worked once is an error, not a fallback.
             */
            @Override
            public boolean forceFileSystem(Path dir) throws IOException {
                if (Boolean.FALSE.equals(syncfs)) {
                    return false;
                }
                int rc;
                try {
                    Process p = new ProcessBuilder("sync", "-f", dir.toString()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    rc = p.waitFor();
                } catch (IOException e) {
                    rc = -1; // no sync command
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while syncing " + dir);
                }
                if (rc == 0) {
                    syncfs = true;
                    return true;
                }
                if (syncfs == null) {
                    syncfs = false; // not Linux coreutils: force file by file
                    return false;
                }
                throw new IOException("sync -f " + dir + " failed with exit code " + rc);
            }
        };
    }

    private final StudyLimits studyLimits;
    /** What each study seen since start holds on disk (counted from its directory when first seen). */
    private final java.util.Map<String, Usage> usage = new java.util.concurrent.ConcurrentHashMap<>();

    /** Instances and bytes of one study; guarded by itself. */
    private static final class Usage {
        int instances;
        long bytes;
    }

    /**
     * @param storage the storage directory (created if missing)
     * @param sopClasses the classes registered for; the registry's storage fallback can route others here
     * @param listener told about each durable instance, or {@code null}
     */
    public CStoreScp(Path storage, Set<String> sopClasses, InstanceStoredListener listener) throws IOException {
        this(storage, sopClasses, listener, StudyLimits.NONE);
    }

    /** @param studyLimits what one study may hold; instances beyond are refused with 0xA700 */
    public CStoreScp(Path storage, Set<String> sopClasses, InstanceStoredListener listener, StudyLimits studyLimits)
            throws IOException {
        this(storage, sopClasses, listener, studyLimits, null);
    }

    /**
     * @param journal makes instances durable in its place (one fdatasync per instance instead of a file and a
     *     directory fsync), or {@code null}; opened on this storage directory by the caller, who closes it after the
     *     server
     */
    public CStoreScp(Path storage, Set<String> sopClasses, InstanceStoredListener listener, StudyLimits studyLimits,
            StorageJournal journal) throws IOException {
        this(storage, sopClasses, listener, studyLimits, Durability.POSIX, journal);
    }

    CStoreScp(Path storage, Set<String> sopClasses, InstanceStoredListener listener, Durability durability,
            StorageJournal journal) throws IOException {
        this(storage, sopClasses, listener, StudyLimits.NONE, durability, journal);
    }

    private CStoreScp(Path storage, Set<String> sopClasses, InstanceStoredListener listener, StudyLimits studyLimits,
            Durability durability, StorageJournal journal)
            throws IOException {
        this.storage = Objects.requireNonNull(storage, "storage").toAbsolutePath();
        this.sopClasses = Set.copyOf(sopClasses);
        this.listener = listener;
        this.durability = Objects.requireNonNull(durability, "durability");
        this.dirSync = new GroupDirectorySync(durability::forceDirectory);
        this.studyLimits = Objects.requireNonNull(studyLimits, "studyLimits");
        this.journal = journal;
        Files.createDirectories(this.storage);
    }

    public Path storage() {
        return storage;
    }

    /**
     * Deletes the temporary files that associations of an earlier process left in {@code storage} (a crash while
     * an instance was arriving: it was never acknowledged, so the sender still has it). Call before serving, and
     * only when no other process stores into {@code storage} (its files in flight would go too): {@code serve}, which
     * owns its storage, does; the standalone {@code storescp} command does not. Returns how many were deleted.
     */
    public static int deleteStaleTemporaryFiles(Path storage) throws IOException {
        if (!Files.isDirectory(storage)) {
            return 0;
        }
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(storage, ".incoming-*.part")) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public Set<String> sopClasses() {
        return sopClasses;
    }

    @Override
    public DataSetSink openDataSet(Association as, PresentationContext pc, Attributes rq) throws IOException {
        String cuid = rq.getString(Tag.AffectedSOPClassUID);
        String iuid = rq.getString(Tag.AffectedSOPInstanceUID);
        if (cuid == null || iuid == null) {
            throw new DicomServiceException(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "C-STORE-RQ without Affected SOP Class/Instance UID");
        }
        Attributes meta = DicomWriter.fileMetaInformation(cuid, iuid, pc.transferSyntax());
        String calling = as.callingAeTitle();
        if (calling != null) {
            meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, calling);
        }
        Path tmp = storage.resolve(".incoming-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        FileSink sink;
        try {
            // The header goes to disk with the first fragments, in one gathering write.
            ByteArrayOutputStream header = new ByteArrayOutputStream(512);
            DicomWriter.writeFileHeader(header, meta);
            sink = new FileSink(tmp, ByteBuffer.wrap(header.toByteArray()));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the file was never created, or the directory is gone: nothing to clean
            }
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "cannot create a file: " + e.getMessage(), e);
        }
        return sink;
    }

    @Override
    public void onRequest(Association as, PresentationContext pc, Attributes rq, DataSetSink data, Attributes rsp)
            throws IOException {
        if (!(data instanceof FileSink f)) {
            throw new DicomServiceException(Status.CANNOT_UNDERSTAND, "C-STORE-RQ without data set");
        }
        try {
            store(as, pc, rq, f);
        } finally {
            f.discard();
        }
    }

    private void store(Association as, PresentationContext pc, Attributes rq, FileSink f) throws IOException {
        if (f.error != null) {
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "write failed: " + f.error.getMessage(), f.error);
        }
        boolean journaled;
        try {
            f.writeHeaderIfPending(); // a data set of zero bytes: only the header
            journaled = journal != null && journal.accepts(f.written);
            if (!journaled) {
                durability.forceFile(f.ch);
            }
        } catch (IOException e) {
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "write failed: " + e.getMessage(), e);
        }
        ByteBuffer bytes;
        DicomFile df;
        try {
            bytes = readBack(f);
            df = new DicomReader().read(bytes.duplicate(), f.path.toString(), UIDS_NEEDED);
        } catch (DicomException e) {
            throw new DicomServiceException(Status.CANNOT_UNDERSTAND, "unparsable data set: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "cannot read back: " + e.getMessage(), e);
        }
        Attributes ds = df.dataset();
        String cuid = rq.getString(Tag.AffectedSOPClassUID);
        String iuid = rq.getString(Tag.AffectedSOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID);
        String series = ds.getString(Tag.SeriesInstanceUID);
        if (!iuid.equals(ds.getString(Tag.SOPInstanceUID))) {
            throw new DicomServiceException(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Instance UID of the data set is missing or differs from the command's");
        }
        if (!cuid.equals(ds.getString(Tag.SOPClassUID))) {
            throw new DicomServiceException(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Class UID of the data set is missing or differs from the command's");
        }
        if (study == null || study.isBlank() || series == null || series.isBlank()) {
            throw new DicomServiceException(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "Study or Series Instance UID missing");
        }
        Path target;
        Runnable undo = reserve(study, series, iuid, f.path);
        try {
            target = journaled ? moveJournaled(f, bytes, study, series, iuid) : null;
            if (target == null) {
                if (journaled) {
                    durability.forceFile(f.ch); // the journal refused it: the durable route of its own
                }
                target = moveDurably(f, study, series, iuid);
            }
        } catch (IOException e) {
            undo.run();
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "cannot store: " + e.getMessage(), e);
        }
        log.debug("{}: stored {}", as, target);
        if (listener != null) {
            try {
                listener.instanceStored(new StoredInstance(target, study, series, iuid, cuid, pc.transferSyntax(),
                        as.callingAeTitle(), as.calledAeTitle(), f.written));
            } catch (RuntimeException e) {
                log.warn("instance-stored listener failed for {}", target, e);
            }
        }
    }

    /**
     * Counts the instance against its study's {@link StudyLimits}, or refuses it with 0xA700. The reservation is taken
     * before the rename (so concurrent associations cannot both pass the last free slot) and given back by the
     * returned action when storing fails.
     */
    private Runnable reserve(String study, String series, String iuid, Path tmp) throws IOException {
        if (studyLimits.equals(StudyLimits.NONE)) {
            return () -> { };
        }
        long size = Files.size(tmp);
        Path existing = storage.resolve(safeName(study)).resolve(safeName(series)).resolve(safeName(iuid) + ".dcm");
        long replaced = Files.isRegularFile(existing) ? Files.size(existing) : -1;
        int addInstances = replaced < 0 ? 1 : 0;
        long addBytes = size - Math.max(0, replaced);
        Usage u;
        try {
            u = usage.computeIfAbsent(study, s -> countOnDisk(storage.resolve(safeName(s))));
        } catch (java.io.UncheckedIOException e) {
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, e.getMessage(), e.getCause());
        }
        synchronized (u) {
            if (u.instances + addInstances > studyLimits.maxInstances()) {
                log.warn("study {}: refusing instance {}: the study holds {} instances, the limit is {}", study, iuid,
                        u.instances, studyLimits.maxInstances());
                throw new DicomServiceException(Status.OUT_OF_RESOURCES,
                        "study instance limit reached (" + studyLimits.maxInstances() + " instances)");
            }
            if (u.bytes + addBytes > studyLimits.maxBytes()) {
                log.warn("study {}: refusing instance {} of {} bytes: the study holds {} bytes, the limit is {}", study,
                        iuid, size, u.bytes, studyLimits.maxBytes());
                throw new DicomServiceException(Status.OUT_OF_RESOURCES,
                        "study size limit reached (" + studyLimits.maxBytes() + " bytes)");
            }
            u.instances += addInstances;
            u.bytes += addBytes;
        }
        return () -> {
            synchronized (u) {
                u.instances -= addInstances;
                u.bytes -= addBytes;
            }
        };
    }

    /** The .dcm files under a study directory (none when it does not exist yet). */
    private static Usage countOnDisk(Path studyDir) {
        Usage u = new Usage();
        if (!Files.isDirectory(studyDir)) {
            return u;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(studyDir)) {
            for (Path p : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".dcm"))::iterator) {
                u.instances++;
                u.bytes += Files.size(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot count the stored instances of " + studyDir, e);
        }
        return u;
    }

    /** The four UIDs the SCP needs from a data set; the parse back checks every element but copies only these. */
    private static final java.util.function.IntPredicate UIDS_NEEDED = tag -> tag == Tag.SOPClassUID
            || tag == Tag.SOPInstanceUID || tag == Tag.StudyInstanceUID || tag == Tag.SeriesInstanceUID;
    /** Read-back buffers up to this size stay with their worker thread; larger files get one of their own. */
    static final int KEPT_READ_BUFFER = 2 << 20;
    private static final ThreadLocal<ByteBuffer> READ_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 * 1024));

    /**
     * Reads the written file back through its own channel (no second open) into the worker's reusable direct
     * buffer (a heap array would cost the JDK's copy through a temporary direct buffer too), to be parsed (every
     * element checked as {@link DicomReader#read(Path)} checks it, only {@link #UIDS_NEEDED} copied) and journaled:
     * a 128 KB image costs no new 128 KB array per instance.
     */
    private static ByteBuffer readBack(FileSink f) throws IOException {
        long size = f.ch.size();
        if (size > Integer.MAX_VALUE - 64) {
            throw new DicomException(f.path.toString(), -1, "file of " + size + " bytes is too long to parse back");
        }
        int n = (int) size;
        ByteBuffer bb = READ_BUFFER.get();
        if (bb.capacity() < n) {
            bb = n <= KEPT_READ_BUFFER ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
            if (n <= KEPT_READ_BUFFER) {
                READ_BUFFER.set(bb);
            }
        }
        bb.clear();
        while (bb.position() < n) {
            // at most 1 MiB per read: the JDK reads into a heap buffer through a temporary direct buffer of the
            // read's size, which it keeps per thread
            bb.limit(Math.min(n, bb.position() + (1 << 20)));
            if (f.ch.read(bb, bb.position()) < 0) {
                throw new DicomException(f.path.toString(), bb.position(), "file shrank while being read back");
            }
        }
        return bb.flip();
    }

    /**
     * Appends the file to the journal (durable on return), then gives it its final name, with no fsync: the journal's
     * checkpoint forces the file and its directories later. Returns {@code null} when the journal could not take it.
     */
    private Path moveJournaled(FileSink f, ByteBuffer bytes, String study, String series, String iuid)
            throws IOException {
        String rel = safeName(study) + "/" + safeName(series) + "/" + safeName(iuid) + ".dcm";
        StorageJournal.Entry entry;
        try {
            entry = journal.append(rel, bytes);
        } catch (IOException e) {
            log.warn("storage journal: {}; storing {} without it", e.getMessage(), iuid);
            return null;
        }
        try (entry) {
            Path target = storage.resolve(rel);
            try {
                rename(f.path, target);
            } catch (NoSuchFileException e) {
                if (!Files.exists(f.path)) {
                    throw e;
                }
                Files.createDirectories(target.getParent());
                rename(f.path, target);
            }
            f.renamed = true;
            return target;
        }
    }

    private Path moveDurably(FileSink f, String study, String series, String iuid) throws IOException {
        Path tmp = f.path;
        Path studyDir = storage.resolve(safeName(study));
        Path seriesDir = studyDir.resolve(safeName(series));
        Path target = seriesDir.resolve(safeName(iuid) + ".dcm");
        if (knownSeriesDirs.get(seriesDir) == null) {
            makeSeriesDirectory(studyDir, seriesDir);
        }
        try {
            rename(tmp, target);
        } catch (NoSuchFileException e) {
            if (!Files.exists(tmp)) {
                throw e;
            }
            knownSeriesDirs.remove(seriesDir); // removed behind our back: create it again
            makeSeriesDirectory(studyDir, seriesDir);
            rename(tmp, target);
        }
        f.renamed = true; // nothing left to delete under the temporary name, whatever happens next
        dirSync.force(seriesDir);
        return target;
    }

    /**
     * Creates the series directory (and the study directory) if missing and makes the names down to it durable:
     * fsync of the storage directory and of the study directory, group-committed with other callers. Then remembers
     * it.
     */
    private void makeSeriesDirectory(Path studyDir, Path seriesDir) throws IOException {
        Files.createDirectories(seriesDir);
        dirSync.force(storage);
        dirSync.force(studyDir);
        knownSeriesDirs.put(seriesDir, Boolean.TRUE);
    }

    /** Atomic rename, replacing the target (a plain move where the file system cannot do it atomically). */
    static void rename(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** fsync of a directory, so that a rename or a new entry in it survives a crash (POSIX; a no-op where refused). */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException e) {
            // platforms that cannot open directories (Windows): rename durability is the file system's
        }
    }

    /**
     * Group commit of directory fsyncs. {@link #force} returns only after an fsync of {@code dir} that started after
     * the call began, so a rename made before the call is durable when it returns. Callers that arrive while an fsync
     * of the same directory runs wait for it to end and then share one further fsync (whoever comes first runs it for
     * all that are waiting): with several associations storing into the same series, one directory fsync covers
     * several renames, and no caller answers before the fsync covering its own rename has completed.
     */
    static final class GroupDirectorySync {
        private static final class Dir {
            final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
            final java.util.concurrent.locks.Condition done = lock.newCondition();
            long requested;
            long completed;
            boolean running;
            int users;
        }

        /** The fsync itself. */
        interface DirectoryForce {
            void force(Path dir) throws IOException;
        }

        private final java.util.Map<Path, Dir> dirs = new java.util.HashMap<>();
        private final DirectoryForce fsync;

        GroupDirectorySync(DirectoryForce fsync) {
            this.fsync = fsync;
        }

        void force(Path dir) throws IOException {
            Dir d;
            synchronized (dirs) {
                d = dirs.computeIfAbsent(dir, k -> new Dir());
                d.users++;
            }
            try {
                d.lock.lock();
                try {
                    long ticket = ++d.requested;
                    while (d.completed < ticket) {
                        if (d.running) {
                            d.done.awaitUninterruptibly();
                            continue;
                        }
                        d.running = true;
                        long covers = d.requested; // every caller with a ticket <= covers renamed before this point
                        boolean ok = false;
                        d.lock.unlock();
                        try {
                            fsync.force(dir);
                            ok = true;
                        } finally {
                            d.lock.lock();
                            d.running = false;
                            if (ok) {
                                d.completed = Math.max(d.completed, covers);
                            }
                            d.done.signalAll(); // after a failure a waiter runs its own fsync (and meets its own error)
                        }
                    }
                } finally {
                    d.lock.unlock();
                }
            } finally {
                synchronized (dirs) {
                    if (--d.users == 0) {
                        dirs.remove(dir);
                    }
                }
            }
        }
    }

    /**
     * A UID as a file or directory name: characters other than letters, digits, '.', '-' and '_' become '_', at
     * most 128 characters, never "", "." or "..". UIDs (digits and dots) pass unchanged.
     */
    public static String safeName(String uid) {
        StringBuilder b = new StringBuilder(Math.min(uid.length(), 128));
        for (int i = 0; i < uid.length() && b.length() < 128; i++) {
            char c = uid.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.'
                    || c == '-' || c == '_';
            b.append(ok ? c : '_');
        }
        String s = b.toString();
        if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) {
            return "_" + s;
        }
        return s;
    }

    /** The temporary file a data set streams into, behind its PS3.10 header. */
    private static final class FileSink implements DataSetSink {
        final Path path;
        final FileChannel ch;
        IOException error;
        /** Bytes in the file. */
        long written;
        /** Set once the file has its final name: {@link #discard} then has nothing to delete. */
        boolean renamed;
        /** The header, until it goes out with the first fragments. */
        private ByteBuffer header;
        private boolean discarded;

        FileSink(Path path, ByteBuffer header) throws IOException {
            this.path = path;
            this.header = header;
            // READ too: the file is parsed back through this channel after it is forced
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        }

        /**
         * Writes the fragment(s) (a composite buffer when the association batched several), with the header before
         * the first, in one gathering write where the channel takes it all at once.
         */
        @Override
        public void write(ByteBuf fragment) throws IOException {
            if (error != null || discarded) {
                return;
            }
            ByteBuffer[] bufs = fragment.nioBuffers();
            if (header != null) {
                ByteBuffer[] b = new ByteBuffer[bufs.length + 1];
                b[0] = header;
                System.arraycopy(bufs, 0, b, 1, bufs.length);
                bufs = b;
                header = null;
            }
            writeFully(bufs);
        }

        void writeHeaderIfPending() throws IOException {
            if (header != null) {
                ByteBuffer h = header;
                header = null;
                writeFully(new ByteBuffer[] {h});
            }
        }

        private void writeFully(ByteBuffer[] bufs) throws IOException {
            try {
                int first = 0;
                while (first < bufs.length) {
                    written += ch.write(bufs, first, bufs.length - first);
                    while (first < bufs.length && !bufs[first].hasRemaining()) {
                        first++;
                    }
                }
            } catch (IOException e) {
                error = e;
                throw e;
            }
        }

        @Override
        public void abort() {
            discard();
        }

        void closeChannel() {
            try {
                ch.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", path, e.toString());
            }
        }

        /** Closes and deletes the temporary file if it is still there. */
        void discard() {
            if (discarded) {
                return;
            }
            discarded = true;
            closeChannel();
            if (renamed) {
                return;
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", path, e.toString());
            }
        }
    }
}
