package org.lesionlink.dicom.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.ElementDictionary;
import org.lesionlink.dicom.data.Fragments;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;

/**
 * Reads DICOM files (PS3.10 chapter 7) and bare data sets (PS3.5 chapter 7) from memory.
 *
 * <ul>
 *   <li>Files with the 128-byte preamble and "DICM", with or without (0002,0000) group length; files that start
 *       directly with group 0002; files with no meta information at all. Where no transfer syntax is named,
 *       it is guessed from the first element: the byte order that gives the smaller group number, explicit VR
 *       when two upper-case letters naming a VR follow the tag.</li>
 *   <li>Implicit VR LE (VRs from the {@link ElementDictionary}; ambiguous ones resolved as PS3.5 Annex A.1
 *       says), explicit VR LE, explicit VR BE (values swapped to little endian per VR), deflated explicit VR LE
 *       (PS3.5 A.5, raw deflate), and every encapsulated syntax, whose Pixel Data fragments are carried.</li>
 *   <li>Defined and undefined length sequences and items; UN with undefined length parsed as an implicit VR LE
 *       sequence (PS3.5 section 6.2.2); in implicit VR, a private or unknown element with undefined length
 *       parsed as a sequence; odd value lengths kept as they are.</li>
 * </ul>
 * Every length is checked against the bytes left before anything is allocated, so a corrupt or truncated input
 * fails with a {@link DicomException} naming the source, tag and offset instead of exhausting memory.
 * Instances are immutable and thread-safe.
 */
public final class DicomReader {

    /**
     * Size limits: the largest file read, the largest inflated data set of a deflated file, and the deepest
     * nesting of sequences (a guard against stack exhaustion by crafted input).
     */
    public record Limits(long maxFileBytes, long maxInflatedBytes, int maxDepth) {
        public static final Limits DEFAULT = new Limits(Integer.MAX_VALUE - 64, Integer.MAX_VALUE - 64, 64);
    }

    private static final int PREAMBLE = 128;
    private static final int UNDEFINED = -1;

    private final Limits limits;

    public DicomReader() {
        this(Limits.DEFAULT);
    }

    public DicomReader(Limits limits) {
        this.limits = limits;
    }

    /** Reads a DICOM file. */
    public DicomFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > limits.maxFileBytes()) {
                throw new DicomException(file.toString(), -1, "file of " + size + " bytes exceeds the limit of "
                        + limits.maxFileBytes());
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new DicomException(file.toString(), b.position(), "file shrank while being read");
                }
            }
            return read(b.array(), file.toString());
        }
    }

    /** Reads a DICOM file held in memory; {@code source} names it in error messages. */
    public DicomFile read(byte[] bytes, String source) throws DicomException {
        return read(ByteBuffer.wrap(bytes), source, null);
    }

    /**
     * Reads a DICOM file held in {@code file} (from its position to its limit; heap or direct; the position does not
     * move), keeping the values of only the data
     * set elements that {@code keep} accepts (all when {@code null}). Every element is still checked as {@link
     * #read(byte[], String)} checks it (tag, VR, length against the bytes left, items and delimiters, nesting), so
     * the same input fails with the same {@link DicomException}; the others' values are just not copied. For a
     * receiver that must know that a file parses and needs a few of its attributes, not a copy of its pixel data.
     * The File Meta Information is always read whole. The VR of an implicit VR element whose VR depends on Pixel
     * Representation is US when that element is not kept.
     */
    public DicomFile read(ByteBuffer file, String source, IntPredicate keep) throws DicomException {
        ByteBuffer buf = file.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = buf.limit();
        int pos = 0;
        if (length >= PREAMBLE + 4 && buf.get(PREAMBLE) == 'D' && buf.get(PREAMBLE + 1) == 'I'
                && buf.get(PREAMBLE + 2) == 'C' && buf.get(PREAMBLE + 3) == 'M') {
            pos = PREAMBLE + 4;
        }
        Attributes meta = new Attributes();
        if (length - pos >= 8 && buf.getShort(pos) == 0x0002) {
            Parser p = new Parser(buf, source, explicitVrAt(buf, pos), false, limits.maxDepth());
            pos = p.readGroup0002(meta, pos);
        } else if (pos > 0) {
            throw new DicomException(source, pos, "\"DICM\" is not followed by File Meta Information (group 0002)");
        }
        String tsUid = meta.getString(Tag.TransferSyntaxUID);
        boolean guessed = tsUid == null;
        TransferSyntax ts;
        if (guessed) {
            ts = guess(buf, pos);
        } else {
            ts = TransferSyntax.of(tsUid);
            if (!UID.isValid(tsUid)) {
                throw new DicomException(source, -1, "invalid Transfer Syntax UID \"" + tsUid + "\"");
            }
            if (ts.explicitVR() && !ts.bigEndian() && !ts.deflated() && length - pos >= 8 && !explicitVrAt(buf, pos)) {
                // The meta information names an explicit VR syntax but the data set is implicit VR (seen in
                // files from some converters); read what is there, as pydicom does, and say so.
                ts = new TransferSyntax(ts.uid(), false, false, false, ts.encapsulated());
                guessed = true;
            }
        }
        Attributes dataset = new Attributes();
        if (ts.deflated()) {
            byte[] deflated = new byte[length - pos];
            buf.get(pos, deflated);
            byte[] inflated = inflate(deflated, 0, deflated.length, source);
            ByteBuffer ib = ByteBuffer.wrap(inflated).order(ByteOrder.LITTLE_ENDIAN);
            new Parser(ib, source + " (inflated data set)", true, false, limits.maxDepth(), keep)
                    .readDataset(dataset, 0, inflated.length, 0, false);
        } else {
            buf.order(ts.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            new Parser(buf, source, ts.explicitVR(), ts.bigEndian(), limits.maxDepth(), keep)
                    .readDataset(dataset, pos, length, 0, false);
        }
        return new DicomFile(meta, dataset, ts, guessed);
    }

    /**
     * Reads a bare data set (no preamble, no meta information) in a known transfer syntax, as received in
     * P-DATA (PS3.7 section 6.3.1) or a DIMSE command set (implicit VR LE).
     */
    public Attributes readDataset(ByteBuffer data, TransferSyntax ts, String source) throws DicomException {
        ByteBuffer buf = data.slice();
        byte[] bytes;
        int start;
        if (buf.hasArray()) {
            bytes = buf.array();
            start = buf.arrayOffset();
        } else {
            bytes = new byte[buf.remaining()];
            buf.duplicate().get(bytes);
            start = 0;
        }
        int end = start + buf.remaining();
        Attributes dataset = new Attributes();
        if (ts.deflated()) {
            byte[] inflated = inflate(bytes, start, end, source);
            new Parser(ByteBuffer.wrap(inflated).order(ByteOrder.LITTLE_ENDIAN), source, true, false, limits.maxDepth())
                    .readDataset(dataset, 0, inflated.length, 0, false);
        } else {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ts.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            new Parser(b, source, ts.explicitVR(), ts.bigEndian(), limits.maxDepth()).readDataset(dataset, start, end, 0, false);
        }
        return dataset;
    }

    /** Reads a DIMSE command set: implicit VR little endian, PS3.7 section 6.3.1. */
    public Attributes readCommand(byte[] bytes, String source) throws DicomException {
        return readDataset(ByteBuffer.wrap(bytes), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, source);
    }

    private static boolean explicitVrAt(ByteBuffer b, int pos) {
        if (b.limit() - pos < 6) {
            return false;
        }
        int c0 = b.get(pos + 4) & 0xFF;
        int c1 = b.get(pos + 5) & 0xFF;
        return c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z' && VR.ofCode((c0 << 8) | c1) != null;
    }

    private static TransferSyntax guess(ByteBuffer b, int pos) {
        if (b.limit() - pos < 6) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        int le = (b.get(pos) & 0xFF) | (b.get(pos + 1) & 0xFF) << 8;
        int be = (b.get(pos) & 0xFF) << 8 | (b.get(pos + 1) & 0xFF);
        boolean bigEndian = be < le;
        if (explicitVrAt(b, pos)) {
            return bigEndian ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        }
        // Implicit VR is only defined little endian (PS3.5 A.1).
        return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    private byte[] inflate(byte[] in, int off, int end, String source) throws DicomException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in, off, end - off);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, (end - off) * 2));
            byte[] chunk = new byte[64 * 1024];
            while (!inf.finished()) {
                int n = inf.inflate(chunk);
                if (n == 0) {
                    if (inf.needsInput() || inf.needsDictionary()) {
                        break; // a stream without its final block: parse what there is, the parser reports truncation
                    }
                }
                if (out.size() + (long) n > limits.maxInflatedBytes()) {
                    throw new DicomException(source, off, "deflated data set inflates beyond the limit of "
                            + limits.maxInflatedBytes() + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new DicomException(source, off, "deflated data set is not valid raw deflate data: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /** One pass over a buffer; switches to implicit VR LE inside UN sequences and back. */
    private static final class Parser {
        private final ByteBuffer buf;
        private final String source;
        private final int maxDepth;
        private final ElementDictionary dict = ElementDictionary.standard();
        /** Whose values are copied; {@code null}: all. */
        private final IntPredicate keep;
        private boolean explicit;
        private boolean bigEndian;

        Parser(ByteBuffer buf, String source, boolean explicit, boolean bigEndian, int maxDepth) {
            this(buf, source, explicit, bigEndian, maxDepth, null);
        }

        Parser(ByteBuffer buf, String source, boolean explicit, boolean bigEndian, int maxDepth, IntPredicate keep) {
            this.buf = buf;
            this.keep = keep;
            this.source = source;
            this.explicit = explicit;
            this.bigEndian = bigEndian;
            this.maxDepth = maxDepth;
            buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        }

        /** Reads group 0002 elements from {@code pos}; returns the position after the last one. */
        int readGroup0002(Attributes meta, int pos) throws DicomException {
            int end = buf.limit();
            while (end - pos >= 8 && buf.getShort(pos) == 0x0002) {
                pos = readElement(meta, pos, end, 0);
            }
            return pos;
        }

        /**
         * Reads elements into {@code into} from {@code pos} up to {@code end}; with {@code inUndefinedItem},
         * stops after an Item Delimitation Item and returns the position after it, else fails if none comes.
         */
        int readDataset(Attributes into, int pos, int end, int depth, boolean inUndefinedItem) throws DicomException {
            while (pos < end) {
                if (end - pos < 8) {
                    throw new DicomException(source, pos, "truncated: " + (end - pos)
                            + " bytes left where an element header (8 bytes) was expected");
                }
                int tag = tagAt(pos);
                if (tag == Tag.ItemDelimitationItem) {
                    if (inUndefinedItem) {
                        return pos + 8;
                    }
                    throw new DicomException(source, pos, "Item Delimitation Item (FFFE,E00D) outside an item of undefined length");
                }
                if (tag == Tag.Item || tag == Tag.SequenceDelimitationItem) {
                    throw new DicomException(source, pos, "unexpected " + Tag.toString(tag) + " among the elements of a data set");
                }
                pos = readElement(into, pos, end, depth);
            }
            if (inUndefinedItem) {
                throw new DicomException(source, pos, "truncated: item of undefined length ends without an Item Delimitation Item");
            }
            return pos;
        }

        private int tagAt(int pos) {
            return ((buf.getShort(pos) & 0xFFFF) << 16) | (buf.getShort(pos + 2) & 0xFFFF);
        }

        private int readElement(Attributes into, int pos, int end, int depth) throws DicomException {
            int start = pos;
            int tag = tagAt(pos);
            VR vr;
            long length;
            if (explicit) {
                int code = ((buf.get(pos + 4) & 0xFF) << 8) | (buf.get(pos + 5) & 0xFF);
                vr = VR.ofCode(code);
                if (vr == null) {
                    throw new DicomException(source, start, String.format("%s %s: invalid VR bytes %02X %02X",
                            Tag.toString(tag), keyword(tag), code >> 8, code & 0xFF));
                }
                if (vr.hasLongHeader()) {
                    if (end - pos < 12) {
                        throw new DicomException(source, start, "truncated: element header of " + Tag.toString(tag) + " " + keyword(tag));
                    }
                    length = buf.getInt(pos + 8) & 0xFFFFFFFFL;
                    pos += 12;
                } else {
                    length = buf.getShort(pos + 6) & 0xFFFF;
                    pos += 8;
                }
            } else {
                length = buf.getInt(pos + 4) & 0xFFFFFFFFL;
                pos += 8;
                vr = implicitVr(tag, into);
            }
            boolean unknownSequence = false;
            if (explicit && vr == VR.UN && !Tag.isItemOrDelimiter(tag)) {
                // Some writers send known elements as UN (e.g. after a hop through a node that did not know
                // them). PS3.5 section 6.2.2 lets the receiver use the registered VR; private creators are LO.
                VR known = implicitVr(tag, into);
                if (known != VR.UN) {
                    vr = known;
                    unknownSequence = known == VR.SQ; // its items are implicit VR LE, as in any UN value
                }
            }
            if (length == 0xFFFFFFFFL) {
                if (depth >= maxDepth) {
                    throw new DicomException(source, start, "sequences nested deeper than " + maxDepth);
                }
                if (tag == Tag.PixelData && vr != VR.SQ && (explicit ? vr == VR.OB || vr == VR.OW || vr == VR.UN : true)
                        && !(vr == VR.UN && !looksLikeFragments(pos, end))) {
                    Fragments f = new Fragments(explicit && vr == VR.OW ? VR.OW : VR.OB); // PS3.5 A.4: OB unless a writer said OW
                    boolean copy = keep == null || keep.test(tag);
                    pos = readFragments(f, tag, pos, end, copy);
                    if (copy) {
                        into.setFragments(tag, f);
                    }
                    return pos;
                }
                if (vr == VR.SQ || vr == VR.UN || !explicit) {
                    // UN (or an unknown element in implicit VR) with undefined length is a sequence whose
                    // items are implicit VR little endian, PS3.5 section 6.2.2 note 3.
                    boolean wasExplicit = explicit;
                    boolean wasBig = bigEndian;
                    if (vr != VR.SQ || unknownSequence) {
                        explicit = false;
                        bigEndian = false;
                        buf.order(ByteOrder.LITTLE_ENDIAN);
                    }
                    try {
                        Sequence seq = into.newSequence(tag);
                        return readItems(seq, tag, pos, end, UNDEFINED, depth);
                    } finally {
                        explicit = wasExplicit;
                        bigEndian = wasBig;
                        buf.order(wasBig ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    }
                }
                throw new DicomException(source, start, Tag.toString(tag) + " " + keyword(tag) + ": undefined length is not allowed for VR " + vr);
            }
            if (length > end - pos) {
                throw new DicomException(source, start, "truncated: " + Tag.toString(tag) + " " + keyword(tag) + " " + vr
                        + " has value length " + length + " but only " + (end - pos) + " bytes are left");
            }
            int len = (int) length;
            if (vr == VR.SQ) {
                if (depth >= maxDepth) {
                    throw new DicomException(source, start, "sequences nested deeper than " + maxDepth);
                }
                Sequence seq = into.newSequence(tag);
                boolean wasExplicit = explicit;
                boolean wasBig = bigEndian;
                if (unknownSequence) {
                    explicit = false;
                    bigEndian = false;
                    buf.order(ByteOrder.LITTLE_ENDIAN);
                }
                try {
                    readItems(seq, tag, pos, pos + len, len, depth);
                } finally {
                    explicit = wasExplicit;
                    bigEndian = wasBig;
                    buf.order(wasBig ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                }
                return pos + len;
            }
            if (keep != null && !keep.test(tag)) {
                return pos + len; // checked, not kept
            }
            byte[] value = new byte[len];
            buf.get(pos, value);
            if (bigEndian && vr.needsByteSwap()) {
                swap(value, vr.valueSize());
            }
            into.setBytes(tag, vr, value);
            return pos + len;
        }

        /** UN with undefined length at (7FE0,0010): fragments if the first thing is an item tag. */
        private boolean looksLikeFragments(int pos, int end) {
            return end - pos >= 4 && (buf.getShort(pos) & 0xFFFF) == 0xFFFE && (buf.getShort(pos + 2) & 0xFFFF) == 0xE000;
        }

        private int readItems(Sequence seq, int seqTag, int pos, int end, int seqLength, int depth) throws DicomException {
            int limit = seqLength == UNDEFINED ? end : pos + seqLength;
            while (pos < limit) {
                if (limit - pos < 8) {
                    throw new DicomException(source, pos, "truncated: sequence " + Tag.toString(seqTag) + " " + keyword(seqTag)
                            + " ends inside an item header");
                }
                int tag = tagAt(pos);
                long length = buf.getInt(pos + 4) & 0xFFFFFFFFL;
                if (tag == Tag.SequenceDelimitationItem) {
                    pos += 8;
                    if (seqLength == UNDEFINED) {
                        return pos;
                    }
                    continue; // tolerated in a defined-length sequence
                }
                if (tag != Tag.Item) {
                    throw new DicomException(source, pos, "expected an Item (FFFE,E000) in sequence " + Tag.toString(seqTag)
                            + " " + keyword(seqTag) + ", found " + Tag.toString(tag));
                }
                Attributes item = seq.addNew();
                int itemStart = pos;
                pos += 8;
                if (length == 0xFFFFFFFFL) {
                    pos = readDataset(item, pos, limit, depth + 1, true);
                } else {
                    if (length > limit - pos) {
                        throw new DicomException(source, itemStart, "truncated: item " + seq.size() + " of " + Tag.toString(seqTag)
                                + " " + keyword(seqTag) + " has length " + length + " but only " + (limit - pos) + " bytes are left");
                    }
                    readDataset(item, pos, pos + (int) length, depth + 1, false);
                    pos += (int) length;
                }
            }
            if (seqLength == UNDEFINED) {
                throw new DicomException(source, pos, "truncated: sequence " + Tag.toString(seqTag) + " " + keyword(seqTag)
                        + " of undefined length ends without a Sequence Delimitation Item");
            }
            return pos;
        }

        private int readFragments(Fragments f, int tag, int pos, int end, boolean copy) throws DicomException {
            for (int n = 0; ; n++) {
                if (end - pos < 8) {
                    throw new DicomException(source, pos, "truncated: encapsulated " + Tag.toString(tag) + " " + keyword(tag)
                            + " ends without a Sequence Delimitation Item");
                }
                int t = tagAt(pos);
                long length = buf.getInt(pos + 4) & 0xFFFFFFFFL;
                if (t == Tag.SequenceDelimitationItem) {
                    return pos + 8;
                }
                if (t != Tag.Item) {
                    throw new DicomException(source, pos, "expected a fragment Item (FFFE,E000) in encapsulated "
                            + Tag.toString(tag) + ", found " + Tag.toString(t));
                }
                if (length > end - pos - 8) {
                    throw new DicomException(source, pos, "truncated: fragment " + n + " of " + Tag.toString(tag)
                            + " has length " + length + " but only " + (end - pos - 8) + " bytes are left");
                }
                if (copy) {
                    byte[] b = new byte[(int) length];
                    buf.get(pos + 8, b);
                    f.add(b);
                }
                pos += 8 + (int) length;
            }
        }

        /**
         * VR of an implicit VR element: the dictionary's, with PS3.5 Annex A.1's choices for ambiguous ones:
         * OW for "OB or OW" (Pixel Data, overlays), and US/SS by (0028,0103) Pixel Representation.
         */
        private VR implicitVr(int tag, Attributes into) {
            if (Tag.isPrivate(tag) || Tag.isGroupLength(tag)) {
                return dict.vrOf(tag);
            }
            var e = dict.lookup(tag);
            if (e.isEmpty()) {
                return VR.UN;
            }
            List<VR> vrs = e.get().vrs();
            if (vrs.size() <= 1) {
                return e.get().vr();
            }
            if (vrs.contains(VR.SS) && vrs.contains(VR.US) && !vrs.contains(VR.OW)) {
                for (Attributes a = into; a != null; a = a.parent()) {
                    if (a.contains(Tag.PixelRepresentation)) {
                        return a.getInt(Tag.PixelRepresentation, 0) == 1 ? VR.SS : VR.US;
                    }
                }
                return VR.US;
            }
            return vrs.contains(VR.OW) ? VR.OW : vrs.get(0);
        }

        private String keyword(int tag) {
            String k = dict.keywordOf(tag);
            return k.isEmpty() ? "(private or unknown)" : k;
        }

        private static void swap(byte[] b, int size) {
            int whole = b.length - b.length % size;
            for (int i = 0; i < whole; i += size) {
                for (int a = i, z = i + size - 1; a < z; a++, z--) {
                    byte t = b[a];
                    b[a] = b[z];
                    b[z] = t;
                }
            }
        }
    }
}
