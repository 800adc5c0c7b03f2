package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One POLYDATA topology section (vertices, lines, polygons or triangle strips) in its wire form: for
 * each cell the point count N followed by N point indices, all uint32. Immutable.
 */
public final class CellArray {

    public static final CellArray EMPTY = new CellArray(new int[0], 0);

    private final int[] data;
    private final int cellCount;

    private CellArray(int[] data, int cellCount) {
        this.data = data;
        this.cellCount = cellCount;
    }

    /** From cells given as index arrays, e.g. {@code of(new int[] {0, 1, 2}, new int[] {2, 3, 0})}. */
    public static CellArray of(int[]... cells) {
        int n = 0;
        for (int[] c : cells) {
            n += 1 + c.length;
        }
        int[] d = new int[n];
        int p = 0;
        for (int[] c : cells) {
            d[p++] = c.length;
            for (int idx : c) {
                if (idx < 0) {
                    throw new IllegalArgumentException("negative point index " + idx);
                }
                d[p++] = idx;
            }
        }
        return new CellArray(d, cells.length);
    }

    /** Reads {@code count} cells from {@code bytes} bytes; the counts must fill the section exactly. */
    static CellArray read(String section, ByteBuf in, long count, long bytes) {
        if (bytes % 4 != 0 || bytes > in.readableBytes()) {
            throw new IllegalArgumentException("POLYDATA " + section + " size " + bytes + " is not a multiple of 4 or exceeds the "
                    + in.readableBytes() + " bytes left");
        }
        int words = (int) (bytes / 4);
        int[] d = new int[words];
        for (int i = 0; i < words; i++) {
            d[i] = in.readInt();
        }
        long cells = 0;
        int p = 0;
        while (p < words) {
            long n = Integer.toUnsignedLong(d[p]);
            if (n > words - p - 1) {
                throw new IllegalArgumentException("POLYDATA " + section + " cell " + cells + " declares " + n
                        + " points, only " + (words - p - 1) + " words left");
            }
            p += 1 + (int) n;
            cells++;
        }
        if (cells != count) {
            throw new IllegalArgumentException("POLYDATA " + section + " holds " + cells + " cells, header says " + count);
        }
        return new CellArray(d, (int) cells);
    }

    void write(ByteBuf out) {
        for (int v : data) {
            out.writeInt(v);
        }
    }

    public int cellCount() {
        return cellCount;
    }

    /** Section size in bytes (the SIZE_* field). */
    public int byteSize() {
        return data.length * 4;
    }

    /** The cells as index arrays. */
    public List<int[]> cells() {
        List<int[]> out = new ArrayList<>(cellCount);
        int p = 0;
        while (p < data.length) {
            int n = data[p];
            out.add(Arrays.copyOfRange(data, p + 1, p + 1 + n));
            p += 1 + n;
        }
        return out;
    }

    /** The wire words (a copy). */
    public int[] toWire() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellArray c && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CellArray[" + cellCount + " cells, " + data.length + " words]";
    }
}
