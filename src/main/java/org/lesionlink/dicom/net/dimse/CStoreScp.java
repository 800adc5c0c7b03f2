package org.lesionlink.dicom.net.dimse;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 *   <li>When the data set is complete, the file is parsed; it must hold SOP Class, SOP Instance (both equal to the
 *       command's), Study and Series Instance UIDs.</li>
 *   <li>{@code FileChannel.force(false)} (fdatasync: data, size and block map), atomic rename to
 *       {@code <storage>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm} (UIDs made safe for paths;
 *       an existing file of the same instance is replaced), then the directory (and any directory created) is forced
 *       too. Directory fsyncs are group-committed: instances renamed into the same series directory by several
 *       associations at once share one fsync that started after all their renames. Only after the fsync covering
 *       the instance's own rename has completed is the listener told and success answered.</li>
 * </ol>
 * Failures answer with a failure status, never success: 0xA700 (out of resources) when the disk fails or the data
 * set exceeds the size limit, 0xC000 (cannot understand) for a data set that does not parse, 0xA900 (data set does
 * not match SOP class) for missing or contradicting UIDs. On abort or a lost connection the temporary file is
 * deleted.
 */
public final class CStoreScp implements DicomService {

    private static final Logger log = LoggerFactory.getLogger(CStoreScp.class);

    private final Path storage;
    private final Set<String> sopClasses;
    private final InstanceStoredListener listener;
    private final GroupDirectorySync seriesSync = new GroupDirectorySync();

    /**
     * @param storage the storage directory (created if missing)
     * @param sopClasses the classes registered for; the registry's storage fallback can route others here
     * @param listener told about each durable instance, or {@code null}
     */
    public CStoreScp(Path storage, Set<String> sopClasses, InstanceStoredListener listener) throws IOException {
        this.storage = Objects.requireNonNull(storage, "storage").toAbsolutePath();
        this.sopClasses = Set.copyOf(sopClasses);
        this.listener = listener;
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
            sink = new FileSink(tmp);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(sink.ch), 1024);
            DicomWriter.writeFileHeader(out, meta);
            out.flush();
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
        try {
            // fdatasync: the data and the metadata needed to read it back (size, block map; fdatasync(2): "a change
            // to the file size ... would require a metadata flush"); timestamps are not needed. The name is made
            // durable by the rename and the directory fsync below.
            f.ch.force(false);
            f.ch.close();
        } catch (IOException e) {
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "write failed: " + e.getMessage(), e);
        }
        DicomFile df;
        try {
            df = new DicomReader().read(f.path);
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
        try {
            target = moveDurably(f.path, study, series, iuid);
        } catch (IOException e) {
            throw new DicomServiceException(Status.OUT_OF_RESOURCES, "cannot store: " + e.getMessage(), e);
        }
        log.debug("{}: stored {}", as, target);
        if (listener != null) {
            try {
                listener.instanceStored(new StoredInstance(target, study, series, iuid, cuid, pc.transferSyntax(),
                        as.callingAeTitle(), as.calledAeTitle(), Files.size(target)));
            } catch (RuntimeException e) {
                log.warn("instance-stored listener failed for {}", target, e);
            }
        }
    }

    private Path moveDurably(Path tmp, String study, String series, String iuid) throws IOException {
        Path studyDir = storage.resolve(safeName(study));
        Path seriesDir = studyDir.resolve(safeName(series));
        boolean newStudy = !Files.isDirectory(studyDir);
        boolean newSeries = !Files.isDirectory(seriesDir);
        Files.createDirectories(seriesDir);
        Path target = seriesDir.resolve(safeName(iuid) + ".dcm");
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (newStudy) {
            forceDirectory(storage);
        }
        if (newSeries) {
            forceDirectory(studyDir);
        }
        seriesSync.force(seriesDir);
        return target;
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

        private final java.util.Map<Path, Dir> dirs = new java.util.HashMap<>();

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
                            forceDirectory(dir);
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

    /** The temporary file a data set streams into. */
    private static final class FileSink implements DataSetSink {
        final Path path;
        final FileChannel ch;
        IOException error;
        private boolean discarded;

        FileSink(Path path) throws IOException {
            this.path = path;
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        }

        @Override
        public void write(ByteBuf fragment) throws IOException {
            if (error != null || discarded) {
                return;
            }
            try {
                for (ByteBuffer b : fragment.nioBuffers()) {
                    while (b.hasRemaining()) {
                        ch.write(b);
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

        /** Closes and deletes the temporary file if it is still there. */
        void discard() {
            if (discarded) {
                return;
            }
            discarded = true;
            try {
                ch.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", path, e.toString());
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", path, e.toString());
            }
        }
    }
}
