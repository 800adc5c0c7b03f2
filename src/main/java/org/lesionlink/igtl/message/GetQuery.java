package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * A {@code GET_<type>} query ("index.md", section "Query"): empty body; the device name names what is
 * asked for (e.g. the image ID of GET_IMAGE; empty = anything). The reply is a message of the queried type.
 * Type names are cut to 12 characters: the document spells {@code GET_TRANSFOR}, the C++ library
 * {@code GET_TRANS}; {@link #dataType()} maps both to TRANSFORM, and {@link #type()} keeps the spelling
 * that arrived. For CAPABILITY the 1.11 library spells {@code GET_CAPABIL}, which {@link #of} uses;
 * the mechanical cut {@code GET_CAPABILI} is also understood on receipt.
 */
public record GetQuery(Envelope envelope, String type) implements IgtlMessage {

    public static final String PREFIX = "GET_";

    public GetQuery {
        Objects.requireNonNull(envelope, "envelope");
        Wire.checkFixed("type", type, 12);
        if (!type.startsWith(PREFIX) || type.length() == PREFIX.length()) {
            throw new IllegalArgumentException("a GET query type starts with GET_, got " + type);
        }
    }

    /**
     * {@code GET_<dataType>}, cut to 12 characters, except that CAPABILITY becomes {@code GET_CAPABIL}, the
     * reference library's spelling. {@link #dataType()} of the result is {@code dataType} again.
     */
    public static GetQuery of(Envelope envelope, String dataType) {
        return new GetQuery(envelope, IgtlMessages.queryType(PREFIX, dataType));
    }

    /** The queried message type, e.g. {@code IMAGE}, {@code TRANSFORM}. */
    public String dataType() {
        return IgtlMessages.dataType(type);
    }

    @Override
    public GetQuery withEnvelope(Envelope e) {
        return new GetQuery(e, type);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        return Unpooled.EMPTY_BUFFER;
    }
}
