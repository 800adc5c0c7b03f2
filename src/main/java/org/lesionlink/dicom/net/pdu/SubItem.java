package org.lesionlink.dicom.net.pdu;

import java.util.Objects;

/**
 * A User Information sub-item carried as bytes, not interpreted: SOP Class Extended Negotiation (0x56), SOP Class
 * Common Extended Negotiation (0x57), User Identity (0x58 RQ, 0x59 AC) and any type LesionLink does not know
 * (PS3.7 Annex D.3.3). Unknown sub-items are kept so that they never cause a rejection.
 */
public record SubItem(int type, byte[] value) {

    public static final int SOP_CLASS_EXTENDED_NEGOTIATION = 0x56;
    public static final int SOP_CLASS_COMMON_EXTENDED_NEGOTIATION = 0x57;
    public static final int USER_IDENTITY_RQ = 0x58;
    public static final int USER_IDENTITY_AC = 0x59;

    public SubItem {
        Objects.requireNonNull(value, "value");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    byte[] raw() {
        return value;
    }
}
