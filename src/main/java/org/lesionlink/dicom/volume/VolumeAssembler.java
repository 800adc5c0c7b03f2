package org.lesionlink.dicom.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Turns the instances of a series into a {@link Volume} with a RAS {@link Geometry}, or refuses with the reason.
 *
 * <p><b>Geometry.</b> The slice normal is {@code row x column} of ImageOrientationPatient (IOP). Slices are sorted by
 * {@code ImagePositionPatient . normal}, never by InstanceNumber or file name. The IJK-to-LPS affine has the columns
 * {@code row * PixelSpacing[1]} (i, along a row: the column spacing), {@code column * PixelSpacing[0]} (j, down a
 * column: the row spacing) and {@code normal * sliceSpacing} (k), and its origin is the IPP of the first sorted slice;
 * {@link Geometry#fromIjkToLps} turns it into RAS. The slice spacing is {@code (last - first) / (n - 1)} along the
 * normal (SpacingBetweenSlices, else SliceThickness, else 1 mm for a single slice). IOP vectors are normalised and
 * the column vector made orthogonal to the row vector (they are decimal strings, so rounded).
 *
 * <p><b>Checks, with {@link Options#DEFAULT} tolerances.</b>
 * <ul>
 *   <li>Orientation: every slice's six IOP components (normalised) within 1e-3 of the first slice's, else
 *       {@link Refusal.Reason#MIXED_ORIENTATION} (non-parallel, rotated in plane or flipped).</li>
 *   <li>Same Rows, Columns, BitsAllocated, BitsStored, HighBit, PixelRepresentation; PixelSpacing within 0.001 mm.</li>
 *   <li>Duplicates: copies of the same SOP instance (and frame) are dropped with a note; different instances less
 *       than 0.01 mm apart along the normal are refused ({@link Refusal.Reason#DUPLICATE_POSITIONS}, naming the
 *       attributes that tell them apart, e.g. EchoTime), because a series holding several volumes cannot be
 *       stacked without knowing which one is wanted.</li>
 *   <li>Gantry tilt: each slice's offset from the first slice, taken across the normal, must stay within
 *       {@code max(0.01 mm, tan(0.1 deg) * distance along the normal)}, else {@link Refusal.Reason#GANTRY_TILT}
 *       with the angle.</li>
 *   <li>Spacing: with the nominal spacing the (lower) median of the gaps between neighbours, every gap must be
 *       within {@code max(0.01 mm, 1% of it)}. A gap over 1.5 times the nominal spacing is
 *       {@link Refusal.Reason#MISSING_SLICES} (with about how many), any other deviation
 *       {@link Refusal.Reason#IRREGULAR_SPACING}.</li>
 * </ul>
 *
 * <p><b>Values.</b> Native pixel data only: encapsulated transfer syntaxes are refused naming the syntax. One sample
 * per pixel, MONOCHROME1 or MONOCHROME2 (MONOCHROME1 only inverts display, the values are kept, with a note);
 * BitsAllocated 8, 16 or 32. The BitsStored bits ending at HighBit are taken (other bits masked off) and, for
 * PixelRepresentation 1, sign-extended. When every slice has the same RescaleSlope/Intercept (1/0 when absent;
 * PixelValueTransformationSequence for enhanced images) the stored type is kept (uint8, int16 for signed 8-bit,
 * uint16, int16, int32, float64 for unsigned 32-bit) with a {@link Volume.Rescale}; when it varies between
 * slices, the volume is float32 real values with identity rescale. Pixel Padding Value is not interpreted.
 *
 * <p><b>Series and stacks.</b> {@link #assembleAll} groups instances by SeriesInstanceUID. A series whose slices do
 * not form one stack (several orientations or image sizes, as in localizers) is refused as a whole by default; with
 * {@link Options#splitMixed} it is split into stacks of equal orientation and size, each assembled on its own and
 * named {@code SeriesInstanceUID#n}. Several volumes at the same positions (echoes, phases) are not split. Enhanced
 * multi-frame instances contribute one slice per frame, with plane position, orientation, pixel measures and pixel
 * value transformation taken from the per-frame functional group, else the shared one.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class VolumeAssembler {

    /**
     * Tolerances and policy.
     *
     * @param orientationTolerance largest difference of a normalised IOP component between slices of one stack
     * @param positionToleranceMm duplicate distance and the absolute floor of the spacing and tilt tolerances
     * @param spacingTolerance relative tolerance of each gap against the nominal slice spacing
     * @param tiltToleranceDegrees largest drift angle across the normal accepted as noise
     * @param missingSliceFactor a gap above this many nominal spacings counts as missing slices
     * @param splitMixed split a series into stacks of equal orientation and size instead of refusing it
     */
    public record Options(double orientationTolerance, double positionToleranceMm, double spacingTolerance,
            double tiltToleranceDegrees, double missingSliceFactor, boolean splitMixed) {

        public static final Options DEFAULT = new Options(1e-3, 0.01, 0.01, 0.1, 1.5, false);

        public Options {
            if (!(orientationTolerance > 0) || !(positionToleranceMm > 0) || !(spacingTolerance >= 0)
                    || !(tiltToleranceDegrees >= 0) || !(missingSliceFactor > 1)) {
                throw new IllegalArgumentException("tolerances must be positive and missingSliceFactor > 1");
            }
        }

        public Options withSplitMixed(boolean split) {
            return new Options(orientationTolerance, positionToleranceMm, spacingTolerance, tiltToleranceDegrees,
                    missingSliceFactor, split);
        }
    }

    private static final double PIXEL_SPACING_TOLERANCE = 1e-3;
    private static final double UNIT_TOLERANCE = 1e-2;

    private final Options options;

    public VolumeAssembler() {
        this(Options.DEFAULT);
    }

    public VolumeAssembler(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    // ------------------------------------------------------------------------------------------------ entry points

    /**
     * Groups instances by SeriesInstanceUID (instances without one share the key {@code "(no SeriesInstanceUID)"})
     * and assembles each series, or each stack of it with {@link Options#splitMixed}. Never throws for a refusal:
     * each result holds a volume or the reason. Results are ordered by StudyInstanceUID, SeriesNumber, series UID.
     */
    public List<SeriesResult> assembleAll(Collection<DicomInstance> instances) {
        Map<String, List<DicomInstance>> bySeries = new LinkedHashMap<>();
        for (DicomInstance inst : instances) {
            String uid = inst.header().getString(Tag.SeriesInstanceUID, "(no SeriesInstanceUID)");
            bySeries.computeIfAbsent(uid, k -> new ArrayList<>()).add(inst);
        }
        List<SeriesResult> results = new ArrayList<>();
        for (Map.Entry<String, List<DicomInstance>> e : bySeries.entrySet()) {
            results.addAll(assembleSeries(e.getKey(), e.getValue()));
        }
        results.sort(Comparator.comparing((SeriesResult r) -> r.info().studyInstanceUid())
                .thenComparing(r -> r.info().seriesNumber() == null ? Integer.MAX_VALUE : r.info().seriesNumber())
                .thenComparing(r -> r.info().id()));
        return results;
    }

    /**
     * Assembles the instances of one series as one stack.
     *
     * @throws VolumeRefusedException with the reason when they do not form a volume
     */
    public AssembledSeries assemble(List<DicomInstance> instances) throws VolumeRefusedException {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no instances");
        }
        String id = instances.get(0).header().getString(Tag.SeriesInstanceUID, "(no SeriesInstanceUID)");
        List<Slice> slices = new ArrayList<>();
        for (DicomInstance inst : instances) {
            slices.addAll(slicesOf(inst));
        }
        return assembleStack(id, slices);
    }

    private List<SeriesResult> assembleSeries(String uid, List<DicomInstance> instances) {
        List<Slice> slices = new ArrayList<>();
        try {
            for (DicomInstance inst : instances) {
                slices.addAll(slicesOf(inst));
            }
        } catch (VolumeRefusedException e) {
            return List.of(new SeriesResult(SeriesInfo.of(uid, instances, frameCount(instances), ""), null, e.refusal()));
        }
        List<List<Slice>> stacks = options.splitMixed() ? splitIntoStacks(slices) : List.of(slices);
        List<SeriesResult> out = new ArrayList<>();
        for (int s = 0; s < stacks.size(); s++) {
            String id = stacks.size() == 1 ? uid : uid + "#" + (s + 1);
            List<Slice> stack = stacks.get(s);
            try {
                AssembledSeries a = assembleStack(id, stack);
                out.add(new SeriesResult(a.info(), a, null));
            } catch (VolumeRefusedException e) {
                out.add(new SeriesResult(SeriesInfo.of(id, instancesOf(stack), stack.size(), orientationLabel(stack)), null,
                        e.refusal()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ slices

    private record PixelFormat(int rows, int cols, int bitsAllocated, int bitsStored, int highBit, boolean signed,
            String photometric) {
        String describe() {
            return cols + "x" + rows + " " + bitsAllocated + "/" + bitsStored + "/" + highBit + (signed ? " signed" : " unsigned");
        }
    }

    /** One 2D image: a single-frame instance or one frame of a multi-frame instance. */
    private record Slice(DicomInstance instance, int frameIndex, int frameNumber, double[] ipp, double[] row,
            double[] col, double[] pixelSpacing, double slope, double intercept, PixelFormat format, Attributes frameGroups) {

        double[] normal() {
            return cross(row, col);
        }

        String where() {
            return instance.source() + (frameNumber > 0 ? " frame " + frameNumber : "");
        }

        String sopInstanceUid() {
            return instance.header().getString(Tag.SOPInstanceUID, instance.source());
        }

        int instanceNumber() {
            return instance.header().getInt(Tag.InstanceNumber, 0);
        }
    }

    private List<Slice> slicesOf(DicomInstance inst) throws VolumeRefusedException {
        Attributes h = inst.header();
        String src = inst.source();
        switch (inst.pixelKind()) {
            case NONE -> throw new VolumeRefusedException(Refusal.Reason.NO_PIXEL_DATA,
                    src + ": no Pixel Data (7FE0,0010)" + (h.contains(Tags.DirectoryRecordSequence) ? " (a DICOMDIR)" : ""));
            case ENCAPSULATED -> throw new VolumeRefusedException(Refusal.Reason.COMPRESSED, src
                    + ": pixel data is encapsulated (compressed) in transfer syntax " + inst.transferSyntax()
                    + "; LesionLink does not decode compressed pixel data: have the sender transcode to Explicit VR Little"
                    + " Endian (1.2.840.10008.1.2.1), e.g. by accepting only uncompressed transfer syntaxes");
            case FLOAT -> throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS,
                    src + ": Float/Double Float Pixel Data is not supported");
            case NATIVE -> { }
        }
        int spp = intOf(h, Tag.SamplesPerPixel, 1, src);
        String photometric = h.getString(Tag.PhotometricInterpretation, "MONOCHROME2").toUpperCase(Locale.ROOT);
        if (spp != 1) {
            throw new VolumeRefusedException(Refusal.Reason.MULTI_SAMPLE, src + ": " + spp + " samples per pixel ("
                    + photometric + "); only single-sample (grey-scale) images make a volume");
        }
        if (!photometric.equals("MONOCHROME2") && !photometric.equals("MONOCHROME1")) {
            throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS, src + ": PhotometricInterpretation "
                    + photometric + " is not grey-scale");
        }
        int rows = intOf(h, Tag.Rows, 0, src);
        int cols = intOf(h, Tag.Columns, 0, src);
        int ba = intOf(h, Tag.BitsAllocated, 0, src);
        int bs = intOf(h, Tag.BitsStored, ba, src);
        int hb = intOf(h, Tag.HighBit, bs - 1, src);
        int pr = intOf(h, Tag.PixelRepresentation, 0, src);
        if (rows < 1 || cols < 1) {
            throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS, src + ": Rows/Columns missing or zero");
        }
        if (ba != 8 && ba != 16 && ba != 32) {
            throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS, src + ": BitsAllocated " + ba
                    + " is not supported (8, 16 or 32)");
        }
        if (bs < 1 || bs > ba || hb < bs - 1 || hb >= ba) {
            throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS, src + ": inconsistent BitsAllocated "
                    + ba + " / BitsStored " + bs + " / HighBit " + hb);
        }
        if (inst.transferSyntax().bigEndian() && !(ba == 16 && inst.pixelVr() == VR.OW) && !(ba == 8 && inst.pixelVr() == VR.OB)) {
            throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS, src + ": big-endian pixel data with "
                    + "BitsAllocated " + ba + " in " + inst.pixelVr() + " is not supported");
        }
        PixelFormat format = new PixelFormat(rows, cols, ba, bs, hb, pr == 1, photometric);
        int frames = intOf(h, Tag.NumberOfFrames, 1, src);
        Sequence perFrame = h.getSequence(Tag.PerFrameFunctionalGroupsSequence);
        List<Slice> out = new ArrayList<>();
        if (perFrame != null && !perFrame.isEmpty()) {
            if (perFrame.size() != frames) {
                throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_MULTIFRAME, src + ": NumberOfFrames " + frames
                        + " but " + perFrame.size() + " PerFrameFunctionalGroupsSequence items");
            }
            Attributes shared = h.getNestedDataset(Tag.SharedFunctionalGroupsSequence);
            for (int f = 0; f < frames; f++) {
                Attributes pf = perFrame.get(f);
                String where = src + " frame " + (f + 1);
                Attributes pos = group(pf, shared, Tag.PlanePositionSequence);
                Attributes ori = group(pf, shared, Tag.PlaneOrientationSequence);
                Attributes meas = group(pf, shared, Tag.PixelMeasuresSequence);
                Attributes pvt = group(pf, shared, Tags.PixelValueTransformationSequence);
                if (pos == null || ori == null || meas == null) {
                    throw new VolumeRefusedException(Refusal.Reason.NO_GEOMETRY, where + ": no "
                            + (pos == null ? "PlanePositionSequence" : ori == null ? "PlaneOrientationSequence" : "PixelMeasuresSequence")
                            + " in its per-frame or the shared functional groups");
                }
                double[][] iop = orientation(ori, where);
                double[] rescale = rescale(pvt != null ? pvt : h, where);
                out.add(new Slice(inst, f, f + 1, vector(pos, Tag.ImagePositionPatient, 3, where), iop[0], iop[1],
                        vector(meas, Tag.PixelSpacing, 2, where), rescale[0], rescale[1], format, pf));
            }
        } else {
            if (frames > 1) {
                throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_MULTIFRAME, src + ": " + frames
                        + " frames without per-frame functional groups (legacy multi-frame) are not supported");
            }
            if (!h.containsValue(Tag.ImagePositionPatient) || !h.containsValue(Tag.ImageOrientationPatient)
                    || !h.containsValue(Tag.PixelSpacing)) {
                String missing = !h.containsValue(Tag.ImagePositionPatient) ? "ImagePositionPatient"
                        : !h.containsValue(Tag.ImageOrientationPatient) ? "ImageOrientationPatient" : "PixelSpacing";
                throw new VolumeRefusedException(Refusal.Reason.NO_GEOMETRY, src + ": no " + missing + " ("
                        + h.getString(Tag.Modality, "?") + " " + h.getString(Tag.SOPClassUID, "")
                        + "); only images with a patient-space plane (Image Plane Module) make a volume");
            }
            double[][] iop = orientation(h, src);
            double[] rescale = rescale(h, src);
            out.add(new Slice(inst, 0, 0, vector(h, Tag.ImagePositionPatient, 3, src), iop[0], iop[1],
                    vector(h, Tag.PixelSpacing, 2, src), rescale[0], rescale[1], format, null));
        }
        return out;
    }

    private static Attributes group(Attributes perFrame, Attributes shared, int sequenceTag) {
        Attributes item = perFrame.getNestedDataset(sequenceTag);
        return item != null || shared == null ? item : shared.getNestedDataset(sequenceTag);
    }

    private static int intOf(Attributes a, int tag, int def, String src) throws VolumeRefusedException {
        try {
            return a.getInt(tag, def);
        } catch (RuntimeException e) {
            throw new VolumeRefusedException(Refusal.Reason.UNSUPPORTED_PIXELS, src + ": unreadable " + Tag.toString(tag)
                    + " value: " + e.getMessage());
        }
    }

    private static double[] vector(Attributes a, int tag, int n, String src) throws VolumeRefusedException {
        double[] v;
        try {
            v = a.getDoubles(tag);
        } catch (RuntimeException e) {
            v = null;
        }
        if (v == null || v.length != n || Arrays.stream(v).anyMatch(x -> !Double.isFinite(x))) {
            throw new VolumeRefusedException(Refusal.Reason.NO_GEOMETRY, src + ": " + Tag.toString(tag) + " must hold "
                    + n + " finite numbers, got " + (v == null ? "none" : Arrays.toString(v)));
        }
        if (tag == Tag.PixelSpacing && (v[0] <= 0 || v[1] <= 0)) {
            throw new VolumeRefusedException(Refusal.Reason.NO_GEOMETRY, src + ": PixelSpacing must be positive, got "
                    + Arrays.toString(v));
        }
        return v;
    }

    /** Row and column unit vectors, the column made orthogonal to the row. */
    private static double[][] orientation(Attributes a, String src) throws VolumeRefusedException {
        double[] iop = vector(a, Tag.ImageOrientationPatient, 6, src);
        double[] r = {iop[0], iop[1], iop[2]};
        double[] c = {iop[3], iop[4], iop[5]};
        double nr = norm(r);
        double nc = norm(c);
        if (Math.abs(nr - 1) > UNIT_TOLERANCE || Math.abs(nc - 1) > UNIT_TOLERANCE || Math.abs(dot(r, c)) > UNIT_TOLERANCE) {
            throw new VolumeRefusedException(Refusal.Reason.NO_GEOMETRY, src + ": ImageOrientationPatient "
                    + Arrays.toString(iop) + " is not two orthogonal unit vectors");
        }
        r = scale(r, 1 / nr);
        c = scale(c, 1 / nc);
        double d = dot(r, c);
        c = new double[] {c[0] - d * r[0], c[1] - d * r[1], c[2] - d * r[2]};
        c = scale(c, 1 / norm(c));
        return new double[][] {r, c};
    }

    private static double[] rescale(Attributes a, String src) throws VolumeRefusedException {
        double slope;
        double intercept;
        try {
            slope = a.getDouble(Tag.RescaleSlope, 1);
            intercept = a.getDouble(Tag.RescaleIntercept, 0);
        } catch (RuntimeException e) {
            throw new VolumeRefusedException(Refusal.Reason.INVALID_RESCALE, src + ": unreadable RescaleSlope/Intercept: "
                    + e.getMessage());
        }
        if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new VolumeRefusedException(Refusal.Reason.INVALID_RESCALE, src + ": RescaleSlope " + slope
                    + " / RescaleIntercept " + intercept + " cannot be applied");
        }
        return new double[] {slope, intercept};
    }

    // ------------------------------------------------------------------------------------------------ stacks

    private List<List<Slice>> splitIntoStacks(List<Slice> slices) {
        List<List<Slice>> stacks = new ArrayList<>();
        for (Slice s : slices) {
            List<Slice> home = null;
            for (List<Slice> st : stacks) {
                Slice f = st.get(0);
                if (f.format.rows() == s.format.rows() && f.format.cols() == s.format.cols() && sameOrientation(f, s)) {
                    home = st;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                stacks.add(home);
            }
            home.add(s);
        }
        return stacks;
    }

    private boolean sameOrientation(Slice a, Slice b) {
        for (int i = 0; i < 3; i++) {
            if (Math.abs(a.row[i] - b.row[i]) > options.orientationTolerance()
                    || Math.abs(a.col[i] - b.col[i]) > options.orientationTolerance()) {
                return false;
            }
        }
        return true;
    }

    private AssembledSeries assembleStack(String id, List<Slice> input) throws VolumeRefusedException {
        List<String> notes = new ArrayList<>();
        // Copies of one instance (received twice, or stored under two names) are the same image: keep one.
        Map<String, Slice> unique = new LinkedHashMap<>();
        for (Slice s : input) {
            unique.putIfAbsent(s.sopInstanceUid() + "/" + s.frameNumber(), s);
        }
        if (unique.size() < input.size()) {
            notes.add((input.size() - unique.size()) + " duplicate copies of the same SOP instance ignored");
        }
        List<Slice> slices = new ArrayList<>(unique.values());
        Slice first = slices.get(0);

        // One stack: size, pixel format, orientation and pixel spacing agree.
        for (Slice s : slices) {
            if (!s.format.equals(first.format)) {
                throw new VolumeRefusedException(Refusal.Reason.INCONSISTENT_PIXELS, id + ": image format differs between slices: "
                        + first.format.describe() + " (" + first.where() + ") vs " + s.format.describe() + " (" + s.where() + ")");
            }
        }
        List<Slice> orientations = new ArrayList<>();
        Map<Slice, Integer> counts = new LinkedHashMap<>();
        for (Slice s : slices) {
            Slice rep = null;
            for (Slice o : orientations) {
                if (sameOrientation(o, s)) {
                    rep = o;
                    break;
                }
            }
            if (rep == null) {
                orientations.add(s);
                rep = s;
            }
            counts.merge(rep, 1, Integer::sum);
        }
        if (orientations.size() > 1) {
            StringBuilder sb = new StringBuilder(id + ": " + orientations.size() + " different slice orientations among "
                    + slices.size() + " slices (");
            int shown = 0;
            for (Slice o : orientations) {
                if (shown++ == 4) {
                    sb.append(", ...");
                    break;
                }
                sb.append(shown > 1 ? "; " : "").append(counts.get(o)).append(" x ").append(orientationLabel(o.normal()).toLowerCase(Locale.ROOT))
                        .append(" IOP ").append(fmt(o.row)).append(fmt(o.col));
            }
            sb.append("): not one stack of parallel slices (a localizer, or radial/multi-plane slices)");
            throw new VolumeRefusedException(Refusal.Reason.MIXED_ORIENTATION, sb.toString());
        }
        for (Slice s : slices) {
            if (Math.abs(s.pixelSpacing[0] - first.pixelSpacing[0]) > PIXEL_SPACING_TOLERANCE
                    || Math.abs(s.pixelSpacing[1] - first.pixelSpacing[1]) > PIXEL_SPACING_TOLERANCE) {
                throw new VolumeRefusedException(Refusal.Reason.MIXED_PIXEL_SPACING, id + ": PixelSpacing differs between slices: "
                        + fmt(first.pixelSpacing) + " (" + first.where() + ") vs " + fmt(s.pixelSpacing) + " (" + s.where() + ")");
            }
        }

        // Sort along the normal.
        double[] normal = first.normal();
        int n = slices.size();
        slices.sort(Comparator.comparingDouble((Slice s) -> dot(s.ipp, normal)).thenComparingInt(Slice::instanceNumber)
                .thenComparingInt(Slice::frameNumber));
        double[] dist = new double[n];
        for (int k = 0; k < n; k++) {
            dist[k] = dot(slices.get(k).ipp, normal);
        }
        double tol = options.positionToleranceMm();
        for (int k = 0; k + 1 < n; k++) {
            if (dist[k + 1] - dist[k] <= tol) {
                throw new VolumeRefusedException(Refusal.Reason.DUPLICATE_POSITIONS, id + ": " + slices.get(k).where() + " and "
                        + slices.get(k + 1).where() + " are both at " + fmt(dist[k]) + " mm along the normal"
                        + differences(slices.get(k), slices.get(k + 1))
                        + "; the series holds more than one volume, which LesionLink does not split");
            }
        }
        checkTilt(id, slices, normal, dist);
        double spacing = checkSpacing(id, slices, dist, notes);

        // Geometry: LPS affine from IOP, PixelSpacing and the first sorted slice.
        PixelFormat fmt = first.format;
        double ps0 = first.pixelSpacing[0];
        double ps1 = first.pixelSpacing[1];
        double[][] lin = new double[3][3];
        for (int r = 0; r < 3; r++) {
            lin[r][0] = first.row[r] * ps1;
            lin[r][1] = first.col[r] * ps0;
            lin[r][2] = normal[r] * spacing;
        }
        Affine ijkToLps = Affine.of(lin, slices.get(0).ipp);
        Geometry geometry = Geometry.fromIjkToLps(new int[] {fmt.cols(), fmt.rows(), n}, ijkToLps);

        Volume volume = decode(id, slices, geometry, notes);
        if (fmt.photometric().equals("MONOCHROME1")) {
            notes.add("MONOCHROME1: low values display bright; the values are kept as they are");
        }
        List<AssembledSeries.SliceRef> refs = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Slice s = slices.get(k);
            refs.add(new AssembledSeries.SliceRef(s.instance.header().getString(Tag.SOPClassUID, ""), s.sopInstanceUid(),
                    s.frameNumber, s.ipp, dist[k]));
        }
        List<DicomInstance> instances = instancesOf(slices);
        SeriesInfo info = SeriesInfo.of(id, instances, n, orientationLabel(normal));
        return new AssembledSeries(info, volume, refs, instances.get(0).header(), notes);
    }

    private void checkTilt(String id, List<Slice> slices, double[] normal, double[] dist) throws VolumeRefusedException {
        double[] p0 = slices.get(0).ipp;
        double tan = Math.tan(Math.toRadians(options.tiltToleranceDegrees()));
        for (int k = 1; k < slices.size(); k++) {
            double[] d = sub(slices.get(k).ipp, p0);
            double along = dist[k] - dist[0];
            double across = norm(sub(d, scale(normal, dot(d, normal))));
            if (across > Math.max(options.positionToleranceMm(), tan * along)) {
                double[] last = sub(slices.get(slices.size() - 1).ipp, p0);
                double lastAlong = dist[slices.size() - 1] - dist[0];
                double lastAcross = norm(sub(last, scale(normal, dot(last, normal))));
                double angle = Math.toDegrees(Math.atan2(lastAcross, lastAlong));
                throw new VolumeRefusedException(Refusal.Reason.GANTRY_TILT, String.format(Locale.ROOT,
                        "%s: slice positions are not stacked along the slice normal: they drift %.3f mm across the image "
                                + "plane over %.3f mm along it (about %.2f degrees; first at %s slice %s); gantry tilt or a "
                                + "sheared stack, which needs resampling that LesionLink does not do",
                        id, lastAcross, lastAlong, angle, slices.get(k).where(), fmt(slices.get(k).ipp)));
            }
        }
    }

    private double checkSpacing(String id, List<Slice> slices, double[] dist, List<String> notes) throws VolumeRefusedException {
        int n = dist.length;
        Attributes h = slices.get(0).instance.header();
        if (n == 1) {
            double sbs = h.getDouble(Tag.SpacingBetweenSlices, Double.NaN);
            double st = h.getDouble(Tag.SliceThickness, Double.NaN);
            Attributes meas = slices.get(0).frameGroups == null ? null
                    : group(slices.get(0).frameGroups, h.getNestedDataset(Tag.SharedFunctionalGroupsSequence), Tag.PixelMeasuresSequence);
            if (meas != null) {
                sbs = meas.getDouble(Tag.SpacingBetweenSlices, sbs);
                st = meas.getDouble(Tag.SliceThickness, st);
            }
            double s = sbs > 0 ? sbs : st > 0 ? st : 1;
            notes.add("single slice: slice spacing " + fmt(s) + " mm taken from "
                    + (sbs > 0 ? "SpacingBetweenSlices" : st > 0 ? "SliceThickness" : "nothing (default 1 mm)"));
            return s;
        }
        double[] gaps = new double[n - 1];
        for (int k = 0; k + 1 < n; k++) {
            gaps[k] = dist[k + 1] - dist[k];
        }
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        double nominal = sorted[(sorted.length - 1) / 2];
        double tol = Math.max(options.positionToleranceMm(), options.spacingTolerance() * nominal);
        List<String> missing = new ArrayList<>();
        int bad = -1;
        for (int k = 0; k < gaps.length; k++) {
            if (Math.abs(gaps[k] - nominal) > tol) {
                if (gaps[k] > options.missingSliceFactor() * nominal) {
                    long m = Math.round(gaps[k] / nominal) - 1;
                    missing.add(String.format(Locale.ROOT, "a gap of %s mm between %s (at %s mm) and %s (at %s mm), about %d slice%s missing",
                            fmt(gaps[k]), slices.get(k).where(), fmt(dist[k]), slices.get(k + 1).where(), fmt(dist[k + 1]),
                            Math.max(1, m), m == 1 ? "" : "s"));
                } else if (bad < 0) {
                    bad = k;
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new VolumeRefusedException(Refusal.Reason.MISSING_SLICES, id + ": slice spacing is " + fmt(nominal)
                    + " mm but there is " + String.join("; ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.size() > 3 ? "; and " + (missing.size() - 3) + " more gaps" : "")
                    + " (incomplete transfer, or a series with several ranges)");
        }
        if (bad >= 0) {
            throw new VolumeRefusedException(Refusal.Reason.IRREGULAR_SPACING, String.format(Locale.ROOT,
                    "%s: slice spacing is not uniform: gaps along the normal range from %s to %s mm (nominal %s mm, tolerance "
                            + "+-%s mm); first off: %s mm between %s and %s",
                    id, fmt(sorted[0]), fmt(sorted[sorted.length - 1]), fmt(nominal), fmt(tol), fmt(gaps[bad]),
                    slices.get(bad).where(), slices.get(bad + 1).where()));
        }
        double spacing = (dist[n - 1] - dist[0]) / (n - 1);
        double sbs = h.getDouble(Tag.SpacingBetweenSlices, Double.NaN);
        if (Double.isFinite(sbs) && Math.abs(Math.abs(sbs) - spacing) > tol) {
            notes.add("SpacingBetweenSlices " + fmt(sbs) + " mm disagrees with the positions (" + fmt(spacing)
                    + " mm); the positions are used");
        }
        return spacing;
    }

    /** Which identifying attributes tell two slices at the same position apart, as ", which differ in X (a vs b)". */
    private static String differences(Slice a, Slice b) {
        int[] tags = {Tags.EchoNumbers, Tags.EchoTime, Tag.AcquisitionNumber, Tags.TemporalPositionIdentifier,
            Tags.TriggerTime, Tags.DiffusionBValue, Tags.InversionTime, Tag.ImageType};
        List<String> diffs = new ArrayList<>();
        for (int t : tags) {
            String va = String.join("\\", strings(a.instance.header(), t));
            String vb = String.join("\\", strings(b.instance.header(), t));
            if (!va.equals(vb)) {
                diffs.add(org.lesionlink.dicom.data.ElementDictionary.standard().keywordOf(t) + " (" + va + " vs " + vb + ")");
            }
        }
        if (a.frameGroups != null && b.frameGroups != null) {
            Attributes fa = a.frameGroups.getNestedDataset(Tags.FrameContentSequence);
            Attributes fb = b.frameGroups.getNestedDataset(Tags.FrameContentSequence);
            if (fa != null && fb != null) {
                for (int t : new int[] {Tags.StackID, Tags.TemporalPositionIndex, Tag.DimensionIndexValues}) {
                    String va = String.join("\\", strings(fa, t));
                    String vb = String.join("\\", strings(fb, t));
                    if (!va.equals(vb)) {
                        diffs.add(org.lesionlink.dicom.data.ElementDictionary.standard().keywordOf(t) + " (" + va + " vs " + vb + ")");
                    }
                }
            }
        }
        return diffs.isEmpty() ? "" : ", which differ in " + String.join(", ", diffs);
    }

    private static String[] strings(Attributes a, int tag) {
        String[] s = a.getStrings(tag);
        return s == null ? new String[0] : s;
    }

    // ------------------------------------------------------------------------------------------------ pixels

    private static Volume decode(String id, List<Slice> slices, Geometry geometry, List<String> notes)
            throws VolumeRefusedException {
        PixelFormat f = slices.get(0).format;
        boolean varies = false;
        for (Slice s : slices) {
            varies |= s.slope != slices.get(0).slope || s.intercept != slices.get(0).intercept;
        }
        DataType type;
        if (varies) {
            type = DataType.FLOAT32;
            notes.add("RescaleSlope/Intercept vary between slices: converted to float32 real values");
        } else if (f.bitsAllocated() == 8) {
            type = f.signed() ? DataType.INT16 : DataType.UINT8;
        } else if (f.bitsAllocated() == 16) {
            type = f.signed() ? DataType.INT16 : DataType.UINT16;
        } else {
            type = f.signed() || f.bitsStored() < 32 ? DataType.INT32 : DataType.FLOAT64;
        }
        Volume.Builder b = Volume.allocate(geometry, type, 1);
        if (!varies) {
            b.rescale(new Volume.Rescale(slices.get(0).slope, slices.get(0).intercept));
        }
        ByteBuffer out = b.channel(0);
        int pixels = f.rows() * f.cols();
        int bytesPerPixel = f.bitsAllocated() / 8;
        long frameBytes = (long) pixels * bytesPerPixel;
        int shift = f.highBit() + 1 - f.bitsStored();
        long mask = f.bitsStored() == 64 ? -1L : (1L << f.bitsStored()) - 1;
        long signBit = 1L << (f.bitsStored() - 1);
        DicomInstance cached = null;
        ByteBuffer src = null;
        for (int k = 0; k < slices.size(); k++) {
            Slice s = slices.get(k);
            if (s.instance != cached) {
                try {
                    src = s.instance.pixelData();
                } catch (IOException e) {
                    throw new VolumeRefusedException(Refusal.Reason.UNREADABLE, id + ": " + s.where()
                            + ": pixel data could not be read again: " + e.getMessage());
                }
                cached = s.instance;
            }
            long start = s.frameIndex * frameBytes;
            if (start + frameBytes > src.remaining()) {
                throw new VolumeRefusedException(Refusal.Reason.TRUNCATED_PIXELS, id + ": " + s.where() + ": pixel data holds "
                        + src.remaining() + " bytes, frame " + (s.frameIndex + 1) + " needs bytes " + start + ".." + (start + frameBytes));
            }
            int base = (int) start;
            int o = k * pixels;
            for (int p = 0; p < pixels; p++) {
                long raw = switch (bytesPerPixel) {
                    case 1 -> src.get(base + p) & 0xFFL;
                    case 2 -> src.getShort(base + 2 * p) & 0xFFFFL;
                    default -> src.getInt(base + 4 * p) & 0xFFFFFFFFL;
                };
                long v = (raw >>> shift) & mask;
                if (f.signed() && (v & signBit) != 0) {
                    v -= signBit << 1;
                }
                int idx = o + p;
                switch (type) {
                    case UINT8 -> out.put(idx, (byte) v);
                    case INT16, UINT16 -> out.putShort(idx << 1, (short) v);
                    case INT32 -> out.putInt(idx << 2, (int) v);
                    case FLOAT64 -> out.putDouble(idx << 3, v);
                    case FLOAT32 -> out.putFloat(idx << 2, (float) (v * s.slope + s.intercept));
                }
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static int frameCount(List<DicomInstance> instances) {
        int n = 0;
        for (DicomInstance i : instances) {
            try {
                n += Math.max(1, i.header().getInt(Tag.NumberOfFrames, 1));
            } catch (RuntimeException e) {
                n += 1;
            }
        }
        return n;
    }

    private static List<DicomInstance> instancesOf(List<Slice> slices) {
        List<DicomInstance> out = new ArrayList<>();
        for (Slice s : slices) {
            if (out.isEmpty() || out.get(out.size() - 1) != s.instance) {
                if (!out.contains(s.instance)) {
                    out.add(s.instance);
                }
            }
        }
        return out;
    }

    private static String orientationLabel(List<Slice> stack) {
        return orientationLabel(stack.get(0).normal());
    }

    /** AXIAL, SAGITTAL or CORONAL by the normal's largest LPS component; OBLIQUE_ when over 10 degrees off. */
    static String orientationLabel(double[] normal) {
        int axis = 0;
        for (int a = 1; a < 3; a++) {
            if (Math.abs(normal[a]) > Math.abs(normal[axis])) {
                axis = a;
            }
        }
        String name = axis == 0 ? "SAGITTAL" : axis == 1 ? "CORONAL" : "AXIAL";
        return Math.abs(normal[axis]) < Math.cos(Math.toRadians(10)) ? "OBLIQUE_" + name : name;
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(fmt(v[i]));
        }
        return sb.append(']').toString();
    }
}
