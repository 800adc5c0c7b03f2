package org.lesionlink.igtl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * First pipeline stage: cuts the byte stream into messages, one {@link IgtlFrame} per message, using
 * the header's BODY_SIZE (protocol "header.md": a message is always 58 + BODY_SIZE bytes, which is what
 * lets receivers skip unknown types). One instance per channel.
 *
 * <p><b>Streaming of large bodies.</b> Rather than aggregating the frame in Netty's cumulation buffer
 * (as {@code LengthFieldBasedFrameDecoder} would, with its copies as the cumulation grows), the decoder
 * allocates the body array of exact size once the header is read and copies each arriving chunk straight
 * into it, updating the CRC over that chunk while it is hot in cache. A 100 MB CT is therefore copied
 * exactly once (socket buffer to array), its CRC is ready the moment the last byte lands, and the cumulation
 * never holds more than one chunk. Decoded IMAGE pixels are a view of the same array, so there is no
 * further copy.
 *
 * <p><b>Memory follows the bytes that arrived, not the declared size.</b> Bodies up to
 * {@value #EAGER_ALLOCATION_LIMIT} bytes are allocated at once; larger ones start at that size and double
 * as data arrives (the last step is exact). A peer that declares 500 MB and then trickles or stops
 * (slowloris) therefore pins at most twice what it actually sent, not the declared size; an honest large
 * body pays about one extra copy of itself spread over the growth steps.
 *
 * <p><b>Size limit.</b> A BODY_SIZE above {@code maxBodySize} (read as unsigned) is never allocated:
 * the decoder emits an {@link IgtlDecodeFailure} with {@link IgtlDecodeFailure.Reason#BODY_TOO_LARGE}
 * at once and then discards the declared number of bytes as they stream past, so the next message is
 * framed correctly. The default admits a 512<sup>3</sup> float32 volume (512 MiB) plus 1 MiB of headers
 * and metadata. If the connection closes inside a message, a {@link IgtlDecodeFailure.Reason#TRUNCATED}
 * failure is emitted.
 */
public final class IgtlFrameDecoder extends ByteToMessageDecoder {

    /** 512 x 512 x 512 float32 voxels plus 1 MiB for image header, extended header and metadata. */
    public static final long DEFAULT_MAX_BODY_SIZE = 512L * 512 * 512 * 4 + (1 << 20);
    /** The largest body one Java array can hold. */
    public static final long MAX_SUPPORTED_BODY_SIZE = Integer.MAX_VALUE - 8;
    /** Bodies up to this size are allocated in full when their header arrives. */
    static final int EAGER_ALLOCATION_LIMIT = 1 << 20;

    private enum State { HEADER, BODY, DISCARD }

    private final long maxBodySize;
    private State state = State.HEADER;
    private IgtlHeader header;
    private byte[] body;
    private int bodySize;
    private int filled;
    private long crc;
    private long discardRemaining; // unsigned

    public IgtlFrameDecoder() {
        this(DEFAULT_MAX_BODY_SIZE);
    }

    /** @param maxBodySize largest BODY_SIZE accepted, 0..{@link #MAX_SUPPORTED_BODY_SIZE} */
    public IgtlFrameDecoder(long maxBodySize) {
        if (maxBodySize < 0 || maxBodySize > MAX_SUPPORTED_BODY_SIZE) {
            throw new IllegalArgumentException("maxBodySize must be in 0.." + MAX_SUPPORTED_BODY_SIZE + ", got " + maxBodySize);
        }
        this.maxBodySize = maxBodySize;
    }

    public long maxBodySize() {
        return maxBodySize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (in.readableBytes() < IgtlHeader.SIZE) {
                        return;
                    }
                    header = IgtlHeader.read(in);
                    long size = header.bodySize();
                    if (Long.compareUnsigned(size, maxBodySize) > 0) {
                        out.add(IgtlDecodeFailure.of(IgtlDecodeFailure.Reason.BODY_TOO_LARGE, header,
                                "BODY_SIZE " + Long.toUnsignedString(size) + " exceeds the limit of " + maxBodySize
                                        + " bytes; the body is discarded"));
                        discardRemaining = size;
                        header = null;
                        state = State.DISCARD;
                    } else {
                        bodySize = (int) size;
                        body = new byte[Math.min(bodySize, EAGER_ALLOCATION_LIMIT)];
                        filled = 0;
                        crc = 0;
                        state = State.BODY;
                    }
                }
                case BODY -> {
                    int n = Math.min(in.readableBytes(), bodySize - filled);
                    if (n > body.length - filled) {
                        long wanted = Math.max(2L * body.length, (long) filled + n);
                        body = Arrays.copyOf(body, (int) Math.min(bodySize, wanted));
                    }
                    if (n > 0) {
                        in.readBytes(body, filled, n);
                        crc = Crc64.update(crc, body, filled, n);
                        filled += n;
                    }
                    if (filled < bodySize) {
                        return;
                    }
                    out.add(new IgtlFrame(header, body, crc));
                    header = null;
                    body = null;
                    state = State.HEADER;
                }
                case DISCARD -> {
                    long n = Long.compareUnsigned(in.readableBytes(), discardRemaining) < 0 ? in.readableBytes() : discardRemaining;
                    in.skipBytes((int) n);
                    discardRemaining -= n;
                    if (discardRemaining != 0) {
                        return;
                    }
                    state = State.HEADER;
                }
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        switch (state) {
            case HEADER -> {
                if (in.isReadable()) {
                    out.add(new IgtlDecodeFailure(IgtlDecodeFailure.Reason.TRUNCATED, "", "",
                            "connection closed after " + in.readableBytes() + " of " + IgtlHeader.SIZE + " header bytes"));
                    in.skipBytes(in.readableBytes());
                }
            }
            case BODY -> {
                out.add(IgtlDecodeFailure.of(IgtlDecodeFailure.Reason.TRUNCATED, header,
                        "connection closed after " + filled + " of " + bodySize + " body bytes"));
                header = null;
                body = null;
                state = State.HEADER;
            }
            case DISCARD -> state = State.HEADER; // already reported as BODY_TOO_LARGE
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        header = null;
        body = null;
    }
}
