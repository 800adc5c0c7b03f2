package org.lesionlink.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * A-ASSOCIATE-RQ PDU (type 0x01, PS3.8 section 9.3.2). AE titles are held without their space padding.
 *
 * @param protocolVersion the 16-bit field; bit 0 set means version 1, the only one defined
 */
public record AAssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContext,
        List<PresentationContextRq> presentationContexts, UserInformation userInformation) implements Pdu {

    /** The DICOM Application Context Name, PS3.7 Annex A.2.1. */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AAssociateRq {
        Objects.requireNonNull(calledAeTitle, "calledAeTitle");
        Objects.requireNonNull(callingAeTitle, "callingAeTitle");
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public int type() {
        return A_ASSOCIATE_RQ;
    }

    /** The context with this ID, or {@code null}. */
    public PresentationContextRq presentationContext(int id) {
        for (PresentationContextRq pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }
}
