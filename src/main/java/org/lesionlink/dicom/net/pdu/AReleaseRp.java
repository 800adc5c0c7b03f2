package org.lesionlink.dicom.net.pdu;

/** A-RELEASE-RP PDU (type 0x06, PS3.8 section 9.3.7): four reserved bytes. */
public record AReleaseRp() implements Pdu {
    public static final AReleaseRp INSTANCE = new AReleaseRp();

    @Override
    public int type() {
        return A_RELEASE_RP;
    }
}
