package org.lesionlink.igtl;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import org.lesionlink.igtl.message.IgtlMessage;

/**
 * Encodes an {@link IgtlMessage} into header and body ("header.md"), with the CRC-64 of the body and
 * the header version the message's envelope asks for (1, or 2 with extended header and metadata). Put
 * an {@link IgtlVersionTracker} after it (towards the application) so that version 2 is only sent to
 * peers that use it.
 *
 * <p>A {@code MessageToMessageEncoder} rather than {@code MessageToByteEncoder}: large payloads such
 * as IMAGE pixels are wrapped into a composite buffer instead of being copied into a fresh one.
 * Stateless and {@link ChannelHandler.Sharable @Sharable}; use {@link #INSTANCE}.
 */
@ChannelHandler.Sharable
public final class IgtlMessageEncoder extends MessageToMessageEncoder<IgtlMessage> {

    public static final IgtlMessageEncoder INSTANCE = new IgtlMessageEncoder();

    public IgtlMessageEncoder() {
        super(IgtlMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, IgtlMessage msg, List<Object> out) {
        out.add(IgtlCodec.encode(msg, ctx.alloc()));
    }
}
