package org.lesionlink.dicom.net.pdu;

/**
 * A-ASSOCIATE-RJ PDU (type 0x03, PS3.8 section 9.3.4, Table 9-21).
 *
 * @param result 1 rejected-permanent, 2 rejected-transient
 * @param source 1 service user, 2 service provider (ACSE), 3 service provider (presentation)
 * @param reason depends on the source; see the constants
 */
public record AAssociateRj(int result, int source, int reason) implements Pdu {

    public static final int PERMANENT = 1;
    public static final int TRANSIENT = 2;

    public static final int SOURCE_USER = 1;
    public static final int SOURCE_ACSE = 2;
    public static final int SOURCE_PRESENTATION = 3;

    /** Source 1 reasons. */
    public static final int USER_NO_REASON = 1;
    public static final int APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
    public static final int CALLING_AE_NOT_RECOGNIZED = 3;
    public static final int CALLED_AE_NOT_RECOGNIZED = 7;
    /** Source 2 reasons. */
    public static final int ACSE_NO_REASON = 1;
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Source 3 reasons. */
    public static final int TEMPORARY_CONGESTION = 1;
    public static final int LOCAL_LIMIT_EXCEEDED = 2;

    /** The result, source and reason as PS3.8 Table 9-21 words them, e.g. "rejected-permanent, service user: calling AE title not recognized". */
    public String describe() {
        String r = switch (result) {
            case PERMANENT -> "rejected-permanent";
            case TRANSIENT -> "rejected-transient";
            default -> "result " + result;
        };
        String why = switch (source) {
            case SOURCE_USER -> "service user: " + switch (reason) {
                case USER_NO_REASON -> "no reason given";
                case APPLICATION_CONTEXT_NOT_SUPPORTED -> "application context name not supported";
                case CALLING_AE_NOT_RECOGNIZED -> "calling AE title not recognized";
                case CALLED_AE_NOT_RECOGNIZED -> "called AE title not recognized";
                default -> "reason " + reason;
            };
            case SOURCE_ACSE -> "service provider (ACSE): " + switch (reason) {
                case ACSE_NO_REASON -> "no reason given";
                case PROTOCOL_VERSION_NOT_SUPPORTED -> "protocol version not supported";
                default -> "reason " + reason;
            };
            case SOURCE_PRESENTATION -> "service provider (presentation): " + switch (reason) {
                case TEMPORARY_CONGESTION -> "temporary congestion";
                case LOCAL_LIMIT_EXCEEDED -> "local limit exceeded";
                default -> "reason " + reason;
            };
            default -> "source " + source + ", reason " + reason;
        };
        return r + ", " + why;
    }

    @Override
    public int type() {
        return A_ASSOCIATE_RJ;
    }
}
