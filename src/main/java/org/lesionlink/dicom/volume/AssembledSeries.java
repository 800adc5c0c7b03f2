package org.lesionlink.dicom.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.seg.SourceSeries;
import org.lesionlink.image.Volume;

/**
 * A series (or one stack of it) assembled into a {@link Volume}, with what is needed to refer back to the source.
 *
 * @param info the series description used by channel selection and reports
 * @param volume the voxels (i = column index, j = row index, k = slice along the normal) and their RAS geometry
 * @param slices the source image of each k index, in k order
 * @param instance a representative header (Patient, Study, Series, Frame of Reference attributes; no pixel data)
 * @param notes things worth knowing that did not stop assembly (dropped duplicate copies, MONOCHROME1, a
 *     SpacingBetweenSlices that disagrees with the positions...)
 */
public record AssembledSeries(SeriesInfo info, Volume volume, List<SliceRef> slices, Attributes instance, List<String> notes) {

    /**
     * The source image behind one k index.
     *
     * @param frameNumber 1-based frame of a multi-frame instance, 0 for a single-frame instance
     * @param position ImagePositionPatient (LPS, mm) of the slice's first voxel centre
     * @param distance {@code position . normal}, mm: the sort key, rising with k
     */
    public record SliceRef(String sopClassUid, String sopInstanceUid, int frameNumber, double[] position, double distance) {
        public SliceRef {
            position = position.clone();
        }

        @Override
        public double[] position() {
            return position.clone();
        }
    }

    public AssembledSeries {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(instance, "instance");
        slices = List.copyOf(slices);
        notes = List.copyOf(notes);
        if (slices.size() != volume.geometry().dim(2)) {
            throw new IllegalArgumentException(slices.size() + " slice references for " + volume.geometry().dim(2) + " slices");
        }
    }

    /**
     * The series as a segmentation source for {@link org.lesionlink.dicom.seg.SegmentationWriter}: the representative
     * instance and the SOP Class/Instance UID of each k slice. Frames of an enhanced multi-frame instance all refer
     * to that one instance (SourceSeries has no frame numbers; {@link #slices} does).
     */
    public SourceSeries sourceSeries() {
        List<SourceSeries.SourceImage> images = new ArrayList<>(slices.size());
        for (SliceRef s : slices) {
            images.add(new SourceSeries.SourceImage(s.sopClassUid(), s.sopInstanceUid()));
        }
        return new SourceSeries(instance, images);
    }
}
