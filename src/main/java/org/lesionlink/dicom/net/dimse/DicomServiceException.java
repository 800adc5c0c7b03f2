package org.lesionlink.dicom.net.dimse;

import java.io.IOException;

/**
 * Thrown by a {@link DicomService} to answer a request with a status other than success; the
 * {@link DicomServiceRegistry} turns it into the response (Status, and Error Comment when a message is given).
 */
public class DicomServiceException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public DicomServiceException(int status, String message) {
        super(message);
        this.status = status;
    }

    public DicomServiceException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The Error Comment (0000,0902): LO, at most 64 characters. */
    public String errorComment() {
        String m = getMessage();
        if (m == null) {
            return null;
        }
        m = m.replace('\\', '/').replaceAll("[\\p{Cntrl}]", " ");
        return m.length() > 64 ? m.substring(0, 64) : m;
    }
}
