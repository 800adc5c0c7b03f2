package org.lesionlink.igtl.message;

/** Three unsigned 16-bit counts or offsets along i, j and k (IMAGE, IMGMETA and LBMETA sizes). */
public record Extent(int i, int j, int k) {

    public Extent {
        Wire.checkUnsigned("extent i", i, 0xFFFF);
        Wire.checkUnsigned("extent j", j, 0xFFFF);
        Wire.checkUnsigned("extent k", k, 0xFFFF);
    }

    public static final Extent ZERO = new Extent(0, 0, 0);

    public long product() {
        return (long) i * j * k;
    }

    public int[] toArray() {
        return new int[] {i, j, k};
    }

    static Extent read(io.netty.buffer.ByteBuf in) {
        return new Extent(in.readUnsignedShort(), in.readUnsignedShort(), in.readUnsignedShort());
    }

    void write(io.netty.buffer.ByteBuf out) {
        out.writeShort(i).writeShort(j).writeShort(k);
    }
}
