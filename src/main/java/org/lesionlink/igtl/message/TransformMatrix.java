package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.lesionlink.image.Affine;

/**
 * The upper 3x4 of a homogeneous transform as twelve float32 values, the content of TRANSFORM and of
 * each TDATA element ("transform.md"). On the wire the order is column-major:
 * {@code R11 R21 R31 R12 R22 R32 R13 R23 R33 TX TY TZ} (translation in mm). Immutable; equality is
 * bitwise on the floats.
 */
public final class TransformMatrix {

    /** Bytes on the wire. */
    public static final int SIZE = 48;

    public static final TransformMatrix IDENTITY = fromColumnMajor(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);

    private final float[] columnMajor;

    private TransformMatrix(float[] columnMajor) {
        this.columnMajor = columnMajor;
    }

    /** From the twelve values in wire order. */
    public static TransformMatrix fromColumnMajor(float... values) {
        if (values.length != 12) {
            throw new IllegalArgumentException("a TRANSFORM matrix has 12 values, got " + values.length);
        }
        return new TransformMatrix(values.clone());
    }

    /** The upper 3x4 of an affine, rounded to float32. */
    public static TransformMatrix of(Affine a) {
        float[] v = new float[12];
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 3; r++) {
                v[c * 3 + r] = (float) a.get(r, c);
            }
        }
        return new TransformMatrix(v);
    }

    /** A pure translation. */
    public static TransformMatrix translation(double x, double y, double z) {
        return fromColumnMajor(1, 0, 0, 0, 1, 0, 0, 0, 1, (float) x, (float) y, (float) z);
    }

    public static TransformMatrix read(ByteBuf in) {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = in.readFloat();
        }
        return new TransformMatrix(v);
    }

    public void write(ByteBuf out) {
        for (float f : columnMajor) {
            out.writeFloat(f);
        }
    }

    /** Element at {@code row} 0..2, {@code col} 0..3 (column 3 is the translation). */
    public float get(int row, int col) {
        if (row < 0 || row > 2 || col < 0 || col > 3) {
            throw new IndexOutOfBoundsException("row " + row + ", col " + col);
        }
        return columnMajor[col * 3 + row];
    }

    /** The twelve values in wire order (a copy). */
    public float[] toColumnMajor() {
        return columnMajor.clone();
    }

    /** As a 4x4 affine with last row 0 0 0 1. */
    public Affine toAffine() {
        double[] m = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                m[r * 4 + c] = get(r, c);
            }
        }
        m[15] = 1;
        return Affine.ofRowMajor(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformMatrix t && Arrays.equals(columnMajor, t.columnMajor);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(columnMajor);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TransformMatrix[");
        for (int r = 0; r < 3; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 4; c++) {
                sb.append(c == 0 ? "" : " ").append(get(r, c));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
