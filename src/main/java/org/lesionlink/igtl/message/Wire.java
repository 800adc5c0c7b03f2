package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Field-level helpers shared by the message records: fixed-width character fields and IANA MIBenum
 * character encodings. Public because {@code org.lesionlink.igtl} uses them for the header; not meant
 * for application code.
 */
public final class Wire {

    /** IANA MIBenum of US-ASCII, the protocol's default encoding. */
    public static final int MIB_US_ASCII = 3;
    /** IANA MIBenum of ISO-8859-1. */
    public static final int MIB_ISO_8859_1 = 4;
    /** IANA MIBenum of UTF-8. */
    public static final int MIB_UTF_8 = 106;
    /** IANA MIBenum of UTF-16BE. */
    public static final int MIB_UTF_16BE = 1013;
    /** IANA MIBenum of UTF-16LE. */
    public static final int MIB_UTF_16LE = 1014;
    /** IANA MIBenum of UTF-16 (with byte order mark). */
    public static final int MIB_UTF_16 = 1015;

    private Wire() {
    }

    /**
     * Checks that {@code value} fits a fixed-width NUL-padded field of {@code width} bytes: at most
     * {@code width} characters, each one byte (ISO-8859-1; the protocol says ASCII), no NUL inside.
     * A value may fill the whole field, in which case it has no terminator.
     */
    public static String checkFixed(String field, String value, int width) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null (use \"\")");
        }
        if (value.length() > width) {
            throw new IllegalArgumentException(field + " '" + value + "' has " + value.length()
                    + " characters, the field holds " + width);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c > 0xFF) {
                throw new IllegalArgumentException(field + " '" + value + "' contains character U+"
                        + String.format("%04X", (int) c) + " at " + i + "; only single-byte characters other than NUL fit");
            }
        }
        return value;
    }

    /** Reads a fixed-width field: the bytes before the first NUL (or all {@code width}), ISO-8859-1. */
    public static String readFixed(ByteBuf in, int width) {
        int start = in.readerIndex();
        int len = 0;
        while (len < width && in.getByte(start + len) != 0) {
            len++;
        }
        String s = in.toString(start, len, StandardCharsets.ISO_8859_1);
        in.skipBytes(width);
        return s;
    }

    /** Writes {@code value} (already {@linkplain #checkFixed checked}) NUL-padded to {@code width} bytes. */
    public static void writeFixed(ByteBuf out, String value, int width) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            out.writeByte(value.charAt(i));
        }
        out.writeZero(width - n);
    }

    /**
     * The charset LesionLink reads and writes text of an IANA MIBenum with. Unknown values decode as
     * ISO-8859-1 (every byte kept). <b>US-ASCII (3) maps to its 8-bit superset ISO-8859-1</b>: senders that
     * label Latin-1 text as ASCII (the protocol's default) are common, and a byte above 0x7F then becomes
     * U+0080..U+00FF instead of failing the message; the text re-encodes to the same bytes. Text that is
     * really ASCII is unaffected.
     */
    public static Charset charset(int mibEnum) {
        return switch (mibEnum) {
            case MIB_US_ASCII -> StandardCharsets.ISO_8859_1;
            case MIB_UTF_8 -> StandardCharsets.UTF_8;
            case MIB_UTF_16BE -> StandardCharsets.UTF_16BE;
            case MIB_UTF_16LE -> StandardCharsets.UTF_16LE;
            case MIB_UTF_16 -> StandardCharsets.UTF_16;
            default -> StandardCharsets.ISO_8859_1;
        };
    }

    /** US-ASCII (3) when every character is ASCII, else UTF-8 (106). */
    public static int mibFor(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7F) {
                return MIB_UTF_8;
            }
        }
        return MIB_US_ASCII;
    }

    /**
     * Decodes {@code length} bytes of text in a MIBenum's {@linkplain #charset charset}, leniently: bytes
     * that are not valid in it (a broken UTF-8 sequence) become U+FFFD; nothing throws. Advances the reader.
     */
    public static String readText(ByteBuf in, int length, int mibEnum) {
        if (length > in.readableBytes()) {
            throw new IndexOutOfBoundsException("text of " + length + " bytes, " + in.readableBytes() + " left");
        }
        String s = in.toString(in.readerIndex(), length, charset(mibEnum));
        in.skipBytes(length);
        return s;
    }

    /** Encodes {@code text} with a MIBenum's {@linkplain #charset charset}, failing on characters it cannot hold. */
    public static byte[] encode(String field, String text, int mibEnum) {
        Charset cs = charset(mibEnum);
        if (!cs.newEncoder().canEncode(text)) {
            throw new IllegalArgumentException(field + " cannot be encoded as " + cs + " (MIBenum " + mibEnum + ")");
        }
        return text.getBytes(cs);
    }

    /** Bytes of {@code s} in UTF-8 (unpaired surrogates count as the one-byte '?' Java writes for them). */
    public static long utf8Length(String s) {
        long n = s.length(); // one byte per char to start with
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    n += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 2; // the pair is 4 bytes for 2 chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    n += 2;
                }
            }
        }
        return n;
    }

    /** {@code s} cut to 40 characters for an error message. */
    public static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** A read-only view of the next {@code length} bytes of {@code in} (no copy); advances the reader. */
    static ByteBuffer view(ByteBuf in, int length) {
        if (length > in.readableBytes()) {
            throw new IndexOutOfBoundsException("need " + length + " bytes, " + in.readableBytes() + " left");
        }
        ByteBuffer b = in.nioBuffer(in.readerIndex(), length).asReadOnlyBuffer();
        in.skipBytes(length);
        return b;
    }

    /** A read-only, position-0 view of the remaining bytes of a buffer handed to a record. */
    static ByteBuffer frozen(String field, ByteBuffer b) {
        if (b == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return b.slice().asReadOnlyBuffer();
    }

    static void checkUnsigned(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be in 0.." + max + ", got " + value);
        }
    }

    static void checkLength(String type, ByteBuf content, int expected) {
        if (content.readableBytes() != expected) {
            throw new IllegalArgumentException(type + " content is " + content.readableBytes()
                    + " bytes, expected " + expected);
        }
    }

    static int elementCount(String type, ByteBuf content, int elementSize) {
        int n = content.readableBytes();
        if (n % elementSize != 0) {
            throw new IllegalArgumentException(type + " content is " + n + " bytes, not a multiple of the "
                    + elementSize + "-byte element");
        }
        return n / elementSize;
    }

    static void checkEnd(String type, ByteBuf content) {
        if (content.isReadable()) {
            throw new IllegalArgumentException(type + " content has " + content.readableBytes() + " unexpected trailing bytes");
        }
    }
}
