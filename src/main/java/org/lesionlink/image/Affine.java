package org.lesionlink.image;

import java.util.Arrays;

/** An immutable 4x4 homogeneous transform, row-major. */
public final class Affine {

    /** RAS to LPS and back: both flip the first two axes. */
    public static final Affine RAS_LPS_FLIP = diagonal(-1, -1, 1);
    public static final Affine IDENTITY = diagonal(1, 1, 1);

    private final double[] m; // 16 values, row-major

    private Affine(double[] m) {
        this.m = m;
    }

    /** From 16 row-major values; the last row must be 0 0 0 1. */
    public static Affine ofRowMajor(double... values) {
        if (values.length != 16) {
            throw new IllegalArgumentException("an affine needs 16 values, got " + values.length);
        }
        if (values[12] != 0 || values[13] != 0 || values[14] != 0 || values[15] != 1) {
            throw new IllegalArgumentException("last row of an affine must be 0 0 0 1, got "
                    + values[12] + " " + values[13] + " " + values[14] + " " + values[15]);
        }
        return new Affine(values.clone());
    }

    /** From a 3x3 linear part {@code a[row][col]} and a translation. */
    public static Affine of(double[][] a, double[] t) {
        double[] m = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r * 4 + c] = a[r][c];
            }
            m[r * 4 + 3] = t[r];
        }
        m[15] = 1;
        return new Affine(m);
    }

    public static Affine diagonal(double x, double y, double z) {
        return new Affine(new double[] {x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1});
    }

    public double get(int row, int col) {
        return m[row * 4 + col];
    }

    /** The 16 values, row-major (a copy). */
    public double[] toRowMajor() {
        return m.clone();
    }

    /** Rows as nested arrays, e.g. for JSON output. */
    public double[][] toRows() {
        double[][] rows = new double[4][4];
        for (int r = 0; r < 4; r++) {
            System.arraycopy(m, r * 4, rows[r], 0, 4);
        }
        return rows;
    }

    /** {@code this * other}: applies {@code other} first. */
    public Affine multiply(Affine other) {
        double[] o = other.m;
        double[] p = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[r * 4 + k] * o[k * 4 + c];
                }
                p[r * 4 + c] = s;
            }
        }
        return new Affine(p);
    }

    /** Maps a point (x, y, z). */
    public double[] apply(double x, double y, double z) {
        return new double[] {
            m[0] * x + m[1] * y + m[2] * z + m[3],
            m[4] * x + m[5] * y + m[6] * z + m[7],
            m[8] * x + m[9] * y + m[10] * z + m[11]
        };
    }

    public double determinant3() {
        return m[0] * (m[5] * m[10] - m[6] * m[9])
                - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    /** Inverse of an affine with an invertible linear part. */
    public Affine inverse() {
        double det = determinant3();
        if (det == 0 || !Double.isFinite(det)) {
            throw new IllegalStateException("affine is singular (determinant " + det + ")");
        }
        double[] a = m;
        double[] inv = new double[16];
        inv[0] = (a[5] * a[10] - a[6] * a[9]) / det;
        inv[1] = (a[2] * a[9] - a[1] * a[10]) / det;
        inv[2] = (a[1] * a[6] - a[2] * a[5]) / det;
        inv[4] = (a[6] * a[8] - a[4] * a[10]) / det;
        inv[5] = (a[0] * a[10] - a[2] * a[8]) / det;
        inv[6] = (a[2] * a[4] - a[0] * a[6]) / det;
        inv[8] = (a[4] * a[9] - a[5] * a[8]) / det;
        inv[9] = (a[1] * a[8] - a[0] * a[9]) / det;
        inv[10] = (a[0] * a[5] - a[1] * a[4]) / det;
        for (int r = 0; r < 3; r++) {
            inv[r * 4 + 3] = -(inv[r * 4] * a[3] + inv[r * 4 + 1] * a[7] + inv[r * 4 + 2] * a[11]);
        }
        inv[15] = 1;
        return new Affine(inv);
    }

    /** Largest absolute element-wise difference to {@code other}. */
    public double maxAbsDifference(Affine other) {
        double d = 0;
        for (int i = 0; i < 16; i++) {
            d = Math.max(d, Math.abs(m[i] - other.m[i]));
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine a && Arrays.equals(m, a.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < 4; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 4; c++) {
                sb.append(c == 0 ? "" : ", ").append(m[r * 4 + c]);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
