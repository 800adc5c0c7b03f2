package org.lesionlink.dicom.seg;

import java.nio.ByteBuffer;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Turns a BINARY Segmentation (PS3.3 A.51) back into a uint8 labelmap on a given source grid: each frame is
 * placed by its Plane Position (per frame) and Plane Orientation (shared or per frame), and its set pixels get
 * the frame's ReferencedSegmentNumber. Where segments overlap, the later frame wins. Frames must lie on the
 * grid: same orientation, in-plane origin, and slice positions within {@value #TOLERANCE_VOXELS} voxel.
 */
public final class SegmentationReader {

    static final double TOLERANCE_VOXELS = 0.01;
    private static final double ORIENTATION_TOLERANCE = 1e-4;

    private SegmentationReader() {
    }

    /**
     * @param seg the SEG data set
     * @param grid the source series' geometry (RAS, voxel centres), e.g. the one the labelmap was written from
     * @param source names the SEG in error messages
     */
    public static Volume toLabelmap(Attributes seg, Geometry grid, String source) throws DicomException {
        if (!UID.SegmentationStorage.equals(seg.getString(Tag.SOPClassUID))) {
            throw new DicomException(source, -1, "not a Segmentation (SOPClassUID " + seg.getString(Tag.SOPClassUID) + ")");
        }
        if (!"BINARY".equals(seg.getString(Tag.SegmentationType)) || seg.getInt(Tag.BitsAllocated, 0) != 1) {
            throw new DicomException(source, -1, "only BINARY segmentations with 1-bit pixels are supported, got "
                    + seg.getString(Tag.SegmentationType) + " with BitsAllocated " + seg.getInt(Tag.BitsAllocated, 0));
        }
        int rows = seg.getInt(Tag.Rows, 0);
        int cols = seg.getInt(Tag.Columns, 0);
        int[] dims = grid.dims();
        if (rows != dims[1] || cols != dims[0]) {
            throw new DicomException(source, -1, "frames are " + rows + "x" + cols + " (rows x columns) but the grid slices are "
                    + dims[1] + "x" + dims[0]);
        }
        Sequence perFrame = seg.getSequence(Tag.PerFrameFunctionalGroupsSequence);
        Attributes shared = seg.getNestedDataset(Tag.SharedFunctionalGroupsSequence);
        int frames = seg.getInt(Tag.NumberOfFrames, 1);
        if (perFrame == null || perFrame.size() != frames) {
            throw new DicomException(source, -1, "NumberOfFrames " + frames + " does not match the "
                    + (perFrame == null ? 0 : perFrame.size()) + " PerFrameFunctionalGroupsSequence items");
        }
        ByteBuffer pixels = seg.getBuffer(Tag.PixelData);
        int frameSize = rows * cols;
        long needed = ((long) frames * frameSize + 7) / 8;
        if (pixels == null || pixels.remaining() < needed) {
            throw new DicomException(source, -1, "PixelData holds " + (pixels == null ? 0 : pixels.remaining())
                    + " bytes; " + frames + " frames of " + rows + "x" + cols + " bits need " + needed);
        }
        Affine lpsToIjk = grid.ijkToLps().inverse();
        Affine ijkToLps = grid.ijkToLps();
        byte[] labels = new byte[(int) grid.voxelCount()];
        for (int f = 0; f < frames; f++) {
            Attributes fg = perFrame.get(f);
            double[] iop = functionalGroup(fg, shared, Tag.PlaneOrientationSequence).getDoubles(Tag.ImageOrientationPatient);
            Attributes pos = functionalGroup(fg, shared, Tag.PlanePositionSequence);
            Attributes segId = functionalGroup(fg, shared, Tag.SegmentIdentificationSequence);
            if (iop == null || iop.length != 6 || pos == null || segId == null) {
                throw new DicomException(source, -1, "frame " + (f + 1) + " lacks plane orientation, plane position or segment identification");
            }
            checkOrientation(iop, ijkToLps, source, f);
            double[] ipp = pos.getDoubles(Tag.ImagePositionPatient);
            if (ipp == null || ipp.length != 3) {
                throw new DicomException(source, -1, "frame " + (f + 1) + " has no ImagePositionPatient");
            }
            double[] ijk = lpsToIjk.apply(ipp[0], ipp[1], ipp[2]);
            long k = Math.round(ijk[2]);
            if (Math.abs(ijk[0]) > TOLERANCE_VOXELS || Math.abs(ijk[1]) > TOLERANCE_VOXELS
                    || Math.abs(ijk[2] - k) > TOLERANCE_VOXELS || k < 0 || k >= dims[2]) {
                throw new DicomException(source, -1, String.format("frame %d at (%.3f, %.3f, %.3f) mm is not a slice of the grid "
                        + "(voxel %.3f, %.3f, %.3f)", f + 1, ipp[0], ipp[1], ipp[2], ijk[0], ijk[1], ijk[2]));
            }
            int segment = segId.getInt(Tag.ReferencedSegmentNumber, 0);
            if (segment < 1 || segment > 255) {
                throw new DicomException(source, -1, "frame " + (f + 1) + " has segment number " + segment + ", outside 1..255");
            }
            long bit = (long) f * frameSize;
            int base = (int) k * frameSize;
            for (int p = 0; p < frameSize; p++, bit++) {
                if ((pixels.get((int) (bit >>> 3)) >> (bit & 7) & 1) != 0) {
                    labels[base + p] = (byte) segment;
                }
            }
        }
        return Volume.ofBytes(grid, labels);
    }

    /** The macro's item: per frame if there, else shared (PS3.3 C.7.6.16). */
    private static Attributes functionalGroup(Attributes perFrame, Attributes shared, int sequenceTag) {
        Attributes item = perFrame.getNestedDataset(sequenceTag);
        if (item == null && shared != null) {
            item = shared.getNestedDataset(sequenceTag);
        }
        return item;
    }

    private static void checkOrientation(double[] iop, Affine ijkToLps, String source, int f) throws DicomException {
        for (int axis = 0; axis < 2; axis++) {
            double x = ijkToLps.get(0, axis);
            double y = ijkToLps.get(1, axis);
            double z = ijkToLps.get(2, axis);
            double n = Math.sqrt(x * x + y * y + z * z);
            double d = Math.abs(iop[3 * axis] - x / n) + Math.abs(iop[3 * axis + 1] - y / n) + Math.abs(iop[3 * axis + 2] - z / n);
            if (d > ORIENTATION_TOLERANCE * 3) {
                throw new DicomException(source, -1, "frame " + (f + 1) + " orientation differs from the grid's");
            }
        }
    }
}
