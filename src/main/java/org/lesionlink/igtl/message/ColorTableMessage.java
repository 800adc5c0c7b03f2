package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * COLORT ("colortable.md"): index type uint8 (3 uint8 = 256 entries, 5 uint16 = 65536 entries), map
 * type uint8 (3 uint8, 5 uint16, 19 RGB = 3 bytes), then the table, entries x map size bytes. Slicer has
 * no COLORT converter.
 *
 * @param table the raw table bytes (multi-byte map values big-endian); read-only view
 */
public record ColorTableMessage(Envelope envelope, int indexType, int mapType, ByteBuffer table) implements IgtlMessage {

    public static final String TYPE = "COLORT";
    public static final int INDEX_UINT8 = 3;
    public static final int INDEX_UINT16 = 5;
    public static final int MAP_UINT8 = 3;
    public static final int MAP_UINT16 = 5;
    public static final int MAP_RGB = 19;

    public ColorTableMessage {
        Objects.requireNonNull(envelope, "envelope");
        table = Wire.frozen("table", table);
        long expected = (long) entries(indexType) * entrySize(mapType);
        if (table.remaining() != expected) {
            throw new IllegalArgumentException("COLORT table is " + table.remaining() + " bytes, index type "
                    + indexType + " and map type " + mapType + " need " + expected);
        }
    }

    /** An RGB table for uint8 labels from 256 packed 0xRRGGBB values. */
    public static ColorTableMessage rgb8(Envelope envelope, int[] rgb) {
        if (rgb.length != 256) {
            throw new IllegalArgumentException("a uint8-indexed table has 256 entries, got " + rgb.length);
        }
        ByteBuffer b = ByteBuffer.allocate(256 * 3);
        for (int c : rgb) {
            b.put((byte) (c >> 16)).put((byte) (c >> 8)).put((byte) c);
        }
        return new ColorTableMessage(envelope, INDEX_UINT8, MAP_RGB, b.flip());
    }

    @Override
    public ByteBuffer table() {
        return table.duplicate();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ColorTableMessage withEnvelope(Envelope e) {
        return new ColorTableMessage(e, indexType, mapType, table);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf head = alloc.buffer(2).writeByte(indexType).writeByte(mapType);
        return Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(table.duplicate()));
    }

    static ColorTableMessage read(Envelope env, ByteBuf in) {
        int indexType = in.readUnsignedByte();
        int mapType = in.readUnsignedByte();
        return new ColorTableMessage(env, indexType, mapType, Wire.view(in, in.readableBytes()));
    }

    private static int entries(int indexType) {
        return switch (indexType) {
            case INDEX_UINT8 -> 256;
            case INDEX_UINT16 -> 65536;
            default -> throw new IllegalArgumentException("COLORT index type must be 3 (uint8) or 5 (uint16), got " + indexType);
        };
    }

    private static int entrySize(int mapType) {
        return switch (mapType) {
            case MAP_UINT8 -> 1;
            case MAP_UINT16 -> 2;
            case MAP_RGB -> 3;
            default -> throw new IllegalArgumentException("COLORT map type must be 3, 5 or 19, got " + mapType);
        };
    }
}
