package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A message of a type this library does not model (TRAJ, BIND, SENSOR, VIDEO, vendor types...). The
 * header's BODY_SIZE lets every receiver skip such messages ("index.md": forward compatibility); the
 * content is kept raw so a relay can forward it unchanged.
 *
 * @param content the raw content bytes (without v3 extended header and metadata); read-only view
 */
public record UnknownMessage(Envelope envelope, String type, ByteBuffer content) implements IgtlMessage {

    public UnknownMessage {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkFixed("type", type, 12);
        content = Wire.frozen("content", content);
    }

    @Override
    public ByteBuffer content() {
        return content.duplicate();
    }

    @Override
    public UnknownMessage withEnvelope(Envelope e) {
        return new UnknownMessage(e, type, content);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return Unpooled.wrappedBuffer(content.duplicate());
    }

    static UnknownMessage read(String type, Envelope env, ByteBuf in) {
        return new UnknownMessage(env, type, Wire.view(in, in.readableBytes()));
    }
}
