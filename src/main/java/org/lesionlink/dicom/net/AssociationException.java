package org.lesionlink.dicom.net;

import java.io.IOException;
import org.lesionlink.dicom.net.pdu.AAbort;
import org.lesionlink.dicom.net.pdu.AAssociateRj;

/** An association that could not be established or ended abnormally: rejected, aborted, closed, timed out. */
public class AssociationException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient AAssociateRj reject;
    private final transient AAbort abort;

    public AssociationException(String message) {
        this(message, null, null);
    }

    public AssociationException(String message, AAssociateRj reject, AAbort abort) {
        super(message);
        this.reject = reject;
        this.abort = abort;
    }

    /** The A-ASSOCIATE-RJ received, or {@code null}. */
    public AAssociateRj reject() {
        return reject;
    }

    /** The A-ABORT received or sent, or {@code null}. */
    public AAbort abort() {
        return abort;
    }
}
