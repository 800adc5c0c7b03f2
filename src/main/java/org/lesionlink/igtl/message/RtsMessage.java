package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * {@code RTS_<type>} ("index.md", section "Query"), the "ready to send" answer to STT_ (and, for
 * IMAGE, to a failed GET_): one status byte, 0 success, 1 error. RTS_COMMAND has its own layout and is
 * {@link RtsCommandMessage}.
 */
public record RtsMessage(Envelope envelope, String type, int status) implements IgtlMessage {

    public static final String PREFIX = "RTS_";
    public static final int SUCCESS = 0;
    public static final int ERROR = 1;

    public RtsMessage {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkFixed("type", type, 12);
        if (!type.startsWith(PREFIX) || type.length() == PREFIX.length() || type.equals(RtsCommandMessage.TYPE)) {
            throw new IllegalArgumentException("an RTS message type starts with RTS_ (not RTS_COMMAND), got " + type);
        }
        Wire.checkUnsigned("RTS status", status, 255);
    }

    public String dataType() {
        return IgtlMessages.dataType(type);
    }

    public boolean success() {
        return status == SUCCESS;
    }

    @Override
    public RtsMessage withEnvelope(Envelope e) {
        return new RtsMessage(e, type, status);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return alloc.buffer(1).writeByte(status);
    }

    static RtsMessage read(String type, Envelope env, ByteBuf in) {
        Wire.checkLength(type, in, 1);
        return new RtsMessage(env, type, in.readUnsignedByte());
    }
}
