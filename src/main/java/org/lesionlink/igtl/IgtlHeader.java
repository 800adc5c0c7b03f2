package org.lesionlink.igtl;

import io.netty.buffer.ByteBuf;
import java.time.Instant;
import org.lesionlink.igtl.message.Wire;

/**
 * The 58-byte header that starts every OpenIGTLink message (protocol document "header.md", section
 * "Header"). All numbers are big-endian.
 *
 * <pre>
 * offset size field
 *      0    2 V            header version: 1 (protocol v1, v2), 2 (protocol v3: extended header + metadata)
 *      2   12 TYPE         ASCII, NUL-padded; no terminator when all 12 are used ("GET_POSITION")
 *     14   20 DEVICE_NAME  ASCII, NUL-padded; may be empty or use all 20
 *     34    8 TIMESTAMP    see {@link IgtlTimestamp}; 0 = not set
 *     42    8 BODY_SIZE    bytes after the header (extended header + content + metadata in v3)
 *     50    8 CRC          {@link Crc64} of the body
 * </pre>
 *
 * @param version header version, an unsigned 16-bit value
 * @param type message type name, at most 12 characters
 * @param deviceName at most 20 characters
 * @param timestamp raw unsigned 64-bit wire value
 * @param bodySize raw unsigned 64-bit wire value
 * @param crc raw 64-bit wire value
 */
public record IgtlHeader(int version, String type, String deviceName, long timestamp, long bodySize, long crc) {

    /** Header length in bytes. */
    public static final int SIZE = 58;
    /** Width of the TYPE field. */
    public static final int TYPE_SIZE = 12;
    /** Width of the DEVICE_NAME field. */
    public static final int DEVICE_NAME_SIZE = 20;
    /** Offset of BODY_SIZE. */
    public static final int BODY_SIZE_OFFSET = 42;
    /** Offset of CRC. */
    public static final int CRC_OFFSET = 50;

    public IgtlHeader {
        if (version < 0 || version > 0xFFFF) {
            throw new IllegalArgumentException("header version must be an unsigned 16-bit value, got " + version);
        }
        Wire.checkFixed("type", type, TYPE_SIZE);
        Wire.checkFixed("device name", deviceName, DEVICE_NAME_SIZE);
    }

    /** Reads a header from the next 58 readable bytes of {@code in}. */
    public static IgtlHeader read(ByteBuf in) {
        int version = in.readUnsignedShort();
        String type = Wire.readFixed(in, TYPE_SIZE);
        String device = Wire.readFixed(in, DEVICE_NAME_SIZE);
        return new IgtlHeader(version, type, device, in.readLong(), in.readLong(), in.readLong());
    }

    /** Writes the 58 header bytes. */
    public void write(ByteBuf out) {
        out.writeShort(version);
        Wire.writeFixed(out, type, TYPE_SIZE);
        Wire.writeFixed(out, deviceName, DEVICE_NAME_SIZE);
        out.writeLong(timestamp);
        out.writeLong(bodySize);
        out.writeLong(crc);
    }

    /** The timestamp as an instant; check {@link #hasTimestamp()} first, 0 reads as the epoch. */
    public Instant timestampInstant() {
        return IgtlTimestamp.toInstant(timestamp);
    }

    /** The timestamp as nanoseconds since the epoch. */
    public long timestampNanos() {
        return IgtlTimestamp.toEpochNanos(timestamp);
    }

    public boolean hasTimestamp() {
        return timestamp != IgtlTimestamp.UNSET;
    }

    @Override
    public String toString() {
        return "IgtlHeader[v" + version + " " + type + " '" + deviceName + "' ts=0x" + Long.toHexString(timestamp)
                + " body=" + Long.toUnsignedString(bodySize) + " crc=0x" + Long.toHexString(crc) + "]";
    }
}
