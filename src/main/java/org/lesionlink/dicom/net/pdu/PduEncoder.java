package org.lesionlink.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Encodes PDU records to bytes. Stateless, so one {@link #INSTANCE} serves every channel. A P-DATA-TF's data is not
 * copied: the encoder emits a small header buffer and the PDV data buffers themselves.
 */
@Sharable
public final class PduEncoder extends MessageToMessageEncoder<Pdu> {

    public static final PduEncoder INSTANCE = new PduEncoder();

    private PduEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
        if (pdu instanceof PDataTf p) {
            boolean first = true;
            for (Pdv pdv : p.pdvs()) {
                ByteBuf h = ctx.alloc().buffer(12);
                if (first) {
                    PduCodec.encodePduHeader(h, p.length());
                    first = false;
                }
                PduCodec.encodePdvHeader(h, pdv);
                out.add(h);
                out.add(pdv.data().retainedDuplicate());
            }
            // the encoder base class releases p (its content) after this returns
        } else {
            out.add(PduCodec.encode(pdu, ctx.alloc()));
        }
    }
}
