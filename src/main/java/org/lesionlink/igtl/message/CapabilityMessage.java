package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * CAPABILITY ("capability.md"): the message types the sender can interpret, each a NUL-padded 12-byte
 * type name; the count is BODY_SIZE / 12. Slicer ignores it.
 */
public record CapabilityMessage(Envelope envelope, List<String> types) implements IgtlMessage {

    public static final String TYPE = "CAPABILITY";

    public CapabilityMessage {
        Objects.requireNonNull(envelope, "envelope");
        types = List.copyOf(types);
        for (String t : types) {
            Wire.checkFixed("capability type", t, 12);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CapabilityMessage withEnvelope(Envelope e) {
        return new CapabilityMessage(e, types);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(12 * types.size());
        for (String t : types) {
            Wire.writeFixed(out, t, 12);
        }
        return out;
    }

    static CapabilityMessage read(Envelope env, ByteBuf in) {
        int n = Wire.elementCount(TYPE, in, 12);
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = Wire.readFixed(in, 12);
        }
        return new CapabilityMessage(env, List.of(t));
    }
}
