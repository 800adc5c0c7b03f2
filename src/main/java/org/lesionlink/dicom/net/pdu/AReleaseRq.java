package org.lesionlink.dicom.net.pdu;

/** A-RELEASE-RQ PDU (type 0x05, PS3.8 section 9.3.6): four reserved bytes. */
public record AReleaseRq() implements Pdu {
    public static final AReleaseRq INSTANCE = new AReleaseRq();

    @Override
    public int type() {
        return A_RELEASE_RQ;
    }
}
