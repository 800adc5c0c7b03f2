package org.lesionlink.ablation;

/**
 * Where an applicator is, in RAS millimetres: the position of its tip and the unit direction in which it
 * points (from the shaft towards the tip, i.e. the direction of insertion), plus an optional roll about
 * that direction.
 *
 * <p>The probe frame {@code (x, y, axis)} is right-handed. With roll 0 it is derived deterministically from
 * the direction alone: {@code x} is the RAS axis least parallel to the direction (ties go to R before A
 * before S), made orthogonal to it (Gram-Schmidt) and normalised, and {@code y = axis x x}. A non-zero roll
 * turns {@code x} and {@code y} about the axis by that angle (right-hand rule). The roll matters only for
 * zones whose two radial semi-axes differ.
 *
 * @param tip RAS position of the applicator tip
 * @param direction direction of insertion; normalised here
 * @param rollRadians rotation of the probe x axis about the direction
 */
public record ProbePose(Point3 tip, Point3 direction, double rollRadians) {

    public ProbePose {
        if (tip == null || direction == null) {
            throw new IllegalArgumentException("a probe pose needs a tip and a direction");
        }
        direction = direction.unit();
        if (!Double.isFinite(rollRadians)) {
            throw new IllegalArgumentException("roll must be finite, got " + rollRadians);
        }
    }

    public ProbePose(Point3 tip, Point3 direction) {
        this(tip, direction, 0);
    }

    /** The probe's x axis (unit, orthogonal to the direction). */
    public Point3 xAxis() {
        Point3[] f = frame();
        return f[0];
    }

    /** The probe's y axis (unit): {@code direction x xAxis}. */
    public Point3 yAxis() {
        return frame()[1];
    }

    /** {x, y, axis}: a right-handed orthonormal frame with {@code axis = direction}. */
    Point3[] frame() {
        Point3 d = direction;
        double ax = Math.abs(d.x());
        double ay = Math.abs(d.y());
        double az = Math.abs(d.z());
        Point3 helper = ax <= ay && ax <= az ? new Point3(1, 0, 0) : ay <= az ? new Point3(0, 1, 0) : new Point3(0, 0, 1);
        Point3 x0 = helper.minus(d.times(helper.dot(d))).unit();
        Point3 y0 = d.cross(x0);
        if (rollRadians == 0) {
            return new Point3[] {x0, y0, d};
        }
        double c = Math.cos(rollRadians);
        double s = Math.sin(rollRadians);
        Point3 x = x0.times(c).plus(y0.times(s));
        Point3 y = d.cross(x);
        return new Point3[] {x, y, d};
    }
}
