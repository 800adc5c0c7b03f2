package org.lesionlink.phantom;

import java.util.SplittableRandom;
import org.lesionlink.image.Geometry;

/**
 * Where the scanner put its field of view: a rigid rotation of the voxel axes (Euler angles about x, then
 * y, then z, in degrees) and a shift of the field of view's centre (mm). The anatomy stays where it is in
 * RAS; the grid is oblique and off-centre, so the output affine carries the pose and resampling the
 * image back onto an axis-aligned grid undoes it.
 *
 * @param rotationDeg angles about the x, y and z axes
 * @param translationMm shift of the field-of-view centre in RAS
 */
public record Pose(double[] rotationDeg, double[] translationMm) {

    public static final Pose IDENTITY = new Pose(new double[3], new double[3]);

    public Pose {
        rotationDeg = rotationDeg.clone();
        translationMm = translationMm.clone();
        if (rotationDeg.length != 3 || translationMm.length != 3) {
            throw new IllegalArgumentException("a pose needs 3 angles and 3 shifts");
        }
    }

    static Pose random(SplittableRandom r, double maxRotationDeg, double maxShiftMm) {
        double[] a = new double[3];
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            a[i] = Seeds.uniform(r, -maxRotationDeg, maxRotationDeg);
            t[i] = Seeds.uniform(r, -maxShiftMm, maxShiftMm);
        }
        return new Pose(a, t);
    }

    @Override
    public double[] rotationDeg() {
        return rotationDeg.clone();
    }

    @Override
    public double[] translationMm() {
        return translationMm.clone();
    }

    /** Rz * Ry * Rx, {@code [row][col]}: its columns are the grid's i, j and k axes in RAS. */
    public double[][] rotation() {
        double[] c = new double[3];
        double[] s = new double[3];
        for (int i = 0; i < 3; i++) {
            c[i] = Math.cos(Math.toRadians(rotationDeg[i]));
            s[i] = Math.sin(Math.toRadians(rotationDeg[i]));
        }
        double[][] rx = {{1, 0, 0}, {0, c[0], -s[0]}, {0, s[0], c[0]}};
        double[][] ry = {{c[1], 0, s[1]}, {0, 1, 0}, {-s[1], 0, c[1]}};
        double[][] rz = {{c[2], -s[2], 0}, {s[2], c[2], 0}, {0, 0, 1}};
        return multiply(rz, multiply(ry, rx));
    }

    /**
     * The grid of this pose covering a box of {@code 2 * halfExtentMm} along its own (rotated) axes, centred
     * on {@code centre + translation}. The box is not enlarged for the rotation: as on a scanner, a tilted
     * field of view of fixed size may clip corners.
     */
    public Geometry grid(double[] centre, double[] halfExtentMm, double[] spacing) {
        double[][] rot = rotation();
        int[] dims = new int[3];
        for (int a = 0; a < 3; a++) {
            dims[a] = Math.max(1, (int) Math.round(2 * halfExtentMm[a] / spacing[a]));
        }
        double[] origin = new double[3];
        for (int r = 0; r < 3; r++) {
            origin[r] = centre[r] + translationMm[r];
            for (int a = 0; a < 3; a++) {
                origin[r] -= rot[r][a] * spacing[a] * (dims[a] - 1) / 2.0;
            }
        }
        return Geometry.of(dims, spacing, origin, rot);
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] p = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                p[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
            }
        }
        return p;
    }
}
