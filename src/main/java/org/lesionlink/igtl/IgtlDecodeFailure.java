package org.lesionlink.igtl;

import java.util.Objects;

/**
 * A message that could not be decoded, passed down the pipeline in its place (like Netty's failed
 * {@code DecoderResult}) instead of an exception: the frame has been consumed, the stream is still in
 * sync and the connection carries on. Handlers may log it or answer with a STATUS (code 9 "Checksum
 * error" for {@link Reason#CRC_MISMATCH}).
 *
 * @param type the header TYPE, or "" when the header itself was incomplete
 * @param deviceName the header DEVICE_NAME, or ""
 * @param detail a sentence naming the problem
 */
public record IgtlDecodeFailure(Reason reason, String type, String deviceName, String detail) {

    /** What went wrong. */
    public enum Reason {
        /** The CRC field does not match the body; the body was skipped. */
        CRC_MISMATCH,
        /** The body does not have the layout its type (or the v3 extended header/metadata) requires. */
        MALFORMED_BODY,
        /** BODY_SIZE exceeds the decoder's limit; the body was discarded without being buffered. */
        BODY_TOO_LARGE,
        /** A header version other than 1 or 2; the body was skipped. */
        UNSUPPORTED_HEADER_VERSION,
        /** The connection ended inside a message. */
        TRUNCATED
    }

    public IgtlDecodeFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(detail, "detail");
    }

    static IgtlDecodeFailure of(Reason reason, IgtlHeader h, String detail) {
        return new IgtlDecodeFailure(reason, h.type(), h.deviceName(), detail);
    }
}
