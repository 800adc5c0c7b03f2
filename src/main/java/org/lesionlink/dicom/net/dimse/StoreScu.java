package org.lesionlink.dicom.net.dimse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.io.DicomFile;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationException;
import org.lesionlink.dicom.net.PresentationContext;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;

/**
 * C-STORE SCU for PS3.10 files: proposes the presentation contexts the files need and sends each file's data set.
 *
 * <p>Proposal (as dcmtk's storescu, spec notes 1.3): for each SOP class, one context per transfer syntax found in the
 * files (Implicit VR LE included, so that such files need no re-encoding when the peer prefers explicit VR on the
 * fallback), plus one with Explicit VR LE and Implicit VR LE as a fallback. Sending: when the file's own syntax was
 * accepted, the data set bytes go from the file to the network as they are (read fragment by fragment, never whole);
 * otherwise the file is parsed and re-encoded in the accepted Explicit or Implicit VR LE (compressed pixel data cannot
 * be re-encoded so).
 */
public final class StoreScu {

    private StoreScu() {
    }

    /**
     * What is needed to send a file.
     *
     * @param datasetOffset where the data set starts in the file, or -1 when the file has no PS3.10 header (then
     *     it is always parsed and re-encoded)
     */
    public record Instance(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            long datasetOffset, long datasetLength) {
    }

    /**
     * Reads a file's PS3.10 header (not its data set, unless the file has no header). The File Meta Information
     * (always explicit VR little endian, PS3.10 section 7.1) is walked here for the three UIDs needed, without the
     * general reader: {@code lesionlink store} probes every file before the association, in a JVM that is still cold.
     * Anything unusual (no group length, an element running past it, a missing UID) falls back to the full reader.
     */
    public static Instance probe(Path file) throws IOException {
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 1024)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, head, 0);
            if (size >= 144 && head.get(128) == 'D' && head.get(129) == 'I' && head.get(130) == 'C' && head.get(131) == 'M'
                    && head.getShort(132) == 2 && head.getShort(134) == 0 && head.get(136) == 'U' && head.get(137) == 'L') {
                long metaLen = head.getInt(140) & 0xFFFFFFFFL;
                long offset = 144 + metaLen;
                if (metaLen < (1 << 20) && offset <= size) {
                    ByteBuffer prefix = head;
                    if (offset > head.capacity()) {
                        prefix = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
                        readFully(ch, prefix, 0);
                    }
                    String[] uids = metaUids(prefix, 144, (int) offset);
                    if (uids != null) {
                        return new Instance(file, uids[0], uids[1], uids[2], offset, size - offset);
                    }
                }
            }
        }
        DicomFile df = new DicomReader().read(file);
        String cuid = df.dataset().getString(Tag.SOPClassUID);
        String iuid = df.dataset().getString(Tag.SOPInstanceUID);
        if (cuid == null || iuid == null) {
            throw new DicomException(file.toString(), -1, "no SOP Class/Instance UID: not a storable instance");
        }
        return new Instance(file, cuid, iuid, df.transferSyntax().uid(), -1, -1);
    }

    /** Presentation contexts for sending {@code instances}; at most 128 (PS3.8: odd IDs 1..255). */
    public static List<PresentationContextRq> presentationContexts(Collection<Instance> instances) {
        Map<String, Set<String>> byClass = new LinkedHashMap<>();
        for (Instance i : instances) {
            byClass.computeIfAbsent(i.sopClassUid(), k -> new LinkedHashSet<>()).add(i.transferSyntaxUid());
        }
        List<PresentationContextRq> pcs = new ArrayList<>();
        int id = 1;
        for (Map.Entry<String, Set<String>> e : byClass.entrySet()) {
            for (String ts : e.getValue()) {
                if (ts.equals(UID.ExplicitVRLittleEndian)) {
                    continue; // covered by the fallback context below, which lists it first
                }
                pcs.add(new PresentationContextRq(id, e.getKey(), ts));
                id += 2;
            }
            pcs.add(new PresentationContextRq(id, e.getKey(), UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian));
            id += 2;
            if (id > 255) {
                throw new IllegalArgumentException("more than 128 presentation contexts needed");
            }
        }
        return pcs;
    }

    /** Sends one instance on {@code as}; returns the C-STORE-RSP. */
    public static DimseResponse store(Association as, Instance i) throws IOException {
        PresentationContext pc = i.datasetOffset() >= 0 ? as.findContext(i.sopClassUid(), i.transferSyntaxUid()) : null;
        if (pc != null) {
            try (DataSource src = DataSource.ofFile(i.file(), i.datasetOffset(), i.datasetLength())) {
                return as.cstore(pc, i.sopClassUid(), i.sopInstanceUid(), src, null, 0);
            }
        }
        pc = as.findContext(i.sopClassUid(), UID.ExplicitVRLittleEndian);
        if (pc == null) {
            pc = as.findContext(i.sopClassUid(), UID.ImplicitVRLittleEndian);
        }
        if (pc == null) {
            throw new AssociationException("no accepted presentation context for " + i.sopClassUid() + " ("
                    + UID.nameOf(i.sopClassUid()) + ") to send " + i.file());
        }
        DicomFile df = new DicomReader().read(i.file());
        byte[] bytes = DicomWriter.encode(df.dataset(), TransferSyntax.of(pc.transferSyntax()));
        return as.cstore(pc, i.sopClassUid(), i.sopInstanceUid(), DataSource.of(bytes), null, 0);
    }

    /** What became of one instance of {@link #storeAll}: the response, or why it was not sent. */
    public record Outcome(Instance instance, DimseResponse response, IOException error) {
    }

    /**
     * Sends {@code instances} one after the other on {@code as}, pipelined on the network thread: the next C-STORE-RQ
     * is written when the previous C-STORE-RSP arrives, without waking the caller, which waits only for the whole
     * batch. {@code each} is told every outcome in order (on the network thread: keep it short). An instance that
     * cannot be sent (no context, unreadable file) is reported and the next one goes on; when the association ends,
     * the remaining instances are reported with its failure and the returned future fails with it.
     */
    public static java.util.concurrent.CompletableFuture<Void> storeAll(Association as, List<Instance> instances,
            java.util.function.Consumer<Outcome> each) {
        java.util.concurrent.CompletableFuture<Void> all = new java.util.concurrent.CompletableFuture<>();
        sendFrom(as, instances, 0, each, all);
        return all;
    }

    private static void sendFrom(Association as, List<Instance> instances, int k,
            java.util.function.Consumer<Outcome> each, java.util.concurrent.CompletableFuture<Void> all) {
        while (k < instances.size()) {
            Instance i = instances.get(k);
            java.util.concurrent.CompletableFuture<DimseResponse> f;
            try {
                f = storeAsync(as, i);
            } catch (IOException e) {
                each.accept(new Outcome(i, null, e));
                k++;
                continue;
            }
            int next = k + 1;
            f.whenComplete((r, e) -> {
                if (e == null) {
                    each.accept(new Outcome(i, r, null));
                    sendFrom(as, instances, next, each, all);
                    return;
                }
                Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                IOException io = c instanceof IOException x ? x : new IOException(c);
                each.accept(new Outcome(i, null, io));
                if (as.closed().isDone() || as.failure() != null) {
                    for (int j = next; j < instances.size(); j++) {
                        each.accept(new Outcome(instances.get(j), null, io));
                    }
                    all.completeExceptionally(io);
                } else {
                    sendFrom(as, instances, next, each, all);
                }
            });
            return;
        }
        all.complete(null);
    }

    /** Starts sending one instance (see {@link Association#cstoreAsync}); fails at once when it cannot be sent. */
    public static java.util.concurrent.CompletableFuture<DimseResponse> storeAsync(Association as, Instance i)
            throws IOException {
        PresentationContext pc = i.datasetOffset() >= 0 ? as.findContext(i.sopClassUid(), i.transferSyntaxUid()) : null;
        if (pc != null) {
            return as.cstoreAsync(pc, i.sopClassUid(), i.sopInstanceUid(),
                    DataSource.ofFile(i.file(), i.datasetOffset(), i.datasetLength()));
        }
        pc = as.findContext(i.sopClassUid(), UID.ExplicitVRLittleEndian);
        if (pc == null) {
            pc = as.findContext(i.sopClassUid(), UID.ImplicitVRLittleEndian);
        }
        if (pc == null) {
            throw new AssociationException("no accepted presentation context for " + i.sopClassUid() + " ("
                    + UID.nameOf(i.sopClassUid()) + ") to send " + i.file());
        }
        DicomFile df = new DicomReader().read(i.file());
        byte[] bytes = DicomWriter.encode(df.dataset(), TransferSyntax.of(pc.transferSyntax()));
        return as.cstoreAsync(pc, i.sopClassUid(), i.sopInstanceUid(), DataSource.of(bytes));
    }

    /** Sends an in-memory data set (e.g. a SEG just written) in the first accepted context of its SOP class. */
    public static DimseResponse store(Association as, Attributes dataset) throws IOException {
        String cuid = dataset.getString(Tag.SOPClassUID);
        String iuid = dataset.getString(Tag.SOPInstanceUID);
        PresentationContext pc = as.findContext(cuid, UID.ExplicitVRLittleEndian);
        if (pc == null) {
            pc = as.findContext(cuid, UID.ImplicitVRLittleEndian);
        }
        if (pc == null) {
            throw new AssociationException("no accepted presentation context for " + cuid);
        }
        byte[] bytes = DicomWriter.encode(dataset, TransferSyntax.of(pc.transferSyntax()));
        return as.cstore(pc, cuid, iuid, DataSource.of(bytes), null, 0);
    }

    /**
     * Media Storage SOP Class UID (0002,0002), Media Storage SOP Instance UID (0002,0003) and Transfer Syntax UID
     * (0002,0010) from the explicit VR LE elements in {@code [pos, end)}; {@code null} when one is missing or an
     * element does not fit.
     */
    static String[] metaUids(ByteBuffer b, int pos, int end) {
        String[] uids = new String[3];
        while (end - pos >= 8) {
            int group = b.getShort(pos) & 0xFFFF;
            int element = b.getShort(pos + 2) & 0xFFFF;
            if (group != 0x0002) {
                return null;
            }
            char v0 = (char) (b.get(pos + 4) & 0xFF);
            char v1 = (char) (b.get(pos + 5) & 0xFF);
            boolean longHeader = (v0 == 'O' && (v1 == 'B' || v1 == 'W' || v1 == 'F' || v1 == 'D' || v1 == 'L' || v1 == 'V'))
                    || (v0 == 'S' && v1 == 'Q') || (v0 == 'U' && (v1 == 'T' || v1 == 'N' || v1 == 'C' || v1 == 'R'));
            long len;
            if (longHeader) {
                if (end - pos < 12) {
                    return null;
                }
                len = b.getInt(pos + 8) & 0xFFFFFFFFL;
                pos += 12;
            } else {
                len = b.getShort(pos + 6) & 0xFFFF;
                pos += 8;
            }
            if (len > end - pos) {
                return null;
            }
            int k = element == 0x0002 ? 0 : element == 0x0003 ? 1 : element == 0x0010 ? 2 : -1;
            if (k >= 0) {
                int n = (int) len;
                while (n > 0 && (b.get(pos + n - 1) == 0 || b.get(pos + n - 1) == ' ')) {
                    n--; // UI values are padded with NUL (PS3.5 section 6.2); tolerate a space too
                }
                byte[] v = new byte[n];
                b.get(pos, v);
                uids[k] = new String(v, java.nio.charset.StandardCharsets.US_ASCII);
            }
            pos += (int) len;
        }
        return uids[0] == null || uids[1] == null || uids[2] == null || uids[0].isEmpty() || uids[1].isEmpty()
                || uids[2].isEmpty() ? null : uids;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
