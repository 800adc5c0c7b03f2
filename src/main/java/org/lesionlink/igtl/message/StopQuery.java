package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/** {@code STP_<type>} ("index.md", section "Query"): stops a stream started with STT_; empty body. */
public record StopQuery(Envelope envelope, String type) implements IgtlMessage {

    public static final String PREFIX = "STP_";

    public StopQuery {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkFixed("type", type, 12);
        if (!type.startsWith(PREFIX) || type.length() == PREFIX.length()) {
            throw new IllegalArgumentException("a stop query type starts with STP_, got " + type);
        }
    }

    public String dataType() {
        return IgtlMessages.dataType(type);
    }

    @Override
    public StopQuery withEnvelope(Envelope e) {
        return new StopQuery(e, type);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return Unpooled.EMPTY_BUFFER;
    }
}
