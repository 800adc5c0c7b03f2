package org.lesionlink.dicom.data;

import java.util.Map;
import java.util.Objects;

/**
 * How a data set is encoded, PS3.5 chapter 10: VR explicit or implicit, byte order, deflate, and whether Pixel
 * Data is encapsulated (PS3.5 section A.4). Transfer syntaxes with encapsulated pixel data are carried: their
 * fragments are kept, not decoded.
 */
public record TransferSyntax(String uid, boolean explicitVR, boolean bigEndian, boolean deflated, boolean encapsulated) {

    /** PS3.5 section A.1, the default: every node must support it, and command sets always use it. */
    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.ImplicitVRLittleEndian, false, false, false, false);
    /** PS3.5 section A.2. */
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.ExplicitVRLittleEndian, true, false, false, false);
    /** PS3.5 section A.5: the data set after the file meta information is raw deflate (RFC 1951) data. */
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.DeflatedExplicitVRLittleEndian, true, false, true, false);
    /** PS3.5 section A.3 (retired). */
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax(UID.ExplicitVRBigEndian, true, true, false, false);

    private static final Map<String, TransferSyntax> NATIVE = Map.of(
            IMPLICIT_VR_LITTLE_ENDIAN.uid, IMPLICIT_VR_LITTLE_ENDIAN,
            EXPLICIT_VR_LITTLE_ENDIAN.uid, EXPLICIT_VR_LITTLE_ENDIAN,
            DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
            EXPLICIT_VR_BIG_ENDIAN.uid, EXPLICIT_VR_BIG_ENDIAN);

    public TransferSyntax {
        Objects.requireNonNull(uid, "uid");
    }

    /**
     * The transfer syntax for a UID: the four native ones above, or, for any other UID, explicit VR little
     * endian with encapsulated pixel data (PS3.5 section A.4: every compressed syntax LesionLink carries is
     * encoded so; a UID that is not a transfer syntax at all is the caller's to reject).
     */
    public static TransferSyntax of(String uid) {
        TransferSyntax ts = NATIVE.get(uid);
        return ts != null ? ts : new TransferSyntax(uid, true, false, false, true);
    }

    /** Whether LesionLink knows this transfer syntax (registered in PS3.6 Annex A as a transfer syntax). */
    public boolean isRegistered() {
        return UidDictionary.standard().lookup(uid).map(e -> e.type().equals("Transfer Syntax")).orElse(false);
    }

    @Override
    public String toString() {
        String name = UID.nameOf(uid);
        return name == null ? uid : uid + " (" + name + ")";
    }
}
