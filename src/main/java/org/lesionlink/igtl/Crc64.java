package org.lesionlink.igtl;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The CRC-64 of the OpenIGTLink header's {@code CRC} field (protocol document "header.md", section
 * "Header"): ECMA-182, polynomial {@code 0x42F0E1EBA9EA3693}, initial value 0, MSB-first (not
 * reflected), no final XOR. The check value for ASCII {@code "123456789"} is
 * {@code 0x6C40DF5F0B497347}. It covers the whole body (extended header, content and metadata) and
 * never the 58-byte header; an empty body has CRC 0.
 *
 * <p>Table-driven "slicing-by-8": eight 256-entry tables consume eight bytes per step, about four times
 * the speed of the classic byte-at-a-time loop (which {@link #updateBytewise} keeps as the reference).
 * All methods read their input in place, without copying, and can be chained: pass the previous result
 * as {@code crc} to continue over the next chunk, so a body arriving in pieces is checked as it lands.
 */
public final class Crc64 {

    /** ECMA-182 generator polynomial, MSB-first. */
    public static final long POLYNOMIAL = 0x42F0E1EBA9EA3693L;

    /** {@code TABLES[k][b]}: the CRC register contribution of byte {@code b} followed by {@code k} zero bytes. */
    private static final long[][] TABLES = new long[8][256];

    static {
        long[] t0 = TABLES[0];
        for (int b = 0; b < 256; b++) {
            long r = (long) b << 56;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x8000000000000000L) != 0 ? (r << 1) ^ POLYNOMIAL : r << 1;
            }
            t0[b] = r;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                long prev = TABLES[k - 1][b];
                TABLES[k][b] = (prev << 8) ^ t0[(int) (prev >>> 56)];
            }
        }
    }

    /** Reads eight array bytes as one big-endian long (an intrinsic, no bounds check per byte). */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The same for any {@link ByteBuffer} at an absolute index, whatever the buffer's own byte order. */
    private static final VarHandle LONG_BE_BUFFER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Crc64() {
    }

    /** CRC of a whole array. */
    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /** CRC of the readable bytes of {@code buf}; its indices are not changed. */
    public static long of(ByteBuf buf) {
        return update(0, buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Continues {@code crc} over {@code data[offset, offset + length)}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        long[] t0 = TABLES[0];
        int i = offset;
        int end = offset + length;
        for (int stop = end - 7; i < stop; i += 8) {
            crc = step(crc ^ (long) LONG_BE.get(data, i));
        }
        for (; i < end; i++) {
            crc = t0[(int) ((crc >>> 56) ^ (data[i] & 0xFF))] ^ (crc << 8);
        }
        return crc;
    }

    /**
     * Continues {@code crc} over the remaining bytes of {@code data}; its position is not changed.
     * Buffers without an accessible array (direct, and read-only ones such as IMAGE pixel views) are read
     * eight bytes at a time through a {@link VarHandle} view, about as fast as an array and a third
     * faster than {@link ByteBuffer#getLong()}.
     */
    public static long update(long crc, ByteBuffer data) {
        if (data.hasArray()) {
            return update(crc, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        long[] t0 = TABLES[0];
        int i = data.position();
        int end = data.limit();
        for (int stop = end - 7; i < stop; i += 8) {
            crc = step(crc ^ (long) LONG_BE_BUFFER.get(data, i));
        }
        for (; i < end; i++) {
            crc = t0[(int) ((crc >>> 56) ^ (data.get(i) & 0xFF))] ^ (crc << 8);
        }
        return crc;
    }

    /**
     * Continues {@code crc} over {@code buf[index, index + length)} without changing the buffer's indices.
     * Works on heap, direct and composite buffers alike.
     */
    public static long update(long crc, ByteBuf buf, int index, int length) {
        if (length == 0) {
            return crc;
        }
        if (buf.hasArray()) {
            Objects.checkFromIndexSize(index, length, buf.capacity());
            return update(crc, buf.array(), buf.arrayOffset() + index, length);
        }
        if (buf.nioBufferCount() > 0) { // direct, composite or wrapped: walk its NIO views, no copy
            for (ByteBuffer b : buf.nioBuffers(index, length)) {
                crc = update(crc, b);
            }
            return crc;
        }
        long[] t0 = TABLES[0];
        int i = index;
        int end = index + length;
        for (int stop = end - 7; i < stop; i += 8) {
            crc = step(crc ^ buf.getLong(i)); // ByteBuf.getLong is big-endian
        }
        for (; i < end; i++) {
            crc = t0[(int) ((crc >>> 56) ^ buf.getUnsignedByte(i))] ^ (crc << 8);
        }
        return crc;
    }

    /**
     * The reference byte-at-a-time algorithm, {@code crc = T[byte ^ (crc >>> 56)] ^ (crc << 8)}; kept for
     * tests and as documentation of what slicing-by-8 computes.
     */
    public static long updateBytewise(long crc, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        long[] t0 = TABLES[0];
        for (int i = offset; i < offset + length; i++) {
            crc = t0[(int) ((crc >>> 56) ^ (data[i] & 0xFF))] ^ (crc << 8);
        }
        return crc;
    }

    /** Advances the register over eight bytes already XORed into it ({@code v = crc ^ next8}). */
    private static long step(long v) {
        long[][] t = TABLES;
        return t[7][(int) (v >>> 56)] ^ t[6][(int) (v >>> 48) & 0xFF] ^ t[5][(int) (v >>> 40) & 0xFF]
                ^ t[4][(int) (v >>> 32) & 0xFF] ^ t[3][(int) (v >>> 24) & 0xFF] ^ t[2][(int) (v >>> 16) & 0xFF]
                ^ t[1][(int) (v >>> 8) & 0xFF] ^ t[0][(int) v & 0xFF];
    }
}
