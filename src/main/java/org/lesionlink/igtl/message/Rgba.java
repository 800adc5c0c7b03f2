package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;

/** A colour as four uint8 values (POINT, LBMETA). */
public record Rgba(int r, int g, int b, int a) {

    public Rgba {
        Wire.checkUnsigned("red", r, 255);
        Wire.checkUnsigned("green", g, 255);
        Wire.checkUnsigned("blue", b, 255);
        Wire.checkUnsigned("alpha", a, 255);
    }

    static Rgba read(ByteBuf in) {
        return new Rgba(in.readUnsignedByte(), in.readUnsignedByte(), in.readUnsignedByte(), in.readUnsignedByte());
    }

    void write(ByteBuf out) {
        out.writeByte(r).writeByte(g).writeByte(b).writeByte(a);
    }
}
