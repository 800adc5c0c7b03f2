package org.lesionlink.igtl;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import org.lesionlink.igtl.message.IgtlMessage;

/**
 * Per-peer header-version negotiation. The protocol has no handshake, and pre-v3 receivers (the Debian
 * 1.11 library among them) lose framing on a header-version-2 message, so: <b>never send version 2 to a
 * peer until it has sent one; then reply in the version the peer uses.</b> This is PLUS's policy
 * (replies at min(server maximum, highest version seen from that client)); Slicer announces version 2 by
 * sending an empty-named v2 STATUS with metadata {@code dummy=dummy} when it connects.
 *
 * <p>Inbound decoded messages raise the channel's {@link #PEER_HEADER_VERSION}; every outbound
 * {@link IgtlMessage} is rewritten to min({@code maxHeaderVersion}, peer version). Downgrading to version 1
 * drops the message ID and metadata, which version 1 cannot carry. Place it between the decoders/encoder
 * and the application handlers. State lives in a channel attribute, so one instance may be shared.
 */
@ChannelHandler.Sharable
public final class IgtlVersionTracker extends ChannelDuplexHandler {

    /** The highest header version (1 or 2) received on a channel; absent means 1. */
    public static final AttributeKey<Integer> PEER_HEADER_VERSION =
            AttributeKey.valueOf(IgtlVersionTracker.class, "peerHeaderVersion");

    private final int maxHeaderVersion;

    /** Up to header version 2. */
    public IgtlVersionTracker() {
        this(2);
    }

    /** @param maxHeaderVersion 1 to always send version 1, 2 to follow the peer */
    public IgtlVersionTracker(int maxHeaderVersion) {
        if (maxHeaderVersion != 1 && maxHeaderVersion != 2) {
            throw new IllegalArgumentException("maxHeaderVersion must be 1 or 2, got " + maxHeaderVersion);
        }
        this.maxHeaderVersion = maxHeaderVersion;
    }

    /** The highest header version this channel's peer has sent, 1 before it sent anything. */
    public static int peerHeaderVersion(Channel channel) {
        Integer v = channel.attr(PEER_HEADER_VERSION).get();
        return v == null ? 1 : v;
    }

    /** Records that the peer sent a message with this header version. */
    public static void observe(Channel channel, int headerVersion) {
        if (headerVersion == 2) {
            channel.attr(PEER_HEADER_VERSION).set(2);
        }
    }

    /** {@code message} in the header version to use towards a peer that uses {@code peerVersion}. */
    public static IgtlMessage adapt(IgtlMessage message, int peerVersion, int maxHeaderVersion) {
        int v = Math.min(peerVersion, maxHeaderVersion);
        return message.headerVersion() == v ? message : message.withEnvelope(message.envelope().withHeaderVersion(v));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof IgtlMessage m) {
            observe(ctx.channel(), m.headerVersion());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof IgtlMessage m) {
            msg = adapt(m, peerHeaderVersion(ctx.channel()), maxHeaderVersion);
        }
        ctx.write(msg, promise);
    }
}
