package org.lesionlink.igtl;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Second pipeline stage, after {@link IgtlFrameDecoder}: turns each {@link IgtlFrame} into an
 * {@link org.lesionlink.igtl.message.IgtlMessage}, or into an {@link IgtlDecodeFailure} when the header
 * version is unsupported, the CRC ("header.md": CRC-64 of the body) does not match, or the body is
 * malformed. No exception is thrown for bad input, so the connection carries on with the next message.
 * {@link IgtlDecodeFailure}s from the framer pass through unchanged.
 *
 * <p>Stateless and {@link io.netty.channel.ChannelHandler.Sharable @Sharable}; use {@link #INSTANCE}.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class IgtlMessageDecoder extends MessageToMessageDecoder<IgtlFrame> {

    public static final IgtlMessageDecoder INSTANCE = new IgtlMessageDecoder();

    public IgtlMessageDecoder() {
        super(IgtlFrame.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, IgtlFrame frame, List<Object> out) {
        out.add(IgtlCodec.decode(frame));
    }
}
