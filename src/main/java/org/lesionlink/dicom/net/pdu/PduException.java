package org.lesionlink.dicom.net.pdu;

import io.netty.handler.codec.DecoderException;

/**
 * A PDU that cannot be accepted: unknown type, wrong length, malformed item, or longer than the limit in force.
 * Carries the A-ABORT reason (PS3.8 Table 9-26) that the state machine answers with (event Evt19).
 */
public final class PduException extends DecoderException {

    private static final long serialVersionUID = 1L;

    private final int abortReason;

    public PduException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    /** One of the {@link AAbort} provider reasons. */
    public int abortReason() {
        return abortReason;
    }
}
