package org.lesionlink.dicom.data;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Unique identifiers, PS3.5 chapter 9, with constants named by the keywords of PS3.6 Annex A (checked against
 * {@link UidDictionary} by {@code UIDTest}), and the UUID-derived {@code 2.25} form of PS3.5 section B.2 for
 * organisations without a registered root.
 */
@SuppressWarnings("checkstyle:ConstantName")
public final class UID {

    public static final String Verification = "1.2.840.10008.1.1";
    public static final String ImplicitVRLittleEndian = "1.2.840.10008.1.2";
    public static final String ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
    public static final String EncapsulatedUncompressedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.98";
    public static final String DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
    public static final String ExplicitVRBigEndian = "1.2.840.10008.1.2.2";
    public static final String JPEGBaseline8Bit = "1.2.840.10008.1.2.4.50";
    public static final String JPEGLossless = "1.2.840.10008.1.2.4.57";
    public static final String JPEGLosslessSV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEGLSLossless = "1.2.840.10008.1.2.4.80";
    public static final String JPEG2000Lossless = "1.2.840.10008.1.2.4.90";
    public static final String JPEG2000 = "1.2.840.10008.1.2.4.91";
    public static final String RLELossless = "1.2.840.10008.1.2.5";
    public static final String CTImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public static final String MRImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    public static final String EnhancedMRImageStorage = "1.2.840.10008.5.1.4.1.1.4.1";
    public static final String SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
    public static final String SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
    public static final String StudyRootQueryRetrieveInformationModelFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public static final String StudyRootQueryRetrieveInformationModelMove = "1.2.840.10008.5.1.4.1.2.2.2";

    /** PS3.5 section 9.1: components of digits without leading zeros (except "0" itself), dot-separated. */
    private static final Pattern SYNTAX = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    private UID() {
    }

    /**
     * Whether {@code uid} is a valid UID: at most 64 characters, PS3.5 section 9.1 syntax, and a root starting
     * with 0, 1 or 2 (ISO/IEC 8824 arcs; dciodvfy reports other roots as illegal).
     */
    public static boolean isValid(String uid) {
        return uid != null && !uid.isEmpty() && uid.length() <= 64 && SYNTAX.matcher(uid).matches()
                && (uid.charAt(0) == '1' || uid.charAt(0) == '2' || uid.charAt(0) == '0') && (uid.length() == 1 || uid.charAt(1) == '.');
    }

    /** {@code 2.25.} followed by the UUID as an unsigned 128-bit decimal, PS3.5 section B.2. */
    public static String fromUuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /** A new random {@code 2.25} UID. */
    public static String random() {
        return fromUuid(UUID.randomUUID());
    }

    /**
     * A stable {@code 2.25} UID for a name: the same inputs give the same UID (a name-based UUID, RFC 4122
     * version 3), so that re-running a deterministic process re-creates, not duplicates, an instance.
     */
    public static String nameBased(String name) {
        return fromUuid(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** The registered name of a UID, or {@code null}. */
    public static String nameOf(String uid) {
        return UidDictionary.standard().nameOf(uid);
    }
}
