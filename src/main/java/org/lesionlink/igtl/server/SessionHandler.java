package org.lesionlink.igtl.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.lesionlink.igtl.IgtlDecodeFailure;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last pipeline stage of a server channel: admits the client (or refuses it when the server is full),
 * answers protocol-level matters on the event loop (decode failures, GET_STATUS, keep-alive, idle timeout)
 * and hands everything else to the {@link ServerSession}, which runs the service off the event loop.
 * One instance per channel.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final IgtlServer server;
    private ServerSession session;

    SessionHandler(IgtlServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = server.admit(ctx.channel());
        if (session == null) {
            int max = server.config().maxClients();
            log.warn("refusing {}: {} clients are connected, the maximum", ctx.channel().remoteAddress(), max);
            server.notifyRefused(ctx.channel().remoteAddress(), tls(ctx), "server full: " + max + " clients connected");
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(status(Envelope.v1(""), StatusCode.BUSY, "SERVER_FULL",
                    "server full: " + max + " clients connected; try again later"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.info("session {} connected from {}{}", session.id(), ctx.channel().remoteAddress(), tls(ctx) ? " (TLS)" : "");
        server.notifyOpened(session, tls(ctx));
        session.connected();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            log.info("session {} ({}) disconnected", session.id(), ctx.channel().remoteAddress());
            session.disconnected();
            server.release(session);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (session == null) {
            return; // a refused client's bytes; plain heap objects, nothing to release
        }
        if (msg instanceof IgtlDecodeFailure f) {
            if (f.reason() != IgtlDecodeFailure.Reason.TRUNCATED) { // truncated: the connection is gone
                log.info("session {}: {} {} '{}': {}", session.id(), f.reason(), f.type(), f.deviceName(), f.detail());
                session.send(IgtlServer.statusFor(f));
            }
            session.received(f);
        } else if (msg instanceof GetQuery q && q.dataType().equals(StatusMessage.TYPE)) {
            // GET_STATUS is the protocol's ping (PLUS answers it with STATUS OK); answered here so that it
            // measures the connection, not the service's backlog.
            session.send(status(Envelope.v1(q.deviceName()), StatusCode.OK, "", ""));
        } else if (msg instanceof IgtlMessage m) {
            session.received(m);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null && ctx.channel().isWritable()) {
            session.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e && session != null) {
            if (e.state() == IdleState.WRITER_IDLE) {
                // Keep-alive as PLUS does it: STATUS OK, empty device name. A peer that vanished shows up as
                // a failed write, which closes the channel. Skipped while data is waiting anyway.
                if (session.outboundIdle()) {
                    session.send(status(Envelope.v1(""), StatusCode.OK, "", ""));
                }
            } else if (e.state() == IdleState.READER_IDLE) {
                log.info("session {} ({}): nothing received for {}, closing", session.id(),
                        ctx.channel().remoteAddress(), server.config().idleTimeout());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Socket errors (reset by peer) and anything a stage threw: this connection ends, others carry on.
        Object id = session == null ? "-" : session.id();
        if (cause instanceof Error) { // e.g. OutOfMemoryError: worth more than a line about a reset peer
            log.error("session {} ({}): {}, closing", id, ctx.channel().remoteAddress(), cause.toString(), cause);
        } else {
            log.info("session {} ({}): {}, closing", id, ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private static boolean tls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get("tls") != null;
    }

    static StatusMessage status(Envelope env, StatusCode code, String errorName, String text) {
        return new StatusMessage(env, code.code(), 0, errorName, text);
    }
}
