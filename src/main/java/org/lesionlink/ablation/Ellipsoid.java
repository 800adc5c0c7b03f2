package org.lesionlink.ablation;

/**
 * A solid ellipsoid in RAS millimetres: centre, three orthonormal axis directions and the semi-axes
 * along them. Immutable.
 *
 * @param centre RAS centre
 * @param xAxis unit direction of semi-axis {@code a}
 * @param yAxis unit direction of semi-axis {@code b}
 * @param axis unit direction of semi-axis {@code c} (for an ablation zone: the applicator axis)
 */
public record Ellipsoid(Point3 centre, Point3 xAxis, Point3 yAxis, Point3 axis, double a, double b, double c) {

    public Ellipsoid {
        if (!(a > 0) || !(b > 0) || !(c > 0) || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("semi-axes must be positive and finite, got " + a + ", " + b + ", " + c);
        }
        if (Math.abs(xAxis.norm() - 1) > 1e-9 || Math.abs(yAxis.norm() - 1) > 1e-9 || Math.abs(axis.norm() - 1) > 1e-9
                || Math.abs(xAxis.dot(yAxis)) > 1e-9 || Math.abs(xAxis.dot(axis)) > 1e-9 || Math.abs(yAxis.dot(axis)) > 1e-9) {
            throw new IllegalArgumentException("ellipsoid axes must be orthonormal");
        }
    }

    /** A sphere. */
    public static Ellipsoid sphere(Point3 centre, double radius) {
        return new Ellipsoid(centre, new Point3(1, 0, 0), new Point3(0, 1, 0), new Point3(0, 0, 1), radius, radius, radius);
    }

    /** The zone of {@code spec} for an applicator at {@code pose}: centre = tip - offset * direction. */
    public static Ellipsoid of(ZoneSpec spec, ProbePose pose) {
        Point3[] f = pose.frame();
        Point3 centre = pose.tip().minus(f[2].times(spec.offsetMm()));
        return new Ellipsoid(centre, f[0], f[1], f[2], spec.a(), spec.b(), spec.c());
    }

    /** Analytic volume {@code 4/3 pi a b c} in mm^3. */
    public double volumeMm3() {
        return 4.0 / 3.0 * Math.PI * a * b * c;
    }

    public double maxSemiAxis() {
        return Math.max(a, Math.max(b, c));
    }

    public double minSemiAxis() {
        return Math.min(a, Math.min(b, c));
    }

    /** Whether the point satisfies {@code (x/a)^2 + (y/b)^2 + (z/c)^2 <= 1} in the ellipsoid's frame. */
    public boolean contains(double x, double y, double z) {
        double dx = x - centre.x();
        double dy = y - centre.y();
        double dz = z - centre.z();
        double u = (dx * xAxis.x() + dy * xAxis.y() + dz * xAxis.z()) / a;
        double v = (dx * yAxis.x() + dy * yAxis.y() + dz * yAxis.z()) / b;
        double w = (dx * axis.x() + dy * axis.y() + dz * axis.z()) / c;
        return u * u + v * v + w * w <= 1;
    }

    public boolean contains(Point3 p) {
        return contains(p.x(), p.y(), p.z());
    }

    /**
     * Exact signed Euclidean distance (mm) from the point to the ellipsoid's surface: positive inside,
     * negative outside (see {@link EllipsoidDistance} for the method and its error bound, below 1e-5 mm).
     */
    public double signedDistance(double x, double y, double z) {
        double dx = x - centre.x();
        double dy = y - centre.y();
        double dz = z - centre.z();
        double u = dx * xAxis.x() + dy * xAxis.y() + dz * xAxis.z();
        double v = dx * yAxis.x() + dy * yAxis.y() + dz * yAxis.z();
        double w = dx * axis.x() + dy * axis.y() + dz * axis.z();
        return EllipsoidDistance.signedDistance(u, v, w, a, b, c);
    }

    public double signedDistance(Point3 p) {
        return signedDistance(p.x(), p.y(), p.z());
    }

    /** Half-extents of the axis-aligned RAS bounding box: {@code sqrt(sum_i (s_i * axis_i[k])^2)}. */
    public double[] halfExtentsRas() {
        double[] h = new double[3];
        double[][] ax = {xAxis.toArray(), yAxis.toArray(), axis.toArray()};
        double[] s = {a, b, c};
        for (int k = 0; k < 3; k++) {
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += (s[i] * ax[i][k]) * (s[i] * ax[i][k]);
            }
            h[k] = Math.sqrt(sum);
        }
        return h;
    }
}
