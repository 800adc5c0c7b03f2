package org.lesionlink.igtl.message;

/** The STATUS code table ("status.md"). */
public enum StatusCode {
    INVALID(0, "Invalid packet"),
    OK(1, "OK"),
    UNKNOWN_ERROR(2, "Unknown error"),
    PANIC(3, "Panic mode (emergency)"),
    NOT_FOUND(4, "Not found (file, configuration, device etc.)"),
    ACCESS_DENIED(5, "Access denied"),
    BUSY(6, "Busy"),
    TIME_OUT(7, "Time out / Connection lost"),
    OVERFLOW(8, "Overflow (can't be reached)"),
    CHECKSUM_ERROR(9, "Checksum error"),
    CONFIGURATION_ERROR(10, "Configuration error"),
    NOT_ENOUGH_RESOURCE(11, "Not enough resource (memory, storage etc.)"),
    ILLEGAL_INSTRUCTION(12, "Illegal/Unknown instruction"),
    NOT_READY(13, "Device not ready (starting up)"),
    MANUAL_MODE(14, "Manual mode (device does not accept commands)"),
    DISABLED(15, "Device disabled"),
    NOT_PRESENT(16, "Device not present"),
    UNKNOWN_VERSION(17, "Device version not known"),
    HARDWARE_FAILURE(18, "Hardware failure"),
    SHUTTING_DOWN(19, "Exiting / shut down in progress");

    private final int code;
    private final String description;

    StatusCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** The constant for a wire code, or null for codes outside the table. */
    public static StatusCode fromCode(int code) {
        StatusCode[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
