package org.lesionlink.dicom.data;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A DICOM data set, PS3.5 chapter 7: data elements ordered by tag (unsigned), each a tag, a {@link VR} and a value
 * kept as raw little-endian bytes, a {@link Sequence} of nested data sets, or encapsulated {@link Fragments}.
 * Typed getters and setters convert on access:
 * <ul>
 *   <li>text VRs: values split at backslashes (PS3.5 section 6.4), decoded with the data set's
 *       {@link SpecificCharacterSet} for SH, LO, ST, LT, UC, UT and PN (PS3.5 section 6.1.2.3), padding removed;</li>
 *   <li>numbers: binary US/SS/UL/SL/SV/UV/FL/FD/OF/OD as well as decimal strings DS and IS.</li>
 * </ul>
 * The same class holds file meta information (group 0002) and DIMSE command sets (group 0000).
 *
 * <p>Text setters encode with the Specific Character Set in force when they are called, so set (0008,0005)
 * first. Private data elements are addressed with their creator (PS3.5 section 7.8.1) through
 * {@link #privateTag}. Not thread-safe; a data set that is shared must not be modified.
 */
public final class Attributes {

    private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);
    private Attributes parent;

    public Attributes() {
    }

    void setParent(Attributes parent) {
        this.parent = parent;
    }

    /** The data set whose sequence holds this item, or {@code null} at top level. */
    public Attributes parent() {
        return parent;
    }

    // ---------------------------------------------------------------- structure

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** Whether the element is present with a non-empty value. */
    public boolean containsValue(int tag) {
        Element e = elements.get(tag);
        return e != null && !e.isEmpty();
    }

    public Element get(int tag) {
        return elements.get(tag);
    }

    /** The VR of a present element, or {@code null}. */
    public VR vr(int tag) {
        Element e = elements.get(tag);
        return e == null ? null : e.vr();
    }

    /** Elements in tag order, read-only. */
    public Collection<Element> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    /** Tags in order. */
    public int[] tags() {
        return elements.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    public Element remove(int tag) {
        return elements.remove(tag);
    }

    /** Removes every element whose group is {@code group}. */
    public void removeGroup(int group) {
        elements.keySet().removeIf(t -> Tag.group(t) == group);
    }

    /** A new data set with only the elements of {@code group} (e.g. 0002, the file meta information). */
    public Attributes group(int group) {
        Attributes a = new Attributes();
        for (Element e : elements.values()) {
            if (Tag.group(e.tag()) == group) {
                a.put(copyOf(e, a));
            }
        }
        return a;
    }

    // ---------------------------------------------------------------- character set

    /** The character set of this data set: its own (0008,0005), else the enclosing data set's, else the default. */
    public SpecificCharacterSet specificCharacterSet() {
        for (Attributes a = this; a != null; a = a.parent) {
            Element e = a.elements.get(Tag.SpecificCharacterSet);
            if (e != null) {
                return SpecificCharacterSet.of(a.stringsOf(e, SpecificCharacterSet.DEFAULT));
            }
        }
        return SpecificCharacterSet.DEFAULT;
    }

    // ---------------------------------------------------------------- raw values

    /**
     * Sets a byte value, taken over without copying: little-endian, as it would be stored. Any VR but SQ.
     * This is what the reader uses; callers must not modify {@code value} afterwards.
     */
    public Attributes setBytes(int tag, VR vr, byte[] value) {
        if (vr == VR.SQ) {
            throw new IllegalArgumentException("SQ " + Tag.toString(tag) + " needs newSequence, not bytes");
        }
        put(new Element(tag, vr, value));
        return this;
    }

    /** A copy of the element's byte value, or {@code null} when absent. */
    public byte[] getBytes(int tag) {
        Element e = elements.get(tag);
        return e == null ? null : e.bytes();
    }

    /** A read-only view of a (bulk) byte value, or {@code null} when absent. */
    public ByteBuffer getBuffer(int tag) {
        Element e = elements.get(tag);
        return e == null || e.rawBytes() == null ? null : e.buffer();
    }

    /** Sets an element with an empty value (a Type 2 attribute with no value). */
    public Attributes setNull(int tag, VR vr) {
        if (vr == VR.SQ) {
            newSequence(tag);
        } else {
            put(new Element(tag, vr, new byte[0]));
        }
        return this;
    }

    // ---------------------------------------------------------------- sequences and fragments

    /** Adds (replacing any) an empty sequence and returns it. */
    public Sequence newSequence(int tag) {
        Sequence s = new Sequence(this);
        put(new Element(tag, VR.SQ, s));
        return s;
    }

    /** The sequence at {@code tag}, or {@code null} if absent or not a sequence. */
    public Sequence getSequence(int tag) {
        Element e = elements.get(tag);
        return e == null ? null : e.sequence();
    }

    /** Item {@code index} of the sequence at {@code tag}, or {@code null}. */
    public Attributes getNestedDataset(int tag, int index) {
        Sequence s = getSequence(tag);
        return s == null || index >= s.size() ? null : s.get(index);
    }

    /** The first item of the sequence at {@code tag}, or {@code null}. */
    public Attributes getNestedDataset(int tag) {
        return getNestedDataset(tag, 0);
    }

    /** Sets encapsulated pixel data (PS3.5 section A.4), normally at (7FE0,0010). */
    public Attributes setFragments(int tag, Fragments fragments) {
        put(new Element(tag, fragments.vr(), fragments));
        return this;
    }

    public Fragments getFragments(int tag) {
        Element e = elements.get(tag);
        return e == null ? null : e.fragments();
    }

    // ---------------------------------------------------------------- strings

    /** The first value as a string (padding removed), or {@code null} when absent or empty. */
    public String getString(int tag) {
        String[] v = getStrings(tag);
        return v == null || v.length == 0 ? null : v[0];
    }

    public String getString(int tag, String defaultValue) {
        String s = getString(tag);
        return s == null ? defaultValue : s;
    }

    /**
     * All values as strings: text VRs decoded and split at backslashes; binary numbers formatted (AT as
     * {@code GGGGEEEE}); {@code null} when absent or for SQ, bulk data and fragments; empty for an empty value.
     */
    public String[] getStrings(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.rawBytes() == null) {
            return null;
        }
        return stringsOf(e, e.vr().usesSpecificCharacterSet() ? specificCharacterSet() : SpecificCharacterSet.DEFAULT);
    }

    private String[] stringsOf(Element e, SpecificCharacterSet cs) {
        VR vr = e.vr();
        byte[] b = e.rawBytes();
        if (vr.kind() == VR.Kind.BINARY) {
            Object nums = vr == VR.FL || vr == VR.FD ? getDoubles(e.tag()) : null;
            String[] out;
            if (nums instanceof double[] d) {
                out = new String[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = vr == VR.FL ? Float.toString((float) d[i]) : Double.toString(d[i]);
                }
            } else if (vr == VR.AT) {
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                out = new String[b.length / 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = String.format("%04X%04X", bb.getShort(4 * i) & 0xFFFF, bb.getShort(4 * i + 2) & 0xFFFF);
                }
            } else {
                long[] l = getLongs(e.tag());
                out = new String[l.length];
                for (int i = 0; i < l.length; i++) {
                    out[i] = vr == VR.UV ? Long.toUnsignedString(l[i]) : Long.toString(l[i]);
                }
            }
            return out;
        }
        if (vr.kind() != VR.Kind.TEXT) {
            return null;
        }
        String s = cs.decode(b, 0, b.length);
        if (s.isEmpty()) {
            return new String[0];
        }
        String[] parts = vr.isMultiValued() ? s.split("\\\\", -1) : new String[] {s};
        for (int i = 0; i < parts.length; i++) {
            parts[i] = trim(parts[i], vr);
        }
        return parts;
    }

    /**
     * Removes padding: trailing spaces and NULs always; leading spaces too except for LT, ST, UT and UR, where
     * they are significant (PS3.5 section 6.2).
     */
    private static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr != VR.LT && vr != VR.ST && vr != VR.UT && vr != VR.UR) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    /**
     * Sets text values, joined with backslashes and encoded with the current {@link #specificCharacterSet()}
     * for SH, LO, ST, LT, UC, UT and PN (US-ASCII/ISO 646 otherwise). Padding is added when written.
     * For binary VRs the strings are parsed as numbers.
     */
    public Attributes setString(int tag, VR vr, String... values) {
        if (vr.kind() == VR.Kind.BINARY) {
            if (vr == VR.FL || vr == VR.FD) {
                double[] d = new double[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = Double.parseDouble(values[i].strip());
                }
                return setDouble(tag, vr, d);
            }
            long[] l = new long[values.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = vr == VR.AT ? Long.parseLong(values[i].strip(), 16) : Long.parseLong(values[i].strip());
            }
            return setLong(tag, vr, l);
        }
        if (vr.kind() != VR.Kind.TEXT) {
            throw new IllegalArgumentException("VR " + vr + " of " + Tag.toString(tag) + " does not hold text");
        }
        if (values.length > 1 && !vr.isMultiValued()) {
            throw new IllegalArgumentException(vr + " has VM 1; got " + values.length + " values for " + Tag.toString(tag));
        }
        String joined = String.join("\\", values);
        SpecificCharacterSet cs = vr.usesSpecificCharacterSet() ? specificCharacterSet() : SpecificCharacterSet.DEFAULT;
        put(new Element(tag, vr, cs.encode(joined)));
        return this;
    }

    // ---------------------------------------------------------------- numbers

    /** The first value as an int: binary integers, or IS/DS text (DS rounded toward zero); else the default. */
    public int getInt(int tag, int defaultValue) {
        long[] v = getLongs(tag);
        return v == null || v.length == 0 ? defaultValue : (int) v[0];
    }

    public int[] getInts(int tag) {
        long[] l = getLongs(tag);
        if (l == null) {
            return null;
        }
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    /** Integer values (unsigned VRs zero-extended; UV as unsigned bits), or {@code null} when absent. */
    public long[] getLongs(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.rawBytes() == null) {
            return null;
        }
        VR vr = e.vr();
        if (vr.kind() == VR.Kind.TEXT) {
            String[] s = getStrings(tag);
            long[] out = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i].isEmpty() ? 0 : vr == VR.IS ? Long.parseLong(s[i].startsWith("+") ? s[i].substring(1) : s[i])
                        : (long) Double.parseDouble(s[i]);
            }
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(e.rawBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int size = vr == VR.AT ? 4 : vr.valueSize();
        if (size == 0) {
            return null;
        }
        long[] out = new long[b.remaining() / size];
        for (int i = 0; i < out.length; i++) {
            int p = i * size;
            out[i] = switch (vr) {
                case US, OW -> b.getShort(p) & 0xFFFFL;
                case SS -> b.getShort(p);
                case UL, OL -> b.getInt(p) & 0xFFFFFFFFL;
                case SL -> b.getInt(p);
                case AT -> ((b.getShort(p) & 0xFFFFL) << 16) | (b.getShort(p + 2) & 0xFFFFL);
                case SV, UV, OV -> b.getLong(p);
                case FL, OF -> (long) b.getFloat(p);
                case FD, OD -> (long) b.getDouble(p);
                case OB, UN -> b.get(p) & 0xFFL;
                default -> throw new IllegalStateException(vr.toString());
            };
        }
        return out;
    }

    public double getDouble(int tag, double defaultValue) {
        double[] v = getDoubles(tag);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** Values as doubles: FL/FD/OF/OD, DS/IS text, binary integers; {@code null} when absent. */
    public double[] getDoubles(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.rawBytes() == null) {
            return null;
        }
        VR vr = e.vr();
        if (vr.kind() == VR.Kind.TEXT) {
            String[] s = getStrings(tag);
            double[] out = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i].isEmpty() ? Double.NaN : Double.parseDouble(s[i]);
            }
            return out;
        }
        if (vr == VR.FL || vr == VR.OF || vr == VR.FD || vr == VR.OD) {
            ByteBuffer b = ByteBuffer.wrap(e.rawBytes()).order(ByteOrder.LITTLE_ENDIAN);
            int size = vr.valueSize();
            double[] out = new double[b.remaining() / size];
            for (int i = 0; i < out.length; i++) {
                out[i] = size == 4 ? b.getFloat(i * 4) : b.getDouble(i * 8);
            }
            return out;
        }
        long[] l = getLongs(tag);
        if (l == null) {
            return null;
        }
        double[] out = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i];
        }
        return out;
    }

    public float getFloat(int tag, float defaultValue) {
        return (float) getDouble(tag, defaultValue);
    }

    /** Sets integers: US, SS, UL, SL, SV, UV, AT (as GGGGEEEE) in binary, IS and DS as text. */
    public Attributes setInt(int tag, VR vr, int... values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = vr == VR.AT || vr == VR.UL ? values[i] & 0xFFFFFFFFL : values[i];
        }
        return setLong(tag, vr, l);
    }

    public Attributes setLong(int tag, VR vr, long... values) {
        if (vr == VR.IS || vr == VR.DS) {
            String[] s = new String[values.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Long.toString(values[i]);
            }
            return setString(tag, vr, s);
        }
        if (vr == VR.FL || vr == VR.FD) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = values[i];
            }
            return setDouble(tag, vr, d);
        }
        int size = vr == VR.AT ? 4 : vr.valueSize();
        if (vr.kind() != VR.Kind.BINARY && vr != VR.OW && vr != VR.OL && vr != VR.OV && vr != VR.OB) {
            throw new IllegalArgumentException("VR " + vr + " of " + Tag.toString(tag) + " does not hold integers");
        }
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (size) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> {
                    if (vr == VR.AT) {
                        b.putShort((short) (v >>> 16)).putShort((short) v);
                    } else {
                        b.putInt((int) v);
                    }
                }
                default -> b.putLong(v);
            }
        }
        put(new Element(tag, vr, b.array()));
        return this;
    }

    /** Sets decimals: FL, FD, OF, OD in binary; DS as text of at most 16 characters (PS3.5 section 6.2). */
    public Attributes setDouble(int tag, VR vr, double... values) {
        if (vr == VR.DS) {
            String[] s = new String[values.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = formatDS(values[i]);
            }
            return setString(tag, vr, s);
        }
        if (vr == VR.IS) {
            long[] l = new long[values.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = Math.round(values[i]);
            }
            return setLong(tag, vr, l);
        }
        boolean single = vr == VR.FL || vr == VR.OF;
        if (!single && vr != VR.FD && vr != VR.OD) {
            throw new IllegalArgumentException("VR " + vr + " of " + Tag.toString(tag) + " does not hold decimals");
        }
        ByteBuffer b = ByteBuffer.allocate((single ? 4 : 8) * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (single) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        put(new Element(tag, vr, b.array()));
        return this;
    }

    public Attributes setFloat(int tag, VR vr, float... values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return setDouble(tag, vr, d);
    }

    /**
     * A Decimal String of at most 16 characters, PS3.5 section 6.2: the shortest plain decimal when it fits,
     * else fewer significant digits, in exponent form if need be. Finite values only.
     */
    public static String formatDS(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("DS cannot hold " + v);
        }
        if (v == 0) {
            return "0";
        }
        String plain = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        if (plain.length() <= 16) {
            return plain;
        }
        for (int digits = 15; digits > 0; digits--) {
            String s = new BigDecimal(v).round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
            if (s.length() <= 16) {
                return s;
            }
            String e = String.format(Locale.ROOT, "%." + (digits - 1) + "E", v).replace("E+", "E");
            if (e.length() <= 16) {
                return e;
            }
        }
        throw new IllegalArgumentException("cannot format " + v + " as DS");
    }

    // ---------------------------------------------------------------- private elements

    /**
     * The tag of a private element {@code (group, xxEE)} whose block is reserved by {@code creator}, PS3.5
     * section 7.8.1; {@code -1} if no such creator is present and {@code reserve} is false. With
     * {@code reserve}, the first free block (0010..00FF) is claimed by adding the creator element.
     *
     * @param elementOffset the low byte {@code EE} (0x00..0xFF) of the element within the block
     */
    public int privateTag(String creator, int group, int elementOffset, boolean reserve) {
        if ((group & 1) == 0 || group <= 7 || group == 0xFFFF) {
            throw new IllegalArgumentException(String.format("group %04X is not a private group", group));
        }
        int free = -1;
        for (int block = 0x10; block <= 0xFF; block++) {
            int ct = Tag.of(group, block);
            Element e = elements.get(ct);
            if (e == null) {
                if (free < 0) {
                    free = block;
                }
            } else if (creator.equals(getString(ct))) {
                return Tag.of(group, (block << 8) | (elementOffset & 0xFF));
            }
        }
        if (!reserve) {
            return -1;
        }
        if (free < 0) {
            throw new IllegalStateException(String.format("no free private block in group %04X", group));
        }
        setString(Tag.of(group, free), VR.LO, creator);
        return Tag.of(group, (free << 8) | (elementOffset & 0xFF));
    }

    /** The creator reserving the block of private element {@code tag}, or {@code null}. */
    public String privateCreatorOf(int tag) {
        if (!Tag.isPrivate(tag) || Tag.element(tag) < 0x1000) {
            return null;
        }
        return getString(Tag.of(Tag.group(tag), Tag.element(tag) >>> 8));
    }

    // ---------------------------------------------------------------- copying

    /** Deep-copies the listed elements of {@code other} that are present (sequences included). */
    public Attributes copyFrom(Attributes other, int... tags) {
        for (int t : tags) {
            Element e = other.elements.get(t);
            if (e != null) {
                put(copyOf(e, this));
            }
        }
        return this;
    }

    /** Deep-copies every element of {@code other} into this data set, replacing same tags. */
    public Attributes addAll(Attributes other) {
        for (Element e : other.elements.values()) {
            put(copyOf(e, this));
        }
        return this;
    }

    /** A deep copy (top level: no parent). */
    public Attributes deepCopy() {
        return new Attributes().addAll(this);
    }

    private static Element copyOf(Element e, Attributes owner) {
        if (e.isSequence()) {
            Sequence s = new Sequence(owner);
            for (Attributes item : e.sequence()) {
                s.add(item.deepCopy());
            }
            return new Element(e.tag(), VR.SQ, s);
        }
        // Byte values and fragments are never modified in place, so they can be shared.
        return e.isFragments() ? e : new Element(e.tag(), e.vr(), e.rawBytes());
    }

    private void put(Element e) {
        if (e.isSequence()) {
            for (Attributes item : e.sequence()) {
                item.setParent(this);
            }
        }
        elements.put(e.tag(), e);
    }

    // ---------------------------------------------------------------- dump

    /** A dcmdump-like listing: one line per element, items indented; long values cut. */
    @Override
    public String toString() {
        return dump(200, 64);
    }

    /**
     * @param maxLines lines before the listing is cut with "..."
     * @param maxValueChars characters of each value shown
     */
    public String dump(int maxLines, int maxValueChars) {
        StringBuilder sb = new StringBuilder();
        List<String> lines = new ArrayList<>();
        dump(lines, "", maxLines, maxValueChars);
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private void dump(List<String> lines, String indent, int maxLines, int maxValueChars) {
        ElementDictionary dict = ElementDictionary.standard();
        for (Element e : elements.values()) {
            if (lines.size() >= maxLines) {
                if (lines.isEmpty() || !lines.get(lines.size() - 1).endsWith("...")) {
                    lines.add(indent + "...");
                }
                return;
            }
            String kw = dict.keywordOf(e.tag());
            String t = Tag.toString(e.tag()).toLowerCase(Locale.ROOT);
            if (e.isSequence()) {
                lines.add(indent + t + " SQ (Sequence with " + e.sequence().size() + " items)  # " + kw);
                int i = 1;
                for (Attributes item : e.sequence()) {
                    lines.add(indent + "  (fffe,e000) na (Item #" + i++ + " with " + item.size() + " elements)");
                    item.dump(lines, indent + "    ", maxLines, maxValueChars);
                }
            } else if (e.isFragments()) {
                lines.add(indent + t + " " + e.vr() + " (PixelSequence with " + e.fragments().size() + " items, lengths "
                        + e.fragments().lengths() + ")  # " + kw);
            } else {
                lines.add(indent + t + " " + e.vr() + " " + valueText(e, maxValueChars) + "  # " + e.length() + " " + kw);
            }
        }
    }

    private String valueText(Element e, int max) {
        String s;
        if (e.vr().isText() || e.vr().kind() == VR.Kind.BINARY) {
            String[] v = getStrings(e.tag());
            s = "[" + String.join("\\", v) + "]";
            if (e.vr().kind() == VR.Kind.BINARY) {
                s = String.join("\\", v);
            }
        } else {
            byte[] b = e.rawBytes();
            StringBuilder h = new StringBuilder();
            for (int i = 0; i < Math.min(b.length, (max + 2) / 3); i++) {
                h.append(i == 0 ? "" : "\\").append(String.format("%02x", b[i] & 0xFF));
            }
            s = b.length == 0 ? "(no value available)" : h.toString();
        }
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }

    /** Bytes of {@code s} in the default repertoire, for callers that build values by hand. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
