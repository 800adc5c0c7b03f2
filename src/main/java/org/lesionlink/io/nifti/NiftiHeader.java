package org.lesionlink.io.nifti;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * The fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header that LesionLink uses, as read from the
 * file. NIfTI-1 stores most of them as float32; they are widened to double here without rounding, so every
 * computation below starts from the exact stored values.
 *
 * <p>Arrays are copied in and out; {@link #equals} compares them by content.
 *
 * @param version 1 or 2
 * @param byteOrder the file's byte order, detected from {@code sizeof_hdr}
 * @param singleFile {@code true} for {@code n+1}/{@code n+2} (header and data in one file), {@code false}
 *     for a {@code ni1}/{@code ni2} .hdr/.img pair
 * @param dim {@code dim[0..7]}: {@code dim[0]} is the number of dimensions, {@code dim[1..dim[0]]} the sizes
 * @param datatype the {@code datatype} code ({@link NiftiDatatype})
 * @param bitpix bits per voxel as the header says (not trusted: the datatype decides)
 * @param pixdim {@code pixdim[0..7]}: {@code pixdim[0]} is qfac, {@code pixdim[1..3]} the voxel spacing
 * @param voxOffset {@code vox_offset} as stored (0 in a single file means "right after the header", see
 *     {@link #dataOffset()})
 * @param sclSlope {@code scl_slope}
 * @param sclInter {@code scl_inter}
 * @param qformCode {@code qform_code}
 * @param sformCode {@code sform_code}
 * @param srowX {@code srow_x[0..3]}, first row of the sform
 * @param xyztUnits {@code xyzt_units}
 * @param intentCode {@code intent_code}
 * @param descrip {@code descrip}, up to the first NUL
 * @param magic {@code n+1}, {@code ni1}, {@code n+2} or {@code ni2}
 */
public record NiftiHeader(
        int version,
        ByteOrder byteOrder,
        boolean singleFile,
        long[] dim,
        int datatype,
        int bitpix,
        double[] pixdim,
        long voxOffset,
        double sclSlope,
        double sclInter,
        int qformCode,
        int sformCode,
        double quaternB,
        double quaternC,
        double quaternD,
        double qoffsetX,
        double qoffsetY,
        double qoffsetZ,
        double[] srowX,
        double[] srowY,
        double[] srowZ,
        int xyztUnits,
        int intentCode,
        String descrip,
        String magic) {

    /** {@code sizeof_hdr} of NIfTI-1 (and of Analyze 7.5). */
    public static final int NIFTI1_HEADER_SIZE = 348;
    /** {@code sizeof_hdr} of NIfTI-2. */
    public static final int NIFTI2_HEADER_SIZE = 540;

    /** {@code NIFTI_UNITS_MM} in {@code xyzt_units}. */
    public static final int UNITS_MM = 2;
    /** {@code NIFTI_XFORM_SCANNER_ANAT}. */
    public static final int XFORM_SCANNER_ANAT = 1;

    /**
     * Below this, {@code 1 - (b² + c² + d²)} is not float32 rounding of a unit quaternion but a broken one.
     * Each of b, c, d carries a relative error of about 6e-8 in a NIfTI-1 file, so honest rounding stays
     * well inside it.
     */
    private static final double QUATERNION_TOLERANCE = 1e-6;

    /** Which of the three NIfTI-1 methods {@link #bestAffine()} used. */
    public enum XformSource {
        /** Method 3: {@code srow_x/y/z}, used when {@code sform_code > 0}. */
        SFORM,
        /** Method 2: the quaternion, used when {@code sform_code == 0} and {@code qform_code > 0}. */
        QFORM,
        /** Method 1: {@code diag(pixdim[1..3])}, no translation, when both codes are 0. */
        METHOD1
    }

    public NiftiHeader {
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(descrip, "descrip");
        Objects.requireNonNull(magic, "magic");
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version must be 1 or 2, got " + version);
        }
        dim = copy(dim, 8, "dim");
        pixdim = copy(pixdim, 8, "pixdim");
        srowX = copy(srowX, 4, "srowX");
        srowY = copy(srowY, 4, "srowY");
        srowZ = copy(srowZ, 4, "srowZ");
    }

    @Override
    public long[] dim() {
        return dim.clone();
    }

    @Override
    public double[] pixdim() {
        return pixdim.clone();
    }

    @Override
    public double[] srowX() {
        return srowX.clone();
    }

    @Override
    public double[] srowY() {
        return srowY.clone();
    }

    @Override
    public double[] srowZ() {
        return srowZ.clone();
    }

    /** {@code dim[0]}, the number of dimensions (1..7 in a valid header). */
    public int ndim() {
        return (int) dim[0];
    }

    /**
     * The size along dimension {@code d} (1..7): {@code dim[d]} when {@code d <= dim[0]}, else 1, because
     * nifti1.h says entries past {@code dim[0]} are to be ignored.
     */
    public long size(int d) {
        if (d < 1 || d > 7) {
            throw new IllegalArgumentException("dimension must be 1..7, got " + d);
        }
        return d <= dim[0] ? dim[d] : 1;
    }

    /** The sizes of the first three (spatial) dimensions. */
    public int[] spatialDims() {
        int[] out = new int[3];
        for (int d = 1; d <= 3; d++) {
            long n = size(d);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalStateException("dim[" + d + "] = " + n + " is not a usable size");
            }
            out[d - 1] = (int) n;
        }
        return out;
    }

    /** Product of the sizes of dimensions 4..7 ("frames", each of which becomes a channel); 1 for 3D. */
    public long frames() {
        long n = 1;
        for (int d = 4; d <= 7; d++) {
            n = Math.multiplyExact(n, size(d));
        }
        return n;
    }

    /** The datatype, if the code is one nifti1.h defines. */
    public Optional<NiftiDatatype> niftiDatatype() {
        return NiftiDatatype.fromCode(datatype);
    }

    /** The NIfTI-1 or NIfTI-2 header size, the minimum {@code vox_offset} of a single file plus 4. */
    public int headerSize() {
        return version == 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE;
    }

    /**
     * Where the voxels start in the image file. In a single file a {@code vox_offset} of 0 is a common legacy
     * of writers that left it unset (the MRIcron templates, for one); nifti1.h requires at least 352 there,
     * so 0 is read as "right after the header and its 4-byte extension flag" (352, or 544 for NIfTI-2), as
     * nibabel does.
     */
    public long dataOffset() {
        if (singleFile && voxOffset == 0) {
            return headerSize() + 4L;
        }
        return voxOffset;
    }

    /**
     * The data scaling, from {@code scl_slope} and {@code scl_inter}: nifti1.h says a slope of 0 means no
     * scaling, and NaN (what nibabel writes for unscaled data) is read the same way. A NaN intercept with a
     * usable slope counts as 0. Scaling does not apply to RGB data (nifti1.h), so it is ignored there.
     *
     * @throws IllegalStateException if the slope or intercept is infinite
     */
    public Volume.Rescale rescale() {
        int code = datatype;
        if (sclSlope == 0 || Double.isNaN(sclSlope) || code == NiftiDatatype.RGB24.code()
                || code == NiftiDatatype.RGBA32.code()) {
            return Volume.Rescale.IDENTITY;
        }
        double inter = Double.isNaN(sclInter) ? 0 : sclInter;
        if (Double.isInfinite(sclSlope) || Double.isInfinite(inter)) {
            throw new IllegalStateException("scl_slope/scl_inter must be finite, got " + sclSlope + ", " + sclInter);
        }
        if (sclSlope == 1 && inter == 0) {
            return Volume.Rescale.IDENTITY;
        }
        return new Volume.Rescale(sclSlope, inter);
    }

    /** Which transform {@link #bestAffine()} uses: the precedence of nifti1.h. */
    public XformSource xformSource() {
        if (sformCode > 0) {
            return XformSource.SFORM;
        }
        if (qformCode > 0) {
            return XformSource.QFORM;
        }
        return XformSource.METHOD1;
    }

    /**
     * IJK (voxel centres) to RAS millimetres, chosen as nifti1.h prescribes: the sform (Method 3) when
     * {@code sform_code > 0}, else the qform (Method 2) when {@code qform_code > 0}, else Method 1.
     *
     * <p><b>Deviation from nibabel:</b> for Method 1 nibabel returns the Analyze 7.5 affine (x axis flipped,
     * origin at the volume centre); LesionLink follows the NIfTI-1 standard, {@link #method1Affine()}.
     */
    public Affine bestAffine() {
        return switch (xformSource()) {
            case SFORM -> sformAffine();
            case QFORM -> qformAffine();
            case METHOD1 -> method1Affine();
        };
    }

    /** Method 3: the rows {@code srow_x}, {@code srow_y}, {@code srow_z}, whatever {@code sform_code} says. */
    public Affine sformAffine() {
        return Affine.ofRowMajor(
                srowX[0], srowX[1], srowX[2], srowX[3],
                srowY[0], srowY[1], srowY[2], srowY[3],
                srowZ[0], srowZ[1], srowZ[2], srowZ[3],
                0, 0, 0, 1);
    }

    /**
     * Method 2 of nifti1.h, whatever {@code qform_code} says: {@code R * diag(pixdim[1], pixdim[2],
     * qfac * pixdim[3]) + qoffset}, R from the unit quaternion (a, b, c, d) with
     * {@code a = sqrt(1 - b² - c² - d²)}.
     *
     * <p>qfac is {@code pixdim[0]}: negative means -1, anything else (0 included, which old writers leave)
     * means +1. A slightly negative {@code 1 - b² - c² - d²} is float32 rounding of a 180° rotation: a is then
     * 0 and (b, c, d) is renormalised. Spacings that are not positive are taken as 1 (the reference
     * nifti1_io library does the same).
     *
     * @throws IllegalStateException if b² + c² + d² exceeds 1 by more than rounding can explain
     */
    public Affine qformAffine() {
        double b = quaternB;
        double c = quaternC;
        double d = quaternD;
        double s = 1 - (b * b + c * c + d * d);
        double a;
        if (s >= 0) {
            a = Math.sqrt(s);
        } else if (s > -QUATERNION_TOLERANCE) {
            a = 0;
            double n = Math.sqrt(b * b + c * c + d * d);
            b /= n;
            c /= n;
            d /= n;
        } else {
            throw new IllegalStateException("qform quaternion (b, c, d) = (" + quaternB + ", " + quaternC + ", "
                    + quaternD + ") is not a unit quaternion: b²+c²+d² = " + (1 - s));
        }
        double[][] r = {
            {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
            {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}
        };
        double qfac = pixdim[0] < 0 ? -1 : 1;
        double[] sp = {positiveOr1(pixdim[1]), positiveOr1(pixdim[2]), positiveOr1(pixdim[3]) * qfac};
        double[][] lin = new double[3][3];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                lin[row][col] = r[row][col] * sp[col];
            }
        }
        return Affine.of(lin, new double[] {qoffsetX, qoffsetY, qoffsetZ});
    }

    /**
     * Method 1 of nifti1.h, for files with {@code qform_code == sform_code == 0}:
     * {@code x = pixdim[1] * i, y = pixdim[2] * j, z = pixdim[3] * k}, no rotation and no translation. A
     * spacing that is not positive (or NaN) is taken as 1 so the result is still a usable grid.
     * nibabel differs here; see {@link #bestAffine()}.
     */
    public Affine method1Affine() {
        return Affine.diagonal(positiveOr1(pixdim[1]), positiveOr1(pixdim[2]), positiveOr1(pixdim[3]));
    }

    /** Whether Method 1 or the qform had to replace a spacing that was not positive by 1. */
    public boolean hasUnusableSpacing() {
        for (int d = 1; d <= 3; d++) {
            if (!(pixdim[d] > 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The grid of the first three dimensions with {@link #bestAffine()}.
     *
     * @throws IllegalArgumentException if the chosen transform is singular or not finite
     * @throws IllegalStateException if a spatial dimension is not a usable size or the quaternion is broken
     */
    public Geometry geometry() {
        return Geometry.fromIjkToRas(spatialDims(), bestAffine());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NiftiHeader h
                && version == h.version && byteOrder.equals(h.byteOrder) && singleFile == h.singleFile
                && Arrays.equals(dim, h.dim) && datatype == h.datatype && bitpix == h.bitpix
                && Arrays.equals(pixdim, h.pixdim) && voxOffset == h.voxOffset
                && same(sclSlope, h.sclSlope) && same(sclInter, h.sclInter)
                && qformCode == h.qformCode && sformCode == h.sformCode
                && same(quaternB, h.quaternB) && same(quaternC, h.quaternC) && same(quaternD, h.quaternD)
                && same(qoffsetX, h.qoffsetX) && same(qoffsetY, h.qoffsetY) && same(qoffsetZ, h.qoffsetZ)
                && Arrays.equals(srowX, h.srowX) && Arrays.equals(srowY, h.srowY) && Arrays.equals(srowZ, h.srowZ)
                && xyztUnits == h.xyztUnits && intentCode == h.intentCode
                && descrip.equals(h.descrip) && magic.equals(h.magic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, byteOrder, singleFile, Arrays.hashCode(dim), datatype,
                Arrays.hashCode(pixdim), voxOffset, sformCode, qformCode, Arrays.hashCode(srowX), magic);
    }

    @Override
    public String toString() {
        return "NiftiHeader[" + magic + ", " + byteOrder + ", dim " + Arrays.toString(dim) + ", datatype "
                + niftiDatatype().map(NiftiDatatype::niftiName).orElse(String.valueOf(datatype))
                + ", pixdim " + Arrays.toString(pixdim) + ", vox_offset " + voxOffset
                + ", scl " + sclSlope + "/" + sclInter + ", qform_code " + qformCode + ", sform_code " + sformCode
                + ", descrip '" + descrip + "']";
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0;
    }

    private static double positiveOr1(double v) {
        return v > 0 ? v : 1;
    }

    private static long[] copy(long[] a, int n, String what) {
        Objects.requireNonNull(a, what);
        if (a.length != n) {
            throw new IllegalArgumentException(what + " must have " + n + " values, got " + a.length);
        }
        return a.clone();
    }

    private static double[] copy(double[] a, int n, String what) {
        Objects.requireNonNull(a, what);
        if (a.length != n) {
            throw new IllegalArgumentException(what + " must have " + n + " values, got " + a.length);
        }
        return a.clone();
    }
}
