package org.lesionlink.dicom.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One data element of an {@link Attributes} data set, PS3.5 section 7.1: tag, VR and value. The value is one of
 * <ul>
 *   <li>raw bytes, exactly as read (padding included) but always in <b>little-endian</b> order: values read from
 *       a big-endian file are swapped per VR on input, so the model has one byte order;</li>
 *   <li>a {@link Sequence} for SQ;</li>
 *   <li>{@link Fragments} for encapsulated Pixel Data.</li>
 * </ul>
 * The byte array is owned by the element and never handed out for writing. Instances are immutable as far as
 * the byte value goes; a sequence's items can be edited through the sequence.
 */
public final class Element {

    private final int tag;
    private final VR vr;
    private final Object value;

    Element(int tag, VR vr, Object value) {
        this.tag = tag;
        this.vr = Objects.requireNonNull(vr, "vr");
        this.value = Objects.requireNonNull(value, "value");
    }

    public int tag() {
        return tag;
    }

    public VR vr() {
        return vr;
    }

    public boolean isSequence() {
        return value instanceof Sequence;
    }

    public boolean isFragments() {
        return value instanceof Fragments;
    }

    /** The sequence, or {@code null} if this is not an SQ element. */
    public Sequence sequence() {
        return value instanceof Sequence s ? s : null;
    }

    /** The encapsulated pixel data, or {@code null}. */
    public Fragments fragments() {
        return value instanceof Fragments f ? f : null;
    }

    /** Length of the byte value, or -1 for sequences and fragments (which are written with undefined length). */
    public int length() {
        return value instanceof byte[] b ? b.length : -1;
    }

    public boolean isEmpty() {
        return value instanceof byte[] b ? b.length == 0 : value instanceof Sequence s ? s.isEmpty() : false;
    }

    /** A copy of the byte value (little endian), or an empty array for sequences and fragments. */
    public byte[] bytes() {
        return value instanceof byte[] b ? b.clone() : new byte[0];
    }

    /** A read-only little-endian view of the byte value, without copying (for bulk pixel data). */
    public ByteBuffer buffer() {
        byte[] b = value instanceof byte[] a ? a : new byte[0];
        return ByteBuffer.wrap(b).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes the byte value, without padding, to {@code out}. */
    public void writeValue(OutputStream out) throws IOException {
        if (value instanceof byte[] b) {
            out.write(b);
        }
    }

    /** The array itself, for this package's typed getters only. */
    byte[] rawBytes() {
        return value instanceof byte[] b ? b : null;
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + (value instanceof byte[] b ? " #" + b.length
                : value instanceof Sequence s ? " " + s.size() + " items" : " fragments");
    }
}
