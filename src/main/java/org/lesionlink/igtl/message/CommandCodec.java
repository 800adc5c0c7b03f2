package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** The shared COMMAND / RTS_COMMAND content layout ("command.md"). */
final class CommandCodec {

    static final int NAME_SIZE = 128;
    static final int FIXED_SIZE = 4 + NAME_SIZE + 2 + 4;

    record Fields(long commandId, String name, int encoding, String command) {
    }

    private CommandCodec() {
    }

    static void check(String type, long commandId, String name, int encoding, String command) {
        Wire.checkUnsigned(type + " command id", commandId, 0xFFFF_FFFFL);
        Wire.checkFixed(type + " command name", name, NAME_SIZE);
        Wire.checkUnsigned(type + " encoding", encoding, 0xFFFF);
        Wire.encode(type + " command", command, encoding);
    }

    static ByteBuf write(ByteBufAllocator alloc, long commandId, String name, int encoding, String command) {
        byte[] b = Wire.encode("command", command, encoding);
        ByteBuf out = alloc.buffer(FIXED_SIZE + b.length);
        out.writeInt((int) commandId);
        Wire.writeFixed(out, name, NAME_SIZE);
        out.writeShort(encoding).writeInt(b.length).writeBytes(b);
        return out;
    }

    static Fields read(String type, ByteBuf in) {
        if (in.readableBytes() < FIXED_SIZE) {
            throw new IllegalArgumentException(type + " content is " + in.readableBytes() + " bytes, at least "
                    + FIXED_SIZE + " expected");
        }
        long id = in.readUnsignedInt();
        String name = Wire.readFixed(in, NAME_SIZE);
        int encoding = in.readUnsignedShort();
        long length = in.readUnsignedInt();
        if (length != in.readableBytes()) {
            throw new IllegalArgumentException(type + " declares " + length + " command bytes, " + in.readableBytes() + " follow");
        }
        return new Fields(id, name, encoding, Wire.readText(in, (int) length, encoding));
    }
}
