package org.lesionlink.dicom.volume;

/**
 * A required channel found no series, or selected channels cannot be combined (different frames of reference).
 * The message lists what the study holds and why each series was or was not taken, so it can be shown as it is.
 */
public final class ChannelSelectionException extends Exception {

    private static final long serialVersionUID = 1L;

    public ChannelSelectionException(String message) {
        super(message);
    }
}
