package org.lesionlink.dicom.net.pdu;

import java.util.Objects;

/** SCP/SCU Role Selection sub-item (0x54, PS3.7 D.3.3.4). */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {
    public RoleSelection {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
    }
}
