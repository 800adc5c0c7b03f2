package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * {@code STT_<type>} ("index.md", section "Query"): asks the peer to stream a type until STP_. The body
 * has one of three forms:
 * <ul>
 *   <li>{@link Form#EMPTY}: no body;
 *   <li>{@link Form#TRACKING} (STT_TDATA, STT_QTDATA; "trackingdata.md"): resolution int32 in ms (minimum
 *       interval, 0 = as fast as possible) and a coordinate system name char[32], 36 bytes;
 *   <li>{@link Form#RESOLUTION} (e.g. STT_POLYDATA, STT_IMAGE): resolution uint64 in ns, 8 bytes.
 * </ul>
 *
 * @param resolution ms for TRACKING, ns for RESOLUTION, 0 for EMPTY
 * @param coordinateName only for TRACKING, else empty
 */
public record StartQuery(Envelope envelope, String type, Form form, long resolution, String coordinateName)
        implements IgtlMessage {

    public static final String PREFIX = "STT_";
    public static final int TRACKING_SIZE = 36;

    /** Body form. */
    public enum Form { EMPTY, TRACKING, RESOLUTION }

    public StartQuery {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkFixed("type", type, 12);
        if (!type.startsWith(PREFIX) || type.length() == PREFIX.length()) {
            throw new IllegalArgumentException("a start query type starts with STT_, got " + type);
        }
        Objects.requireNonNull(form, "form");
        Wire.checkFixed("coordinate name", coordinateName, 32);
        if (form == Form.TRACKING && (resolution < Integer.MIN_VALUE || resolution > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("tracking resolution is an int32 in ms, got " + resolution);
        }
        if (form != Form.TRACKING && !coordinateName.isEmpty()) {
            throw new IllegalArgumentException("only the tracking form carries a coordinate name");
        }
        if (form == Form.EMPTY && resolution != 0) {
            throw new IllegalArgumentException("the empty form carries no resolution");
        }
    }

    /** STT_TDATA with the given minimum interval and coordinate system. */
    public static StartQuery trackingData(Envelope envelope, int resolutionMs, String coordinateName) {
        return new StartQuery(envelope, "STT_TDATA", Form.TRACKING, resolutionMs, coordinateName);
    }

    public String dataType() {
        return IgtlMessages.dataType(type);
    }

    @Override
    public StartQuery withEnvelope(Envelope e) {
        return new StartQuery(e, type, form, resolution, coordinateName);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return switch (form) {
            case EMPTY -> Unpooled.EMPTY_BUFFER;
            case RESOLUTION -> alloc.buffer(8).writeLong(resolution);
            case TRACKING -> {
                ByteBuf out = alloc.buffer(TRACKING_SIZE).writeInt((int) resolution);
                Wire.writeFixed(out, coordinateName, 32);
                yield out;
            }
        };
    }

    static StartQuery read(String type, Envelope env, ByteBuf in) {
        return switch (in.readableBytes()) {
            case 0 -> new StartQuery(env, type, Form.EMPTY, 0, "");
            case 8 -> new StartQuery(env, type, Form.RESOLUTION, in.readLong(), "");
            case TRACKING_SIZE -> new StartQuery(env, type, Form.TRACKING, in.readInt(), Wire.readFixed(in, 32));
            default -> throw new IllegalArgumentException(type + " content is " + in.readableBytes()
                    + " bytes, expected 0, 8 or 36");
        };
    }
}
