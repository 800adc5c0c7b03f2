package org.lesionlink.image;

import java.util.Arrays;

/**
 * Where the voxels of a {@link Volume} sit in patient space. Immutable.
 *
 * <p><b>Convention, used everywhere inside LesionLink:</b> coordinates are RAS millimetres (+x towards
 * the patient's Right, +y Anterior, +z Superior, as NIfTI and 3D Slicer use) and voxel indices
 * address voxel <em>centres</em>:
 *
 * <pre>ijkToRas = [ direction * diag(spacing) | origin ]</pre>
 *
 * where {@code origin} is the RAS position of the centre of voxel (0,0,0) and the columns of
 * {@code direction} are the unit vectors of the i, j and k axes in RAS. DICOM and OpenIGTLink scanners
 * speak LPS; {@link #ijkToLps()} and {@link #fromIjkToLps} convert at those boundaries by flipping the
 * first two rows.
 */
public final class Geometry {

    private final int[] dims;
    private final double[] spacing;
    private final double[] origin;
    private final double[][] direction; // direction[row][col]; column c is axis c in RAS
    private final Affine ijkToRas;

    private Geometry(int[] dims, double[] spacing, double[] origin, double[][] direction) {
        for (int a = 0; a < 3; a++) {
            if (dims[a] < 1) {
                throw new IllegalArgumentException("dimension " + a + " must be >= 1, got " + dims[a]);
            }
            if (!(spacing[a] > 0) || !Double.isFinite(spacing[a])) {
                throw new IllegalArgumentException("spacing " + a + " must be positive and finite, got " + spacing[a]);
            }
            if (!Double.isFinite(origin[a])) {
                throw new IllegalArgumentException("origin " + a + " must be finite, got " + origin[a]);
            }
        }
        this.dims = dims;
        this.spacing = spacing;
        this.origin = origin;
        this.direction = direction;
        double[][] lin = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                lin[r][c] = direction[r][c] * spacing[c];
            }
        }
        this.ijkToRas = Affine.of(lin, origin);
        if (Math.abs(ijkToRas.determinant3()) < 1e-12) {
            throw new IllegalArgumentException("direction matrix is singular: " + Arrays.deepToString(direction));
        }
    }

    /**
     * @param direction 3x3, {@code direction[row][col]}, columns are the i, j, k axes in RAS; they are
     *     normalised here
     */
    public static Geometry of(int[] dims, double[] spacing, double[] origin, double[][] direction) {
        check3("dims", dims.length);
        check3("spacing", spacing.length);
        check3("origin", origin.length);
        double[][] d = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = Math.sqrt(direction[0][c] * direction[0][c] + direction[1][c] * direction[1][c]
                    + direction[2][c] * direction[2][c]);
            if (!(n > 0) || !Double.isFinite(n)) {
                throw new IllegalArgumentException("direction column " + c + " is zero or not finite");
            }
            for (int r = 0; r < 3; r++) {
                d[r][c] = direction[r][c] / n;
            }
        }
        return new Geometry(dims.clone(), spacing.clone(), origin.clone(), d);
    }

    /** Axis-aligned RAS grid: identity direction. */
    public static Geometry axisAligned(int[] dims, double[] spacing, double[] origin) {
        return of(dims, spacing, origin, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    }

    /** From a voxel-centre IJK-to-RAS affine; spacing is the length of each column. */
    public static Geometry fromIjkToRas(int[] dims, Affine ijkToRas) {
        double[] spacing = new double[3];
        double[][] dir = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = Math.sqrt(sq(ijkToRas.get(0, c)) + sq(ijkToRas.get(1, c)) + sq(ijkToRas.get(2, c)));
            if (!(n > 0) || !Double.isFinite(n)) {
                throw new IllegalArgumentException("affine column " + c + " has zero or non-finite length: " + ijkToRas);
            }
            spacing[c] = n;
            for (int r = 0; r < 3; r++) {
                dir[r][c] = ijkToRas.get(r, c) / n;
            }
        }
        double[] o = {ijkToRas.get(0, 3), ijkToRas.get(1, 3), ijkToRas.get(2, 3)};
        check3("dims", dims.length);
        return new Geometry(dims.clone(), spacing, o, dir);
    }

    /** From a voxel-centre IJK-to-LPS affine (DICOM, ITK, most scanners). */
    public static Geometry fromIjkToLps(int[] dims, Affine ijkToLps) {
        return fromIjkToRas(dims, Affine.RAS_LPS_FLIP.multiply(ijkToLps));
    }

    public int[] dims() {
        return dims.clone();
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public long voxelCount() {
        return (long) dims[0] * dims[1] * dims[2];
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public double spacing(int axis) {
        return spacing[axis];
    }

    /** RAS position of the centre of voxel (0,0,0). */
    public double[] origin() {
        return origin.clone();
    }

    /** Unit axis directions in RAS as columns, {@code [row][col]}. */
    public double[][] direction() {
        return new double[][] {direction[0].clone(), direction[1].clone(), direction[2].clone()};
    }

    public Affine ijkToRas() {
        return ijkToRas;
    }

    public Affine ijkToLps() {
        return Affine.RAS_LPS_FLIP.multiply(ijkToRas);
    }

    public Affine rasToIjk() {
        return ijkToRas.inverse();
    }

    /** RAS position of a (possibly fractional) voxel index. */
    public double[] toRas(double i, double j, double k) {
        return ijkToRas.apply(i, j, k);
    }

    /** RAS position of the centre of the volume (the point OpenIGTLink's IMAGE origin refers to). */
    public double[] centre() {
        return toRas((dims[0] - 1) / 2.0, (dims[1] - 1) / 2.0, (dims[2] - 1) / 2.0);
    }

    /** A sub-grid starting at voxel {@code start} with {@code size} voxels per axis (may extend outside). */
    public Geometry region(int[] start, int[] size) {
        check3("start", start.length);
        check3("size", size.length);
        return new Geometry(size.clone(), spacing, toRas(start[0], start[1], start[2]), direction);
    }

    /**
     * The grid covering the same physical field of view with a new spacing: voxel count per axis is
     * {@code round(dims * spacing / newSpacing)} (at least 1), and the new voxels are centred in the same
     * box, so the outer voxel edges stay put.
     */
    public Geometry withSpacing(double[] newSpacing) {
        check3("newSpacing", newSpacing.length);
        for (int a = 0; a < 3; a++) {
            // Without this, 0, negative or NaN spacing silently became a 1-voxel axis via Math.round.
            if (!(newSpacing[a] > 0) || !Double.isFinite(newSpacing[a])) {
                throw new IllegalArgumentException("new spacing " + a + " must be positive and finite, got " + newSpacing[a]);
            }
        }
        int[] nd = new int[3];
        double[] ns = new double[3];
        double[] shift = new double[3]; // in old voxel units along each axis
        for (int a = 0; a < 3; a++) {
            double extent = dims[a] * spacing[a];
            nd[a] = Math.max(1, (int) Math.round(extent / newSpacing[a]));
            ns[a] = extent / nd[a]; // exact spacing that keeps the box
            shift[a] = (ns[a] - spacing[a]) / (2 * spacing[a]);
        }
        return new Geometry(nd, ns, toRas(shift[0], shift[1], shift[2]), direction);
    }

    public boolean isOrthogonal(double tolerance) {
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                double dot = 0;
                for (int r = 0; r < 3; r++) {
                    dot += direction[r][a] * direction[r][b];
                }
                if (Math.abs(dot) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Same dims and an IJK-to-RAS affine equal within {@code toleranceMm} per element. */
    public boolean sameGrid(Geometry other, double toleranceMm) {
        return Arrays.equals(dims, other.dims) && ijkToRas.maxAbsDifference(other.ijkToRas) <= toleranceMm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && Arrays.equals(dims, g.dims) && ijkToRas.equals(g.ijkToRas);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + ijkToRas.hashCode();
    }

    @Override
    public String toString() {
        return "Geometry" + Arrays.toString(dims) + " spacing " + Arrays.toString(spacing) + " ijkToRas " + ijkToRas;
    }

    private static double sq(double v) {
        return v * v;
    }

    private static void check3(String what, int n) {
        if (n != 3) {
            throw new IllegalArgumentException(what + " must have 3 values, got " + n);
        }
    }
}
