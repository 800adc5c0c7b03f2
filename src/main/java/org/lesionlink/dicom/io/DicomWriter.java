package org.lesionlink.dicom.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Element;
import org.lesionlink.dicom.data.Fragments;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;

/**
 * Writes DICOM files (PS3.10 chapter 7) and encodes bare data sets and DIMSE command sets (PS3.7 section 6.3.1).
 *
 * <p>Encoding choices:
 * <ul>
 *   <li>Transfer syntaxes: implicit VR LE, explicit VR LE, deflated explicit VR LE, and encapsulated syntaxes
 *       (explicit VR LE with the Pixel Data fragments written back as carried). Big endian is read, never written.</li>
 *   <li>Values are padded to even length with the VR's padding byte (PS3.5 section 7.1.1): space for text, NUL
 *       for UI and binary values.</li>
 *   <li>Sequences and items are written with undefined length and delimitation items (PS3.5 section 7.5.1),
 *       so nothing has to be measured first.</li>
 *   <li>Group lengths (gggg,0000) of data set groups are left out: they are retired (PS3.5 section 7.2) and
 *       would be wrong after any edit. (0002,0000) and (0000,0000) are always computed and written.</li>
 *   <li>In explicit VR, a value too long for a 16-bit length field is written as UN (PS3.5 section 6.2.2).</li>
 * </ul>
 * Files are written to a temporary file in the target directory, forced to disk and renamed over the target.
 */
public final class DicomWriter {

    /** LesionLink's Implementation Class UID (PS3.7 D.3.3.2): a name-based 2.25 UID, stable across versions. */
    public static final String IMPLEMENTATION_CLASS_UID = UID.nameBased("org.lesionlink.dicom implementation");
    /** Implementation Version Name, SH of at most 16 characters. */
    public static final String IMPLEMENTATION_VERSION_NAME = "LESIONLINK_0_1";

    private static final byte[] FILE_META_VERSION = {0, 1};

    private DicomWriter() {
    }

    /**
     * File Meta Information for a data set, PS3.10 section 7.1: version 00\01, the SOP class and instance,
     * the transfer syntax and LesionLink's implementation identification.
     */
    public static Attributes fileMetaInformation(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
        Attributes m = new Attributes();
        m.setBytes(Tag.FileMetaInformationVersion, VR.OB, FILE_META_VERSION.clone());
        m.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUid);
        m.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        m.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
        m.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        m.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return m;
    }

    /**
     * Writes {@code dataset} as a PS3.10 file in {@code ts}, with new File Meta Information from its SOP Class
     * and Instance UIDs, replacing {@code file} atomically.
     */
    public static void write(Path file, Attributes dataset, TransferSyntax ts) throws IOException {
        String cls = dataset.getString(Tag.SOPClassUID);
        String inst = dataset.getString(Tag.SOPInstanceUID);
        if (cls == null || inst == null) {
            throw new DicomException(file.toString(), -1, "cannot write a file without SOPClassUID and SOPInstanceUID");
        }
        write(file, fileMetaInformation(cls, inst, ts.uid()), dataset, ts);
    }

    /**
     * Writes a PS3.10 file with the given meta information (its group length and transfer syntax are set here)
     * and data set, replacing {@code file} atomically.
     */
    public static void write(Path file, Attributes fileMeta, Attributes dataset, TransferSyntax ts) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        checkWritable(ts, dataset, file.toString());
        Attributes meta = fileMeta.deepCopy();
        meta.remove(Tag.FileMetaInformationGroupLength);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        Path dir = file.toAbsolutePath().getParent();
        String name = String.valueOf(file.getFileName());
        Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
                writeFileHeader(out, meta);
                writeDataset(out, dataset, ts);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes the start of a PS3.10 file: the 128-byte preamble, "DICM" and the File Meta Information group in
     * explicit VR LE with its group length computed here (any given one is ignored). The data set follows, as
     * encoded in the meta information's transfer syntax (used by the storage SCP, which streams received data sets
     * behind it).
     */
    public static void writeFileHeader(OutputStream out, Attributes fileMeta) throws IOException {
        Attributes meta = fileMeta.group(0x0002);
        meta.remove(Tag.FileMetaInformationGroupLength);
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        byte[] metaBytes = encode(meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, true);
        writeHeader(out, Tag.FileMetaInformationGroupLength, VR.UL, 4, true);
        writeInt(out, metaBytes.length);
        out.write(metaBytes);
    }

    /** Writes a bare data set (no meta information) in {@code ts}; deflates for the deflated syntax. */
    public static void writeDataset(OutputStream out, Attributes dataset, TransferSyntax ts) throws IOException {
        checkWritable(ts, dataset, "data set");
        if (ts.deflated()) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try {
                DeflaterOutputStream dout = new DeflaterOutputStream(nonClosing(out), d, 64 * 1024);
                new Encoder(dout, true).dataset(dataset, false);
                dout.finish();
            } finally {
                d.end();
            }
        } else {
            new Encoder(out, ts.explicitVR()).dataset(dataset, false);
        }
    }

    /** The encoding of a bare data set in {@code ts}. */
    public static byte[] encode(Attributes dataset, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeDataset(out, dataset, ts);
        return out.toByteArray();
    }

    /**
     * A DIMSE command set, PS3.7 section 6.3.1 and E.1: the group 0000 elements of {@code command} in implicit
     * VR little endian, preceded by (0000,0000) Command Group Length computed here (any given one is ignored).
     */
    public static byte[] encodeCommand(Attributes command) throws IOException {
        Attributes c = command.group(0x0000);
        c.remove(Tag.CommandGroupLength);
        if (c.size() != command.size() - (command.contains(Tag.CommandGroupLength) ? 1 : 0)) {
            throw new IllegalArgumentException("a command set holds only group 0000 elements");
        }
        byte[] body = encode(c, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 12);
        writeHeader(out, Tag.CommandGroupLength, VR.UL, 4, false);
        writeInt(out, body.length);
        out.write(body);
        return out.toByteArray();
    }

    private static byte[] encode(Attributes a, TransferSyntax ts, boolean keepGroupLengths) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Encoder(out, ts.explicitVR()).dataset(a, keepGroupLengths);
        return out.toByteArray();
    }

    private static void checkWritable(TransferSyntax ts, Attributes dataset, String what) throws DicomException {
        if (ts.bigEndian()) {
            throw new DicomException(what, -1, "writing Explicit VR Big Endian (retired) is not supported");
        }
        if (!ts.encapsulated() && dataset.getFragments(Tag.PixelData) != null) {
            throw new DicomException(what, -1, "Pixel Data is encapsulated (compressed); it can only be written in "
                    + "an encapsulated transfer syntax, not " + ts);
        }
        if (ts.encapsulated() && dataset.contains(Tag.PixelData) && dataset.getFragments(Tag.PixelData) == null) {
            throw new DicomException(what, -1, "transfer syntax " + ts + " needs encapsulated Pixel Data");
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void writeHeader(OutputStream out, int tag, VR vr, long length, boolean explicit) throws IOException {
        writeShort(out, Tag.group(tag));
        writeShort(out, Tag.element(tag));
        if (!explicit || Tag.isItemOrDelimiter(tag)) {
            writeInt(out, (int) length);
        } else if (vr.hasLongHeader()) {
            out.write(vr.name().charAt(0));
            out.write(vr.name().charAt(1));
            out.write(0);
            out.write(0);
            writeInt(out, (int) length);
        } else {
            out.write(vr.name().charAt(0));
            out.write(vr.name().charAt(1));
            writeShort(out, (int) length);
        }
    }

    private static void writeShort(OutputStream out, int v) throws IOException {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        writeShort(out, v & 0xFFFF);
        writeShort(out, v >>> 16);
    }

    /** Little-endian element encoder. */
    private static final class Encoder {
        private static final long UNDEFINED = 0xFFFFFFFFL;
        private final OutputStream out;
        private final boolean explicit;

        Encoder(OutputStream out, boolean explicit) {
            this.out = out;
            this.explicit = explicit;
        }

        void dataset(Attributes a, boolean keepGroupLengths) throws IOException {
            for (Element e : a.elements()) {
                int tag = e.tag();
                if (!keepGroupLengths && (Tag.isGroupLength(tag) || Tag.group(tag) == 0x0002)) {
                    continue; // retired group lengths; meta information belongs in the file header
                }
                element(e);
            }
        }

        private void element(Element e) throws IOException {
            int tag = e.tag();
            if (e.isSequence()) {
                writeHeader(out, tag, VR.SQ, UNDEFINED, explicit);
                for (Attributes item : e.sequence()) {
                    writeHeader(out, Tag.Item, null, UNDEFINED, explicit);
                    dataset(item, false);
                    writeHeader(out, Tag.ItemDelimitationItem, null, 0, explicit);
                }
                writeHeader(out, Tag.SequenceDelimitationItem, null, 0, explicit);
                return;
            }
            if (e.isFragments()) {
                Fragments f = e.fragments();
                writeHeader(out, tag, f.vr(), UNDEFINED, explicit);
                for (int i = 0; i < f.size(); i++) {
                    int len = f.item(i).remaining();
                    writeHeader(out, Tag.Item, null, len + (len & 1), explicit);
                    f.writeItem(i, out);
                    if ((len & 1) == 1) {
                        out.write(0);
                    }
                }
                writeHeader(out, Tag.SequenceDelimitationItem, null, 0, explicit);
                return;
            }
            VR vr = e.vr();
            int len = e.length();
            long padded = len + (len & 1);
            if (explicit && !vr.hasLongHeader() && padded > 0xFFFF) {
                vr = VR.UN;
            }
            writeHeader(out, tag, vr, padded, explicit);
            e.writeValue(out);
            if ((len & 1) == 1) {
                out.write(e.vr().padding());
            }
        }
    }
}
