package org.lesionlink.dicom.net.dimse;

/** DIMSE status codes, PS3.7 Annex C and the service classes of PS3.4, with their classification by range. */
public final class Status {

    public static final int SUCCESS = 0x0000;
    public static final int CANCEL = 0xFE00;
    public static final int PENDING = 0xFF00;
    public static final int PENDING_WARNING = 0xFF01;

    /** Generic failures, PS3.7 C.5. */
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    public static final int NO_SUCH_SOP_CLASS = 0x0118;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int NOT_AUTHORIZED = 0x0124;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int MISTYPED_ARGUMENT = 0x0212;
    public static final int RESOURCE_LIMITATION = 0x0213;

    /** C-STORE, PS3.4 B.2.3. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int CANNOT_UNDERSTAND = 0xC000;
    public static final int COERCION_OF_DATA_ELEMENTS = 0xB000;
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = 0xB007;
    public static final int ELEMENTS_DISCARDED = 0xB006;

    /** C-FIND / C-MOVE, PS3.4 C.4. */
    public static final int OUT_OF_RESOURCES_UNABLE_TO_CALCULATE_MATCHES = 0xA701;
    public static final int OUT_OF_RESOURCES_UNABLE_TO_PERFORM_SUBOPERATIONS = 0xA702;
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int SUBOPERATIONS_COMPLETE_WITH_FAILURES = 0xB000;
    public static final int UNABLE_TO_PROCESS = 0xC000;

    private Status() {
    }

    public static boolean isSuccess(int status) {
        return status == SUCCESS;
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000 || status == 0x0107 || status == 0x0116;
    }

    public static boolean isCancel(int status) {
        return status == CANCEL;
    }

    /** Everything that is not success, warning, pending or cancel. */
    public static boolean isFailure(int status) {
        return !isSuccess(status) && !isWarning(status) && !isPending(status) && !isCancel(status);
    }

    public static String toString(int status) {
        String kind = isSuccess(status) ? "success" : isPending(status) ? "pending" : isWarning(status) ? "warning"
                : isCancel(status) ? "cancel" : "failure";
        return String.format("0x%04X (%s)", status, kind);
    }
}
