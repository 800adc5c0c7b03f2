package org.lesionlink.ablation;

import java.util.Locale;

/** A point or vector in RAS millimetres. Immutable. */
public record Point3(double x, double y, double z) {

    public static final Point3 ORIGIN = new Point3(0, 0, 0);

    public Point3 {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
            throw new IllegalArgumentException("coordinates must be finite, got " + x + ", " + y + ", " + z);
        }
    }

    public static Point3 of(double[] xyz) {
        if (xyz.length != 3) {
            throw new IllegalArgumentException("a point needs 3 values (x, y, z), got " + xyz.length);
        }
        return new Point3(xyz[0], xyz[1], xyz[2]);
    }

    public double[] toArray() {
        return new double[] {x, y, z};
    }

    public Point3 plus(Point3 o) {
        return new Point3(x + o.x, y + o.y, z + o.z);
    }

    public Point3 minus(Point3 o) {
        return new Point3(x - o.x, y - o.y, z - o.z);
    }

    public Point3 times(double s) {
        return new Point3(x * s, y * s, z * s);
    }

    public double dot(Point3 o) {
        return x * o.x + y * o.y + z * o.z;
    }

    public Point3 cross(Point3 o) {
        return new Point3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
    }

    public double norm() {
        return Math.sqrt(dot(this));
    }

    public double distance(Point3 o) {
        return minus(o).norm();
    }

    /** This vector scaled to length 1; fails for a (near) zero vector. */
    public Point3 unit() {
        double n = norm();
        if (!(n > 1e-12)) {
            throw new IllegalArgumentException("cannot normalise a zero-length vector " + this);
        }
        return times(1 / n);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "(%.3f, %.3f, %.3f)", x, y, z);
    }
}
