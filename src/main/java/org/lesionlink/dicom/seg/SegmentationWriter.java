package org.lesionlink.dicom.seg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.ElementDictionary;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Volume;

/**
 * Builds a BINARY Segmentation instance (Segmentation Storage, PS3.3 section A.51) from a uint8 labelmap on the
 * source series' grid: label value {@code n} is segment {@code n}.
 *
 * <p>What is written, and why:
 * <ul>
 *   <li>Patient, General Study and Frame of Reference copied from the source (PS3.3 A.51-1); a new series with
 *       Modality SEG; Enhanced General Equipment (all four Type 1 attributes); ImageType DERIVED\PRIMARY.</li>
 *   <li>Segmentation Image Module (C.8.20.2): BitsAllocated/BitsStored 1, HighBit 0, SegmentationType BINARY,
 *       SegmentsOverlap NO (a labelmap cannot overlap), one SegmentSequence item per segment.</li>
 *   <li>Shared Functional Groups: Plane Orientation and Pixel Measures with PixelSpacing, SliceThickness and
 *       SpacingBetweenSlices. Per-frame: Derivation Image (source slice, purpose 121322, derivation 113076),
 *       Frame Content (DimensionIndexValues), Plane Position and Segment Identification. Geometry groups are
 *       optional for dciodvfy but dcmqi (3D Slicer) needs all of them, including SpacingBetweenSlices.</li>
 *   <li>Multi-frame Dimension Module (C.7.6.17): two indices, ReferencedSegmentNumber then ImagePositionPatient;
 *       each frame's values are its segment number and its 1-based slice position along the normal.</li>
 *   <li>Frames grouped by segment, then ordered along the slice normal; slices where a segment is empty are
 *       omitted (as highdicom and dcmqi do; readers place frames by position). An all-empty labelmap gives
 *       one empty frame of segment 1 at the first slice, because a SEG needs at least one frame.</li>
 *   <li>Pixel Data (OB): 1 bit per pixel, first pixel in the least significant bit, frames packed with no
 *       padding between them (PS3.5 section 8.1.1), the whole value padded to even length.</li>
 *   <li>Common Instance Reference (C.12.2): the source series and exactly the instances some frame derives from.</li>
 * </ul>
 * UIDs are new random {@code 2.25} UIDs, or, with {@link #withDeterministicUids}, derived from a digest of every
 * input, so that re-running the same segmentation gives the same SOP Instance UID (a PACS then replaces instead
 * of duplicating). Instances are immutable.
 */
public final class SegmentationWriter {

    private static final Pattern CS = Pattern.compile("[A-Z0-9 _]{1,16}");
    private static final double PARALLEL_TOLERANCE = 1e-4;

    private final AlgorithmIdentification algorithm;
    private final String manufacturer;
    private final String modelName;
    private final String deviceSerialNumber;
    private final String softwareVersions;
    private final int seriesNumber;
    private final int instanceNumber;
    private final String seriesDescription;
    private final String contentLabel;
    private final String contentDescription;
    private final String contentCreatorName;
    private final Clock clock;
    private final boolean deterministicUids;

    /** Defaults: manufacturer and model "LesionLink", series number 900, ContentLabel "METASTASES". */
    public SegmentationWriter(AlgorithmIdentification algorithm) {
        this(algorithm, "LesionLink", "LesionLink", "1", "0.1.0", 900, 1, "LesionLink segmentation", "METASTASES",
                "Automatic segmentation", "LesionLink", Clock.systemDefaultZone(), false);
    }

    private SegmentationWriter(AlgorithmIdentification algorithm, String manufacturer, String modelName,
            String deviceSerialNumber, String softwareVersions, int seriesNumber, int instanceNumber,
            String seriesDescription, String contentLabel, String contentDescription, String contentCreatorName,
            Clock clock, boolean deterministicUids) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.manufacturer = manufacturer;
        this.modelName = modelName;
        this.deviceSerialNumber = deviceSerialNumber;
        this.softwareVersions = softwareVersions;
        this.seriesNumber = seriesNumber;
        this.instanceNumber = instanceNumber;
        this.seriesDescription = seriesDescription;
        this.contentLabel = contentLabel;
        this.contentDescription = contentDescription;
        this.contentCreatorName = contentCreatorName;
        this.clock = clock;
        this.deterministicUids = deterministicUids;
    }

    /** Enhanced General Equipment (PS3.3 C.7.5.2): all four are Type 1 in a SEG. */
    public SegmentationWriter withEquipment(String manufacturer, String modelName, String deviceSerialNumber,
            String softwareVersions) {
        return new SegmentationWriter(algorithm, req(manufacturer), req(modelName), req(deviceSerialNumber), req(softwareVersions),
                seriesNumber, instanceNumber, seriesDescription, contentLabel, contentDescription, contentCreatorName,
                clock, deterministicUids);
    }

    public SegmentationWriter withSeries(int seriesNumber, String seriesDescription) {
        return new SegmentationWriter(algorithm, manufacturer, modelName, deviceSerialNumber, softwareVersions,
                seriesNumber, instanceNumber, seriesDescription, contentLabel, contentDescription, contentCreatorName,
                clock, deterministicUids);
    }

    /** Content Identification Macro (PS3.3 C.10.9): ContentLabel is CS (upper case, digits, space, underscore). */
    public SegmentationWriter withContent(String label, String description, String creatorName) {
        if (!CS.matcher(label).matches()) {
            throw new IllegalArgumentException("ContentLabel must be 1..16 of A-Z, 0-9, space, underscore: \"" + label + "\"");
        }
        return new SegmentationWriter(algorithm, manufacturer, modelName, deviceSerialNumber, softwareVersions,
                seriesNumber, instanceNumber, seriesDescription, label, description, creatorName, clock, deterministicUids);
    }

    /** The clock for ContentDate/Time, SeriesDate/Time and InstanceCreationDate/Time. */
    public SegmentationWriter withClock(Clock clock) {
        return new SegmentationWriter(algorithm, manufacturer, modelName, deviceSerialNumber, softwareVersions,
                seriesNumber, instanceNumber, seriesDescription, contentLabel, contentDescription, contentCreatorName,
                Objects.requireNonNull(clock), deterministicUids);
    }

    /**
     * Derive SOP Instance, Series Instance and Dimension Organization UIDs from a SHA-256 of all inputs (source
     * series and instances, labelmap voxels and geometry, segments, algorithm, series and content settings; not
     * the clock) as name-based UUIDs in the 2.25 form.
     */
    public SegmentationWriter withDeterministicUids(boolean deterministic) {
        return new SegmentationWriter(algorithm, manufacturer, modelName, deviceSerialNumber, softwareVersions,
                seriesNumber, instanceNumber, seriesDescription, contentLabel, contentDescription, contentCreatorName,
                clock, deterministic);
    }

    /** Builds the SEG and writes it as explicit VR little endian (atomically). Returns its data set. */
    public Attributes write(Path file, Volume labelmap, SourceSeries source, List<SegmentDescription> segments)
            throws IOException {
        Attributes seg = build(labelmap, source, segments);
        DicomWriter.write(file, seg, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return seg;
    }

    /**
     * Builds the SEG data set.
     *
     * @param labelmap uint8, one channel, on the source grid: i along rows (columns index), j down the columns
     *     (row index), k across slices; its k axis must be parallel to the slice normal
     * @param segments one per label value used; numbered 1, 2, 3... in order
     * @throws IllegalArgumentException for a labelmap that does not fit the source or the segments
     */
    public Attributes build(Volume labelmap, SourceSeries source, List<SegmentDescription> segments) {
        Objects.requireNonNull(labelmap, "labelmap");
        if (labelmap.type() != DataType.UINT8 || labelmap.channels() != 1) {
            throw new IllegalArgumentException("the labelmap must be one uint8 channel, got " + labelmap.type()
                    + " x " + labelmap.channels());
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("at least one segment description is needed");
        }
        for (int s = 0; s < segments.size(); s++) {
            if (segments.get(s).number() != s + 1) {
                throw new IllegalArgumentException("segments must be numbered 1, 2, 3... in order; item " + (s + 1)
                        + " has number " + segments.get(s).number());
            }
        }
        int[] dims = labelmap.geometry().dims();
        int cols = dims[0];
        int rows = dims[1];
        int slices = dims[2];
        if (source.slices().size() != slices) {
            throw new IllegalArgumentException("the labelmap has " + slices + " slices but the source series lists "
                    + source.slices().size());
        }
        Attributes src = source.instance();
        if (src.getString(Tag.FrameOfReferenceUID) == null) {
            throw new IllegalArgumentException("the source instance has no FrameOfReferenceUID");
        }
        byte[] labels = new byte[labelmap.voxelsPerChannel()];
        labelmap.data(0).get(labels);
        for (byte b : labels) {
            if ((b & 0xFF) > segments.size()) {
                throw new IllegalArgumentException("label " + (b & 0xFF) + " has no segment description (" + segments.size() + " given)");
            }
        }

        // Geometry in LPS: columns of the affine are the i, j, k steps.
        Affine ijkToLps = labelmap.geometry().ijkToLps();
        double[] rowDir = unit(ijkToLps, 0);
        double[] colDir = unit(ijkToLps, 1);
        double[] sliceDir = unit(ijkToLps, 2);
        double[] normal = cross(rowDir, colDir);
        double along = dot(normal, sliceDir);
        if (Math.abs(Math.abs(along) - 1) > PARALLEL_TOLERANCE) {
            throw new IllegalArgumentException("the labelmap's slice axis is not along the slice normal (sheared grid); "
                    + "resample to the source grid first");
        }
        double[] spacing = labelmap.geometry().spacing();
        // Slice k's 1-based position along the normal, and the order frames take within a segment.
        int[] order = new int[slices];
        int[] positionIndex = new int[slices];
        for (int n = 0; n < slices; n++) {
            int k = along > 0 ? n : slices - 1 - n;
            order[n] = k;
            positionIndex[k] = n + 1;
        }

        String digest = deterministicUids ? digest(labels, labelmap, source, segments) : null;
        String sopInstanceUid = deterministicUids ? UID.nameBased(digest + "|sop") : UID.random();
        String seriesUid = deterministicUids ? UID.nameBased(digest + "|series") : UID.random();
        String dimensionUid = deterministicUids ? UID.nameBased(digest + "|dimension") : UID.random();
        ZonedDateTime now = ZonedDateTime.now(clock);
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));

        Attributes seg = new Attributes();
        // SOP Common (C.12.1): copied patient/study text keeps the source's bytes, so keep its character set.
        if (src.contains(Tag.SpecificCharacterSet)) {
            seg.copyFrom(src, Tag.SpecificCharacterSet);
        } else {
            seg.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        }
        seg.setString(Tag.SOPClassUID, VR.UI, UID.SegmentationStorage);
        seg.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        seg.setString(Tag.InstanceCreationDate, VR.DA, date);
        seg.setString(Tag.InstanceCreationTime, VR.TM, time);
        copyPatientAndStudy(src, seg);
        // General Series (C.7.3.1) and Segmentation Series (C.8.20.1)
        seg.setString(Tag.Modality, VR.CS, "SEG");
        seg.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        seg.setInt(Tag.SeriesNumber, VR.IS, seriesNumber);
        seg.setString(Tag.SeriesDescription, VR.LO, seriesDescription);
        seg.setString(Tag.SeriesDate, VR.DA, date);
        seg.setString(Tag.SeriesTime, VR.TM, time);
        // Frame of Reference (C.7.4.1)
        seg.copyFrom(src, Tag.FrameOfReferenceUID);
        if (src.contains(Tag.PositionReferenceIndicator)) {
            seg.copyFrom(src, Tag.PositionReferenceIndicator);
        } else {
            seg.setNull(Tag.PositionReferenceIndicator, VR.LO);
        }
        // General and Enhanced General Equipment (C.7.5.1, C.7.5.2)
        seg.setString(Tag.Manufacturer, VR.LO, manufacturer);
        seg.setString(Tag.ManufacturerModelName, VR.LO, modelName);
        seg.setString(Tag.DeviceSerialNumber, VR.LO, deviceSerialNumber);
        seg.setString(Tag.SoftwareVersions, VR.LO, softwareVersions);
        // General Image (C.7.6.1), Segmentation Image (C.8.20.2), Content Identification (C.10.9)
        seg.setInt(Tag.InstanceNumber, VR.IS, instanceNumber);
        seg.setString(Tag.ImageType, VR.CS, "DERIVED", "PRIMARY");
        seg.setString(Tag.ContentLabel, VR.CS, contentLabel);
        seg.setString(Tag.ContentDescription, VR.LO, contentDescription);
        seg.setString(Tag.ContentCreatorName, VR.PN, contentCreatorName);
        seg.setString(Tag.ContentDate, VR.DA, date);
        seg.setString(Tag.ContentTime, VR.TM, time);
        // Image Pixel (C.7.6.3)
        seg.setInt(Tag.SamplesPerPixel, VR.US, 1);
        seg.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        seg.setInt(Tag.Rows, VR.US, rows);
        seg.setInt(Tag.Columns, VR.US, cols);
        seg.setInt(Tag.BitsAllocated, VR.US, 1);
        seg.setInt(Tag.BitsStored, VR.US, 1);
        seg.setInt(Tag.HighBit, VR.US, 0);
        seg.setInt(Tag.PixelRepresentation, VR.US, 0);
        seg.setString(Tag.LossyImageCompression, VR.CS, "00");
        seg.setString(Tag.SegmentationType, VR.CS, "BINARY");
        seg.setString(Tag.SegmentsOverlap, VR.CS, "NO");
        Sequence segSeq = seg.newSequence(Tag.SegmentSequence);
        for (SegmentDescription d : segments) {
            segSeq.add(segmentItem(d));
        }

        // Frames: per segment, along the normal, non-empty slices only.
        int frameSize = rows * cols;
        List<int[]> frames = new ArrayList<>(); // {segment, k}
        for (SegmentDescription d : segments) {
            for (int k : order) {
                if (contains(labels, k * frameSize, frameSize, (byte) d.number())) {
                    frames.add(new int[] {d.number(), k});
                }
            }
        }
        if (frames.isEmpty()) {
            frames.add(new int[] {1, order[0]});
        }
        seg.setInt(Tag.NumberOfFrames, VR.IS, frames.size());

        // Multi-frame Dimension (C.7.6.17)
        seg.newSequence(Tag.DimensionOrganizationSequence).addNew().setString(Tag.DimensionOrganizationUID, VR.UI, dimensionUid);
        seg.setString(Tag.DimensionOrganizationType, VR.CS, "3D");
        Sequence dimIdx = seg.newSequence(Tag.DimensionIndexSequence);
        Attributes d1 = dimIdx.addNew();
        d1.setString(Tag.DimensionOrganizationUID, VR.UI, dimensionUid);
        d1.setInt(Tag.DimensionIndexPointer, VR.AT, Tag.ReferencedSegmentNumber);
        d1.setInt(Tag.FunctionalGroupPointer, VR.AT, Tag.SegmentIdentificationSequence);
        d1.setString(Tag.DimensionDescriptionLabel, VR.LO, "ReferencedSegmentNumber");
        Attributes d2 = dimIdx.addNew();
        d2.setString(Tag.DimensionOrganizationUID, VR.UI, dimensionUid);
        d2.setInt(Tag.DimensionIndexPointer, VR.AT, Tag.ImagePositionPatient);
        d2.setInt(Tag.FunctionalGroupPointer, VR.AT, Tag.PlanePositionSequence);
        d2.setString(Tag.DimensionDescriptionLabel, VR.LO, "ImagePositionPatient");

        // Shared Functional Groups (C.7.6.16)
        Attributes shared = seg.newSequence(Tag.SharedFunctionalGroupsSequence).addNew();
        shared.newSequence(Tag.PlaneOrientationSequence).addNew().setDouble(Tag.ImageOrientationPatient, VR.DS,
                rowDir[0], rowDir[1], rowDir[2], colDir[0], colDir[1], colDir[2]);
        Attributes measures = shared.newSequence(Tag.PixelMeasuresSequence).addNew();
        measures.setDouble(Tag.PixelSpacing, VR.DS, spacing[1], spacing[0]); // row spacing (j), column spacing (i)
        double thickness = src.getDouble(Tag.SliceThickness, spacing[2]);
        measures.setDouble(Tag.SliceThickness, VR.DS, thickness > 0 ? thickness : spacing[2]);
        measures.setDouble(Tag.SpacingBetweenSlices, VR.DS, spacing[2]);

        // Per-frame Functional Groups and the packed pixels
        Sequence perFrame = seg.newSequence(Tag.PerFrameFunctionalGroupsSequence);
        long totalBits = (long) frames.size() * frameSize;
        long bytes = (totalBits + 7) / 8;
        if (bytes + (bytes & 1) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the segmentation would need " + bytes + " bytes of pixel data");
        }
        byte[] pixels = new byte[(int) (bytes + (bytes & 1))];
        Map<String, SourceSeries.SourceImage> referenced = new LinkedHashMap<>();
        long bit = 0;
        for (int[] f : frames) {
            int s = f[0];
            int k = f[1];
            SourceSeries.SourceImage img = source.slices().get(k);
            referenced.putIfAbsent(img.sopInstanceUid(), img);
            Attributes fg = perFrame.addNew();
            Attributes derivation = fg.newSequence(Tag.DerivationImageSequence).addNew();
            Attributes sourceImage = derivation.newSequence(Tag.SourceImageSequence).addNew();
            sourceImage.setString(Tag.ReferencedSOPClassUID, VR.UI, img.sopClassUid());
            sourceImage.setString(Tag.ReferencedSOPInstanceUID, VR.UI, img.sopInstanceUid());
            Code.SOURCE_IMAGE_FOR_IMAGE_PROCESSING_OPERATION.putInto(sourceImage, Tag.PurposeOfReferenceCodeSequence);
            Code.SEGMENTATION.putInto(derivation, Tag.DerivationCodeSequence);
            fg.newSequence(Tag.FrameContentSequence).addNew().setInt(Tag.DimensionIndexValues, VR.UL, s, positionIndex[k]);
            double[] ipp = ijkToLps.apply(0, 0, k);
            fg.newSequence(Tag.PlanePositionSequence).addNew().setDouble(Tag.ImagePositionPatient, VR.DS, ipp);
            fg.newSequence(Tag.SegmentIdentificationSequence).addNew().setInt(Tag.ReferencedSegmentNumber, VR.US, s);
            int base = k * frameSize;
            for (int p = 0; p < frameSize; p++, bit++) {
                if (labels[base + p] == (byte) s) {
                    pixels[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }

        // Common Instance Reference (C.12.2)
        Attributes refSeries = seg.newSequence(Tag.ReferencedSeriesSequence).addNew();
        refSeries.setString(Tag.SeriesInstanceUID, VR.UI, source.seriesInstanceUid());
        Sequence refInstances = refSeries.newSequence(Tag.ReferencedInstanceSequence);
        for (SourceSeries.SourceImage img : referenced.values()) {
            Attributes r = refInstances.addNew();
            r.setString(Tag.ReferencedSOPClassUID, VR.UI, img.sopClassUid());
            r.setString(Tag.ReferencedSOPInstanceUID, VR.UI, img.sopInstanceUid());
        }
        seg.setBytes(Tag.PixelData, VR.OB, pixels);
        return seg;
    }

    private Attributes segmentItem(SegmentDescription d) {
        Attributes item = new Attributes();
        item.setInt(Tag.SegmentNumber, VR.US, d.number());
        item.setString(Tag.SegmentLabel, VR.LO, d.label());
        if (d.description() != null) {
            item.setString(Tag.SegmentDescription, VR.ST, d.description());
        }
        item.setString(Tag.SegmentAlgorithmType, VR.CS, algorithm.type().name());
        if (algorithm.type() != AlgorithmIdentification.Type.MANUAL) {
            item.setString(Tag.SegmentAlgorithmName, VR.LO, algorithm.name());
            Attributes alg = item.newSequence(Tag.SegmentationAlgorithmIdentificationSequence).addNew();
            algorithm.family().putInto(alg, Tag.AlgorithmFamilyCodeSequence);
            alg.setString(Tag.AlgorithmName, VR.LO, algorithm.name());
            alg.setString(Tag.AlgorithmVersion, VR.LO, algorithm.version());
        }
        d.category().putInto(item, Tag.SegmentedPropertyCategoryCodeSequence);
        d.type().putInto(item, Tag.SegmentedPropertyTypeCodeSequence);
        if (d.anatomicRegion() != null) {
            d.anatomicRegion().putInto(item, Tag.AnatomicRegionSequence);
        }
        if (d.cieLab() != null) {
            item.setInt(Tag.RecommendedDisplayCIELabValue, VR.US, d.cieLab());
        }
        return item;
    }

    /** Patient (C.7.1.1) and General Study (C.7.2.1): copied, Type 2 ones present even when the source lacks them. */
    private static void copyPatientAndStudy(Attributes src, Attributes seg) {
        int[][] type2 = {
            {Tag.PatientName, VR.PN.ordinal()}, {Tag.PatientID, VR.LO.ordinal()}, {Tag.PatientBirthDate, VR.DA.ordinal()},
            {Tag.PatientSex, VR.CS.ordinal()}, {Tag.StudyDate, VR.DA.ordinal()}, {Tag.StudyTime, VR.TM.ordinal()},
            {Tag.ReferringPhysicianName, VR.PN.ordinal()}, {Tag.StudyID, VR.SH.ordinal()}, {Tag.AccessionNumber, VR.SH.ordinal()},
        };
        for (int[] t : type2) {
            if (src.contains(t[0])) {
                seg.copyFrom(src, t[0]);
            } else {
                seg.setNull(t[0], VR.values()[t[1]]);
            }
        }
        seg.copyFrom(src, Tag.StudyInstanceUID, Tag.StudyDescription, Tag.PatientAge, Tag.PatientWeight);
        ElementDictionary dict = ElementDictionary.standard();
        for (String kw : new String[] {"IssuerOfPatientID", "PatientSize", "OtherPatientIDsSequence", "PatientComments",
                "PatientIdentityRemoved", "DeidentificationMethod", "PhysiciansOfRecord", "StudyIDIssuer"}) {
            dict.lookup(kw).ifPresent(e -> seg.copyFrom(src, e.tag()));
        }
    }

    private String digest(byte[] labels, Volume labelmap, SourceSeries source, List<SegmentDescription> segments) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder("lesionlink-seg-v1|");
            sb.append(source.instance().getString(Tag.StudyInstanceUID)).append('|').append(source.seriesInstanceUid());
            for (SourceSeries.SourceImage img : source.slices()) {
                sb.append('|').append(img.sopInstanceUid());
            }
            sb.append('|').append(labelmap.geometry());
            for (SegmentDescription d : segments) {
                sb.append('|').append(d.number()).append(d.label()).append(d.description()).append(d.category())
                        .append(d.type()).append(d.anatomicRegion()).append(java.util.Arrays.toString(d.cieLab()));
            }
            sb.append('|').append(algorithm).append('|').append(manufacturer).append(modelName).append(deviceSerialNumber)
                    .append(softwareVersions).append(seriesNumber).append(instanceNumber).append(seriesDescription)
                    .append(contentLabel).append(contentDescription).append(contentCreatorName);
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            md.update(labels);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean contains(byte[] labels, int from, int n, byte value) {
        for (int i = from, end = from + n; i < end; i++) {
            if (labels[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static double[] unit(Affine a, int col) {
        double x = a.get(0, col);
        double y = a.get(1, col);
        double z = a.get(2, col);
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static String req(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("a Type 1 value must not be empty");
        }
        return s;
    }

}
