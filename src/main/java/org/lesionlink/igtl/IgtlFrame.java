package org.lesionlink.igtl;

import java.util.Objects;

/**
 * One framed message as {@link IgtlFrameDecoder} emits it: the parsed header, the body in a heap array
 * of exactly BODY_SIZE bytes, and the CRC-64 the framer computed over the body while it arrived.
 *
 * <p>The array is handed over, not copied: decoded payloads (IMAGE pixels, raw content) are views of it.
 * Being a plain Java array it needs no release, so frames and messages carry no reference counts.
 */
public final class IgtlFrame {

    private final IgtlHeader header;
    private final byte[] body;
    private final long bodyCrc;

    /**
     * @param body exactly {@code header.bodySize()} bytes; ownership passes to the frame
     * @param bodyCrc {@link Crc64} of {@code body}
     */
    public IgtlFrame(IgtlHeader header, byte[] body, long bodyCrc) {
        this.header = Objects.requireNonNull(header, "header");
        this.body = Objects.requireNonNull(body, "body");
        if (header.bodySize() != body.length) {
            throw new IllegalArgumentException("body has " + body.length + " bytes, header says " + header.bodySize());
        }
        this.bodyCrc = bodyCrc;
    }

    /** A frame from a header and body, computing the CRC. */
    public static IgtlFrame of(IgtlHeader header, byte[] body) {
        return new IgtlFrame(header, body, Crc64.of(body));
    }

    public IgtlHeader header() {
        return header;
    }

    /** The body array itself (not a copy). */
    public byte[] body() {
        return body;
    }

    /** The CRC computed over the body as received (compare with {@code header().crc()}). */
    public long bodyCrc() {
        return bodyCrc;
    }

    @Override
    public String toString() {
        return "IgtlFrame[" + header + ", computed crc=0x" + Long.toHexString(bodyCrc) + "]";
    }
}
