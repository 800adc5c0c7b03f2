package org.lesionlink.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * A-ASSOCIATE-AC PDU (type 0x02, PS3.8 section 9.3.3). The AE title fields echo the RQ and are not significant
 * on receipt.
 */
public record AAssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContext,
        List<PresentationContextAc> presentationContexts, UserInformation userInformation) implements Pdu {

    public AAssociateAc {
        Objects.requireNonNull(calledAeTitle, "calledAeTitle");
        Objects.requireNonNull(callingAeTitle, "callingAeTitle");
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public int type() {
        return A_ASSOCIATE_AC;
    }

    /** The context with this ID, or {@code null}. */
    public PresentationContextAc presentationContext(int id) {
        for (PresentationContextAc pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }
}
