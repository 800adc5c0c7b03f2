package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One OpenIGTLink message: an {@link Envelope} (device name, timestamp, header version, v3 message ID
 * and metadata) and the type-specific content, one immutable record per message type of the protocol
 * documents ({@code Documents/Protocol/*.md} of OpenIGTLink). Types this library does not model arrive as
 * {@link UnknownMessage}, so a receiver can always skip them.
 *
 * <p>Records keep wire values as received (float32 matrices, raw quaternions, raw timestamps), so that
 * encoding a decoded message reproduces its bytes; interpretation helpers (normalised quaternion,
 * {@code Volume} conversion) are methods.
 */
public sealed interface IgtlMessage
        permits ImageMessage, TransformMessage, PositionMessage, TrackingDataMessage, QuaternionTrackingDataMessage,
                StatusMessage, StringMessage, CommandMessage, RtsCommandMessage, CapabilityMessage, ImageMetaMessage,
                LabelMetaMessage, ColorTableMessage, PointMessage, PolyDataMessage, NdArrayMessage,
                GetQuery, StartQuery, StopQuery, RtsMessage, UnknownMessage {

    Envelope envelope();

    /** The header TYPE string, e.g. {@code "TRANSFORM"} or {@code "GET_IMAGE"}. */
    String type();

    /** This message with another envelope (for example another header version). */
    IgtlMessage withEnvelope(Envelope envelope);

    /**
     * The content section of the body (without the v3 extended header and metadata) in a new buffer that
     * the caller releases. Large payloads may be wrapped rather than copied.
     */
    ByteBuf encodeContent(ByteBufAllocator alloc);

    default String deviceName() {
        return envelope().deviceName();
    }

    default int headerVersion() {
        return envelope().headerVersion();
    }

    default long timestamp() {
        return envelope().timestamp();
    }

    default long messageId() {
        return envelope().messageId();
    }

    default Map<String, String> metadata() {
        return envelope().metadata();
    }

    /**
     * Decodes a content section. Unknown types become {@link UnknownMessage}; malformed content throws
     * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException} naming the problem.
     *
     * @param content exactly the content bytes (its remaining ones). Payload fields (IMAGE pixels,
     *     NDARRAY data, unknown content...) become read-only views of it, not copies: the caller hands
     *     the memory over and must not change it afterwards.
     */
    static IgtlMessage decode(String type, Envelope envelope, ByteBuffer content) {
        ByteBuf buf = Unpooled.wrappedBuffer(content.slice());
        try {
            return IgtlMessages.decode(type, envelope, buf);
        } finally {
            buf.release();
        }
    }
}
