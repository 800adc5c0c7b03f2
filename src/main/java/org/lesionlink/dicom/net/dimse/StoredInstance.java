package org.lesionlink.dicom.net.dimse;

import java.nio.file.Path;

/**
 * An instance the storage SCP has made durable, as told to an {@link InstanceStoredListener}.
 *
 * @param file where it now is: {@code <storage>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm}
 */
public record StoredInstance(Path file, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
        String sopClassUid, String transferSyntaxUid, String callingAeTitle, String calledAeTitle, long fileSize) {
}
