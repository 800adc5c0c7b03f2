package org.lesionlink.dicom.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.lesionlink.dicom.net.pdu.AAbort;
import org.lesionlink.dicom.net.pdu.AAssociateAc;
import org.lesionlink.dicom.net.pdu.AAssociateRj;
import org.lesionlink.dicom.net.pdu.AAssociateRq;
import org.lesionlink.dicom.net.pdu.AReleaseRp;
import org.lesionlink.dicom.net.pdu.AReleaseRq;
import org.lesionlink.dicom.net.pdu.PDataTf;
import org.lesionlink.dicom.net.pdu.Pdu;
import org.lesionlink.dicom.net.pdu.PduException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last pipeline stage: turns channel events and decoded PDUs into protocol machine events (PS3.8 Table 9-2).
 * One instance per channel.
 */
final class AssociationHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AssociationHandler.class);

    private final Association as;

    AssociationHandler(Association as) {
        this.as = as;
    }

    Association association() {
        return as;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        as.transportOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        as.fire(Event.Evt17, null);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Pdu pdu)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Event e;
        if (pdu instanceof AAssociateRq) {
            e = Event.Evt6;
        } else if (pdu instanceof AAssociateAc) {
            e = Event.Evt3;
        } else if (pdu instanceof AAssociateRj) {
            e = Event.Evt4;
        } else if (pdu instanceof PDataTf) {
            e = Event.Evt10;
        } else if (pdu instanceof AReleaseRq) {
            e = Event.Evt12;
        } else if (pdu instanceof AReleaseRp) {
            e = Event.Evt13;
        } else if (pdu instanceof AAbort) {
            e = Event.Evt16;
        } else {
            throw new IllegalStateException("unknown PDU " + pdu);
        }
        as.fire(e, pdu);
    }

    /** The idle timeout ({@link DicomServerConfig#idleTimeout()}): A-ABORT an established association, else close. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.info("{}: nothing received or sent for the idle timeout; {}", as,
                    as.state() == State.Sta6 ? "aborting the association" : "closing the connection");
            if (as.state() == State.Sta6) {
                as.abort();
            } else {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PduException p) {
            log.warn("{}: invalid PDU: {}", as, p.getMessage());
            as.fire(Event.Evt19, p.abortReason());
        } else if (cause instanceof io.netty.handler.codec.DecoderException d
                && d.getCause() instanceof javax.net.ssl.SSLException tls) {
            // a failed TLS handshake or a corrupt record: the peer's problem, reported to the monitor by DicomServer
            log.info("{}: TLS: {}", as, DicomServer.tlsFailure(tls));
            ctx.close();
        } else if (cause instanceof IOException) {
            log.debug("{}: transport error: {}", as, cause.toString());
            ctx.close();
        } else {
            log.warn("{}: unexpected error; closing", as, cause);
            ctx.close();
        }
    }
}
