package org.lesionlink.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * First pipeline stage: frames the byte stream by the 6-byte PDU header and decodes each PDU into its record
 * ({@link PduCodec}). One instance per channel (it holds the limits in force).
 *
 * <p><b>Limits.</b> Before negotiation any PDU may be up to {@code maxUnnegotiatedLength} bytes long (Orthanc's
 * A-ASSOCIATE-RQ with 128 presentation contexts is about 9.5 KB). Once the association is established, the
 * association calls {@link #setMaxPDataLength} with the Maximum Length LesionLink advertised, and a P-DATA-TF
 * longer than that is a protocol violation. A length above the limit is refused when its header arrives, before
 * anything is buffered.
 *
 * <p><b>Bad input.</b> A PDU that fails (unknown type, bad length, malformed items) is raised as a
 * {@link PduException} carrying the A-ABORT reason; after that the decoder discards every further byte,
 * because framing cannot be trusted any more. The association answers with A-ABORT (event Evt19).
 */
public final class PduDecoder extends ByteToMessageDecoder {

    /** Default limit for PDUs before negotiation (and for non-P-DATA PDUs afterwards): 1 MiB. */
    public static final long DEFAULT_MAX_UNNEGOTIATED_LENGTH = 1 << 20;

    private final long maxUnnegotiatedLength;
    private volatile long maxPDataLength;
    private boolean failed;

    public PduDecoder() {
        this(DEFAULT_MAX_UNNEGOTIATED_LENGTH);
    }

    public PduDecoder(long maxUnnegotiatedLength) {
        this.maxUnnegotiatedLength = maxUnnegotiatedLength;
        this.maxPDataLength = maxUnnegotiatedLength;
    }

    /** Enforces {@code maxLength} (the Maximum Length we advertised; 0 means no limit) on P-DATA-TF PDUs from now on. */
    public void setMaxPDataLength(long maxLength) {
        this.maxPDataLength = maxLength == 0 ? 0xFFFFFFFFL : maxLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < PduCodec.HEADER_LENGTH) {
            return;
        }
        int r = in.readerIndex();
        int type = in.getUnsignedByte(r);
        long length = in.getUnsignedInt(r + 2);
        if (type < Pdu.A_ASSOCIATE_RQ || type > Pdu.A_ABORT) {
            throw fail(in, new PduException(AAbort.UNRECOGNIZED_PDU, String.format("unrecognized PDU type 0x%02X", type)));
        }
        long limit = type == Pdu.P_DATA_TF ? maxPDataLength : maxUnnegotiatedLength;
        if (length > limit) {
            throw fail(in, new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "PDU type " + type + " of length " + length + " exceeds the limit of " + limit));
        }
        if (in.readableBytes() - PduCodec.HEADER_LENGTH < length) {
            return;
        }
        in.skipBytes(PduCodec.HEADER_LENGTH);
        if (type == Pdu.P_DATA_TF) {
            ByteBuf body = in.readRetainedSlice((int) length);
            try {
                out.add(PduCodec.decode(type, body));
            } catch (PduException e) {
                body.release();
                throw fail(in, e);
            }
        } else {
            ByteBuf body = in.readSlice((int) length);
            try {
                out.add(PduCodec.decode(type, body));
            } catch (PduException e) {
                throw fail(in, e);
            }
        }
    }

    private PduException fail(ByteBuf in, PduException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return e;
    }
}
