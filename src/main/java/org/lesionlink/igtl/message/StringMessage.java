package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * STRING ("string.md"): encoding uint16 (IANA MIBenum, 3 = US-ASCII), length uint16, then that many
 * bytes without terminator; at most 65535 bytes. Slicer maps it to a text node. Legacy PLUS commands
 * travel as STRING named {@code CMD_<uid>} and are answered with {@code ACK_<uid>}.
 *
 * <p>Decoding is lenient, so that a sender's mislabelled text never costs the message (see
 * {@link Wire#charset}): with encoding 3 (US-ASCII) a byte above 0x7F is kept as the character
 * U+0080..U+00FF (ISO-8859-1) and the message re-encodes to the same bytes; with 106 (UTF-8) an invalid
 * sequence becomes U+FFFD (the original bytes are lost). Accordingly the constructor accepts characters
 * up to U+00FF with encoding 3.
 */
public record StringMessage(Envelope envelope, int encoding, String text) implements IgtlMessage {

    public static final String TYPE = "STRING";

    public StringMessage {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkUnsigned("encoding", encoding, 0xFFFF);
        int n = Wire.encode("STRING text", text, encoding).length;
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("STRING text is " + n + " bytes, at most 65535 fit");
        }
    }

    /** US-ASCII when possible, else UTF-8. */
    public static StringMessage of(Envelope envelope, String text) {
        return new StringMessage(envelope, Wire.mibFor(text), text);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public StringMessage withEnvelope(Envelope e) {
        return new StringMessage(e, encoding, text);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        byte[] b = Wire.encode("STRING text", text, encoding);
        return alloc.buffer(4 + b.length).writeShort(encoding).writeShort(b.length).writeBytes(b);
    }

    static StringMessage read(Envelope env, ByteBuf in) {
        int encoding = in.readUnsignedShort();
        int length = in.readUnsignedShort();
        Wire.checkLength(TYPE + " text", in, length);
        return new StringMessage(env, encoding, Wire.readText(in, length, encoding));
    }
}
