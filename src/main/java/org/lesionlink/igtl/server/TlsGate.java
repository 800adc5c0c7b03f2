package org.lesionlink.igtl.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the {@code SslHandler}: holds back channel-active until the TLS handshake succeeded, so that a client
 * becomes a session (counted, greeted, audited as opened) only once it is a TLS peer; a failed handshake is reported
 * to the monitor as a refusal. Removes itself after the handshake.
 */
final class TlsGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsGate.class);

    private final IgtlServer server;
    private boolean reported;

    TlsGate(IgtlServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held until the handshake completes
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
                ctx.fireChannelActive();
            } else {
                refuse(ctx, done.cause());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof SSLException) {
            refuse(ctx, c);
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        refuse(ctx, null);
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        if (reported) {
            return;
        }
        reported = true;
        String why = "TLS handshake failed: " + (cause == null ? "connection closed"
                : cause instanceof io.netty.handler.ssl.NotSslRecordException ? "not a TLS record (a plain connection?)"
                : cause.getMessage());
        log.info("refusing {}: {}", ctx.channel().remoteAddress(), why);
        server.notifyRefused(ctx.channel().remoteAddress(), true, why);
    }
}
