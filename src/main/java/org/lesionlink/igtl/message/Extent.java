package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;

/** Three unsigned 16-bit counts or offsets along i, j and k (IMAGE, IMGMETA and LBMETA sizes). */
public record Extent(int i, int j, int k) {

    public static final Extent ZERO = new Extent(0, 0, 0);

    public Extent {
        Wire.checkUnsigned("extent i", i, 0xFFFF);
        Wire.checkUnsigned("extent j", j, 0xFFFF);
        Wire.checkUnsigned("extent k", k, 0xFFFF);
    }

    public long product() {
        return (long) i * j * k;
    }

    public int[] toArray() {
        return new int[] {i, j, k};
    }

    static Extent read(ByteBuf in) {
        return new Extent(in.readUnsignedShort(), in.readUnsignedShort(), in.readUnsignedShort());
    }

    void write(ByteBuf out) {
        out.writeShort(i).writeShort(j).writeShort(k);
    }
}
