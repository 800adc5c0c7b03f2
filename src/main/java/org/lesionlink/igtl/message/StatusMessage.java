package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * STATUS ("status.md"): code uint16, subcode int64, error name char[20], then the status message,
 * NUL-terminated (so a 38-character message makes a 69-byte body). PLUS sends an empty-named STATUS OK
 * as keep-alive; Slicer sends an empty-named header-v2 STATUS with metadata {@code dummy=dummy} when it
 * connects, to announce that it understands header version 2.
 *
 * @param code the raw code; {@link #statusCode()} maps it to the table
 * @param subcode device-specific
 * @param errorName at most 20 single-byte characters
 * @param message single-byte characters without NUL
 */
public record StatusMessage(Envelope envelope, int code, long subcode, String errorName, String message)
        implements IgtlMessage {

    public static final String TYPE = "STATUS";
    /** Bytes before the message text. */
    public static final int FIXED_SIZE = 30;

    public StatusMessage {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkUnsigned("status code", code, 0xFFFF);
        Wire.checkFixed("error name", errorName, 20);
        Wire.checkFixed("status message", message, Integer.MAX_VALUE - FIXED_SIZE - 1);
    }

    public static StatusMessage of(Envelope envelope, StatusCode code, String message) {
        return new StatusMessage(envelope, code.code(), 0, "", message);
    }

    /** The code's table entry; empty for codes outside 0..19. */
    public Optional<StatusCode> statusCode() {
        return Optional.ofNullable(StatusCode.fromCode(code));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public StatusMessage withEnvelope(Envelope e) {
        return new StatusMessage(e, code, subcode, errorName, message);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(FIXED_SIZE + message.length() + 1);
        out.writeShort(code).writeLong(subcode);
        Wire.writeFixed(out, errorName, 20);
        out.writeCharSequence(message, StandardCharsets.ISO_8859_1);
        out.writeByte(0);
        return out;
    }

    static StatusMessage read(Envelope env, ByteBuf in) {
        if (in.readableBytes() < FIXED_SIZE) {
            throw new IllegalArgumentException(TYPE + " content is " + in.readableBytes() + " bytes, at least "
                    + FIXED_SIZE + " expected");
        }
        int code = in.readUnsignedShort();
        long subcode = in.readLong();
        String errorName = Wire.readFixed(in, 20);
        String message = Wire.readFixed(in, in.readableBytes());
        return new StatusMessage(env, code, subcode, errorName, message);
    }
}
