package org.lesionlink.dicom.net.dimse;

/**
 * How much one study may hold in a {@link CStoreScp}'s storage: instances and bytes on disk (the stored PS3.10
 * files). An instance that would go over either is refused with 0xA700 "Refused: Out of Resources" (PS3.4 Table
 * B.2-1) and an Error Comment naming the limit; nothing already stored is touched. A repeated instance (same SOP
 * Instance UID) replaces the stored one and counts once.
 *
 * @param maxInstances instances per study, at least 1
 * @param maxBytes bytes per study on disk, at least 1
 */
public record StudyLimits(int maxInstances, long maxBytes) {

    /** No practical limit (what {@link CStoreScp} applies when given none). */
    public static final StudyLimits NONE = new StudyLimits(Integer.MAX_VALUE, Long.MAX_VALUE);

    public StudyLimits {
        if (maxInstances < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("study limits must be positive, got " + maxInstances + " instances, "
                    + maxBytes + " bytes");
        }
    }
}
