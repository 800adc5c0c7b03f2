package org.lesionlink.dicom.net;

import java.time.Duration;
import java.util.Objects;
import org.lesionlink.dicom.io.DicomWriter;

/**
 * Settings of one side of an association, for requestor and acceptor alike.
 *
 * @param aeTitle our AE title (1..16 characters of the default repertoire, no backslash)
 * @param maxPduLength the Maximum Length we advertise and enforce on received P-DATA-TF PDUs (PS3.8 D.1)
 * @param maxDataSetLength largest data set we accept in one message (a larger one is discarded and answered with
 *     a failure); LesionLink's cap is 2 GiB
 * @param artimTimeout ARTIM timer (PS3.8 section 9.1.5)
 * @param dimseTimeout how long an SCU waits for each response
 * @param implementationClassUid sent in the User Information item
 * @param implementationVersionName sent in the User Information item
 */
public record AssociationSettings(String aeTitle, int maxPduLength, long maxDataSetLength, Duration artimTimeout,
        Duration dimseTimeout, String implementationClassUid, String implementationVersionName) {

    public static final int DEFAULT_MAX_PDU_LENGTH = 65536;
    public static final long MAX_DATA_SET_LENGTH = 2L << 30;

    public AssociationSettings {
        aeTitle = checkAeTitle(aeTitle);
        if (maxPduLength < 4096 || maxPduLength > (16 << 20)) {
            throw new IllegalArgumentException("max PDU length " + maxPduLength + " outside 4096..16 MiB");
        }
        if (maxDataSetLength <= 0 || maxDataSetLength > MAX_DATA_SET_LENGTH) {
            throw new IllegalArgumentException("max data set length outside 1..2 GiB");
        }
        Objects.requireNonNull(artimTimeout, "artimTimeout");
        Objects.requireNonNull(dimseTimeout, "dimseTimeout");
        Objects.requireNonNull(implementationClassUid, "implementationClassUid");
    }

    public static AssociationSettings of(String aeTitle) {
        return new AssociationSettings(aeTitle, DEFAULT_MAX_PDU_LENGTH, MAX_DATA_SET_LENGTH, Duration.ofSeconds(30),
                Duration.ofSeconds(60), DicomWriter.IMPLEMENTATION_CLASS_UID, DicomWriter.IMPLEMENTATION_VERSION_NAME);
    }

    public AssociationSettings withMaxPduLength(int n) {
        return new AssociationSettings(aeTitle, n, maxDataSetLength, artimTimeout, dimseTimeout, implementationClassUid,
                implementationVersionName);
    }

    public AssociationSettings withArtimTimeout(Duration d) {
        return new AssociationSettings(aeTitle, maxPduLength, maxDataSetLength, d, dimseTimeout, implementationClassUid,
                implementationVersionName);
    }

    public AssociationSettings withDimseTimeout(Duration d) {
        return new AssociationSettings(aeTitle, maxPduLength, maxDataSetLength, artimTimeout, d, implementationClassUid,
                implementationVersionName);
    }

    public AssociationSettings withMaxDataSetLength(long n) {
        return new AssociationSettings(aeTitle, maxPduLength, n, artimTimeout, dimseTimeout, implementationClassUid,
                implementationVersionName);
    }

    /** An AE title as the standard allows it (PS3.5 Table 6.2-1, AE): trimmed; 1..16 characters; no backslash or control. */
    public static String checkAeTitle(String ae) {
        Objects.requireNonNull(ae, "AE title");
        String t = ae.strip();
        if (t.isEmpty() || t.length() > 16) {
            throw new IllegalArgumentException("AE title must have 1..16 characters: \"" + ae + "\"");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException("AE title has a character outside the default repertoire: \"" + ae + "\"");
            }
        }
        return t;
    }
}
