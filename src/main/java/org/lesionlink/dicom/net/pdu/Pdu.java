package org.lesionlink.dicom.net.pdu;

/**
 * One protocol data unit of the DICOM Upper Layer, PS3.8 section 9.3: one record per PDU type. Every PDU is
 * framed by a 6-byte header (type, a reserved byte, a 4-byte big-endian length of what follows).
 */
public sealed interface Pdu permits AAssociateRq, AAssociateAc, AAssociateRj, PDataTf, AReleaseRq, AReleaseRp, AAbort {

    int A_ASSOCIATE_RQ = 0x01;
    int A_ASSOCIATE_AC = 0x02;
    int A_ASSOCIATE_RJ = 0x03;
    int P_DATA_TF = 0x04;
    int A_RELEASE_RQ = 0x05;
    int A_RELEASE_RP = 0x06;
    int A_ABORT = 0x07;

    /** The PDU-type byte. */
    int type();
}
