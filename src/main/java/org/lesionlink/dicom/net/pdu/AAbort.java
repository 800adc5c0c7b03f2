package org.lesionlink.dicom.net.pdu;

/**
 * A-ABORT PDU (type 0x07, PS3.8 section 9.3.8, Table 9-26).
 *
 * @param source 0 service user, 2 service provider (1 is reserved)
 * @param reason for source 2 one of the constants; not significant for source 0 (sent as 0)
 */
public record AAbort(int source, int reason) implements Pdu {

    public static final int SOURCE_USER = 0;
    public static final int SOURCE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int UNRECOGNIZED_PDU = 1;
    public static final int UNEXPECTED_PDU = 2;
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    /** An abort by the service user (the local application). */
    public static AAbort byUser() {
        return new AAbort(SOURCE_USER, 0);
    }

    /** An abort by the service provider (the upper layer) for {@code reason}. */
    public static AAbort byProvider(int reason) {
        return new AAbort(SOURCE_PROVIDER, reason);
    }

    @Override
    public int type() {
        return A_ABORT;
    }
}
