package org.lesionlink.dicom.seg;

import java.util.List;
import java.util.Objects;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;

/**
 * The image series a segmentation was computed from: one representative instance (for the Patient, General Study
 * and Frame of Reference attributes and the series UID, which all slices share) and the SOP class and instance of
 * the slice behind each k index of the labelmap grid.
 *
 * @param instance a source instance's data set (its pixel data is not used)
 * @param slices {@code slices.get(k)} is the source image at slice k of the labelmap's geometry
 */
public record SourceSeries(Attributes instance, List<SourceImage> slices) {

    /** One source image: ReferencedSOPClassUID and ReferencedSOPInstanceUID. */
    public record SourceImage(String sopClassUid, String sopInstanceUid) {
        public SourceImage {
            Objects.requireNonNull(sopClassUid, "sopClassUid");
            Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        }
    }

    public SourceSeries {
        Objects.requireNonNull(instance, "instance");
        slices = List.copyOf(slices);
        if (instance.getString(Tag.SeriesInstanceUID) == null || instance.getString(Tag.StudyInstanceUID) == null) {
            throw new IllegalArgumentException("the source instance needs StudyInstanceUID and SeriesInstanceUID");
        }
    }

    public String seriesInstanceUid() {
        return instance.getString(Tag.SeriesInstanceUID);
    }
}
