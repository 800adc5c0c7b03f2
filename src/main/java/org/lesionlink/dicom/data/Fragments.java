package org.lesionlink.dicom.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encapsulated Pixel Data, PS3.5 section A.4: the Basic Offset Table (the first item, possibly empty) and the
 * compressed fragments, carried byte for byte and never decoded. The offset table is item 0.
 */
public final class Fragments {

    private final VR vr;
    private final List<byte[]> items = new ArrayList<>();

    /** @param vr OB normally; OW is seen in files from some writers and kept as read */
    public Fragments(VR vr) {
        this.vr = vr;
    }

    public VR vr() {
        return vr;
    }

    /** Appends an item (the offset table first); the array is taken over, not copied. */
    public void add(byte[] item) {
        items.add(item);
    }

    public int size() {
        return items.size();
    }

    /** Item {@code index} as a read-only view (0 is the Basic Offset Table). */
    public ByteBuffer item(int index) {
        return ByteBuffer.wrap(items.get(index)).asReadOnlyBuffer();
    }

    /** Item lengths, for dumps. */
    public List<Integer> lengths() {
        List<Integer> l = new ArrayList<>(items.size());
        for (byte[] b : items) {
            l.add(b.length);
        }
        return Collections.unmodifiableList(l);
    }

    /** Writes item {@code index}'s bytes (without item header) to {@code out}; no copy is made. */
    public void writeItem(int index, java.io.OutputStream out) throws java.io.IOException {
        out.write(items.get(index));
    }
}
