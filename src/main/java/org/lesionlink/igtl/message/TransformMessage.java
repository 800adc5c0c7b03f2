package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * TRANSFORM ("transform.md"): a 3x4 matrix, 48 bytes. PLUS names the device {@code <From>To<To>}, e.g.
 * {@code ProbeToTracker}, and in v3 adds metadata {@code TransformStatus}.
 */
public record TransformMessage(Envelope envelope, TransformMatrix matrix) implements IgtlMessage {

    public static final String TYPE = "TRANSFORM";

    public TransformMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(matrix, "matrix");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TransformMessage withEnvelope(Envelope e) {
        return new TransformMessage(e, matrix);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(TransformMatrix.SIZE);
        matrix.write(out);
        return out;
    }

    static TransformMessage read(Envelope env, ByteBuf in) {
        Wire.checkLength(TYPE, in, TransformMatrix.SIZE);
        return new TransformMessage(env, TransformMatrix.read(in));
    }
}
