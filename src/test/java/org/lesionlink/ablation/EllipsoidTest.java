package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

class EllipsoidTest {

    private static Ellipsoid oblique(double a, double b, double c, Point3 centre, Point3 direction, double roll) {
        ZoneSpec spec = ZoneSpec.manual(a, b, c, 0);
        return Ellipsoid.of(spec, new ProbePose(centre, direction, roll));
    }

    /** Brute force: minimum distance to a dense (theta, phi) sampling, refined around the best sample. */
    private static double bruteDistance(Ellipsoid e, Point3 p) {
        double best = Double.POSITIVE_INFINITY;
        double bt = 0;
        double bp = 0;
        int nt = 240;
        int np = 480;
        for (int it = 0; it <= nt; it++) {
            double t = Math.PI * it / nt;
            for (int ip = 0; ip < np; ip++) {
                double f = 2 * Math.PI * ip / np;
                double d = surface(e, t, f).distance(p);
                if (d < best) {
                    best = d;
                    bt = t;
                    bp = f;
                }
            }
        }
        double st = Math.PI / nt;
        double sp = 2 * Math.PI / np;
        for (int round = 0; round < 3; round++) {
            double ct = bt;
            double cp = bp;
            for (int it = -40; it <= 40; it++) {
                for (int ip = -40; ip <= 40; ip++) {
                    double t = ct + st * it / 20;
                    double f = cp + sp * ip / 20;
                    double d = surface(e, t, f).distance(p);
                    if (d < best) {
                        best = d;
                        bt = t;
                        bp = f;
                    }
                }
            }
            st /= 20;
            sp /= 20;
        }
        return best;
    }

    private static Point3 surface(Ellipsoid e, double t, double f) {
        return e.centre().plus(e.xAxis().times(e.a() * Math.sin(t) * Math.cos(f)))
                .plus(e.yAxis().times(e.b() * Math.sin(t) * Math.sin(f))).plus(e.axis().times(e.c() * Math.cos(t)));
    }

    @Test
    void pointToEllipsoidDistanceMatchesDenseSurfaceSampling() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 4; trial++) {
            double a = 4 + 20 * rnd.nextDouble();
            double b = 4 + 20 * rnd.nextDouble();
            double c = 4 + 20 * rnd.nextDouble();
            Ellipsoid e = oblique(a, b, c, new Point3(rnd.nextGaussian() * 10, rnd.nextGaussian() * 10, rnd.nextGaussian() * 10),
                    new Point3(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()), rnd.nextDouble());
            for (int q = 0; q < 12; q++) {
                // Points inside, near and far outside, and on the ellipsoid's symmetry planes and axes (degenerate cases).
                double s = q < 4 ? 0.6 : q < 8 ? 1.05 : 2.5;
                double u = rnd.nextGaussian();
                double v = q % 4 == 1 ? 0 : rnd.nextGaussian();
                double w = q % 4 >= 2 ? 0 : rnd.nextGaussian();
                double n = Math.sqrt(u * u + v * v + w * w);
                Point3 p = e.centre().plus(e.xAxis().times(s * a * u / n)).plus(e.yAxis().times(s * b * v / n))
                        .plus(e.axis().times(s * c * w / n));
                double exact = e.signedDistance(p);
                double brute = bruteDistance(e, p);
                assertEquals(brute, Math.abs(exact), 1e-4, "trial " + trial + " point " + q + " axes " + a + ", " + b + ", " + c);
                assertEquals(e.contains(p), exact > 0, "sign agrees with the inequality");
            }
        }
    }

    @Test
    void newtonAgreesWithBisectionIncludingFlatAndNeedleShapesAndSymmetryPlanes() {
        Random rnd = new Random(7);
        double[][] shapes = {{30, 30, 2}, {2, 2, 30}, {20, 10, 10}, {10, 10, 10}, {25, 5, 1}, {1, 25, 5}};
        for (double[] e : shapes) {
            for (int i = 0; i < 20000; i++) {
                double scale = 2.5 * rnd.nextDouble();
                double x = i % 5 == 1 ? 0 : rnd.nextGaussian() * e[0] * scale;
                double y = i % 5 == 2 ? 0 : rnd.nextGaussian() * e[1] * scale;
                double z = i % 5 >= 3 ? 0 : rnd.nextGaussian() * e[2] * scale;
                if (i % 7 == 0) {
                    x = 0; // points on two planes at once, i.e. on an axis
                }
                double newton = EllipsoidDistance.signedDistance(x, y, z, e[0], e[1], e[2]);
                double bisection = EllipsoidDistance.signedDistance(x, y, z, e[0], e[1], e[2], true);
                assertEquals(bisection, newton, 1e-9, "shape " + java.util.Arrays.toString(e) + " point " + x + ", " + y + ", " + z);
            }
        }
    }

    @Test
    void centreAndAxisPointsOfAnEllipsoid() {
        Ellipsoid e = oblique(5, 8, 12, Point3.ORIGIN, new Point3(0, 0, 1), 0);
        assertEquals(5, e.signedDistance(Point3.ORIGIN), 1e-5, "the centre is min(semi-axes) deep (within the documented 1e-5 mm)");
        assertEquals(-3, e.signedDistance(e.axis().times(15)), 1e-5);
        assertEquals(2, e.signedDistance(e.yAxis().times(6)), 1e-5, "inside on the b axis: nearest is the b pole");
        assertEquals(-1, e.signedDistance(e.xAxis().times(6)), 1e-5);
    }

    @Test
    void sphereDistanceIsRadiusMinusRange() {
        Ellipsoid s = Ellipsoid.sphere(new Point3(1, 2, 3), 10);
        Random rnd = new Random(3);
        for (int i = 0; i < 100; i++) {
            Point3 p = new Point3(rnd.nextGaussian() * 8, rnd.nextGaussian() * 8, rnd.nextGaussian() * 8);
            assertEquals(10 - p.distance(s.centre()), s.signedDistance(p), 1e-6);
        }
    }

    @Test
    void zoneCentreLiesOffsetBehindTheTip() {
        ProbePose pose = new ProbePose(new Point3(10, 20, 30), new Point3(0, 3, 4));
        Ellipsoid e = Ellipsoid.of(new ZoneSpec(15, 15, 18, 12, ZoneSpec.manual(1, 1, 1, 0).source()), pose);
        assertArrayEquals(new double[] {10, 20 - 12 * 0.6, 30 - 12 * 0.8}, e.centre().toArray(), 1e-12);
        assertArrayEquals(new double[] {0, 0.6, 0.8}, e.axis().toArray(), 1e-12);
        assertEquals(4.0 / 3 * Math.PI * 15 * 15 * 18, e.volumeMm3(), 1e-9);
    }

    @Test
    void probeFrameIsRightHandedDeterministicAndRolls() {
        ProbePose p = new ProbePose(Point3.ORIGIN, new Point3(0, 0, 5));
        Point3[] f = p.frame();
        assertArrayEquals(new double[] {1, 0, 0}, f[0].toArray(), 1e-12, "x from R for a superior-pointing probe");
        assertArrayEquals(new double[] {0, 1, 0}, f[1].toArray(), 1e-12);
        ProbePose oblique = new ProbePose(Point3.ORIGIN, new Point3(0.3, -0.5, 0.8));
        Point3[] g = oblique.frame();
        assertEquals(0, g[0].dot(g[2]), 1e-12);
        assertEquals(1, g[0].norm(), 1e-12);
        assertArrayEquals(g[2].toArray(), g[0].cross(g[1]).toArray(), 1e-12);
        Point3[] rolled = new ProbePose(Point3.ORIGIN, new Point3(0, 0, 1), Math.PI / 2).frame();
        assertArrayEquals(new double[] {0, 1, 0}, rolled[0].toArray(), 1e-12, "90 degrees turns x onto y");
        assertArrayEquals(new double[] {-1, 0, 0}, rolled[1].toArray(), 1e-12);
    }

    @Test
    void rasterizedVolumeApproachesTheAnalyticVolume() {
        Ellipsoid e = oblique(9, 7, 13, new Point3(0.3, -0.2, 0.1), new Point3(1, 1, 2), 0.4);
        Geometry g = AblationPhantoms.centredGrid(new int[] {64, 64, 64}, new double[] {0.5, 0.5, 0.5});
        Volume v = AblationZone.of(e).rasterize(g, 1);
        byte[] b = new byte[v.voxelsPerChannel()];
        v.data(0).get(b);
        int n = 0;
        for (byte x : b) {
            n += x;
        }
        double vox = n * 0.125;
        assertEquals(e.volumeMm3(), vox, 0.01 * e.volumeMm3(), "within 1 % at 0.5 mm");
        // Anisotropic, coarser grid: within 2 %.
        Geometry g2 = AblationPhantoms.centredGrid(new int[] {40, 40, 22}, new double[] {0.8, 0.8, 1.5});
        Volume v2 = AblationZone.of(e).rasterize(g2, 3);
        byte[] b2 = new byte[v2.voxelsPerChannel()];
        v2.data(0).get(b2);
        int n2 = 0;
        for (byte x : b2) {
            n2 += x == 3 ? 1 : 0;
        }
        assertEquals(e.volumeMm3(), n2 * 0.8 * 0.8 * 1.5, 0.02 * e.volumeMm3());
    }

    @Test
    void meshVerticesLieOnTheSurfaceAndEncloseTheVolume() {
        Ellipsoid e = oblique(9, 7, 13, new Point3(5, -4, 3), new Point3(1, 1, 2), 0.4);
        Mesh m = Mesh.ellipsoid(e, 64, 128);
        float[] p = m.points();
        for (int i = 0; i < m.pointCount(); i++) {
            assertEquals(0, e.signedDistance(p[3 * i], p[3 * i + 1], p[3 * i + 2]), 1e-4);
        }
        assertEquals(2 + 63 * 128, m.pointCount());
        assertEquals(2 * 128 * 63, m.triangleCount());
        assertEquals(e.volumeMm3(), m.enclosedVolume(), 0.005 * e.volumeMm3(), "outward triangles: positive enclosed volume");
        Mesh two = Mesh.of(AblationZone.of(e, Ellipsoid.sphere(Point3.ORIGIN, 3)), 8, 16);
        assertEquals(2 * (2 + 7 * 16), two.pointCount());
    }

    @Test
    void unionDistanceIsExactOutsideAndTheDeepestZoneInside() {
        Ellipsoid s1 = Ellipsoid.sphere(new Point3(-5, 0, 0), 8);
        Ellipsoid s2 = Ellipsoid.sphere(new Point3(5, 0, 0), 8);
        AblationZone u = AblationZone.of(s1, s2);
        assertEquals(-4, u.signedDistance(-17, 0, 0), 1e-6);
        assertEquals(-4, u.signedDistance(17, 0, 0), 1e-6);
        assertEquals(8 - Math.hypot(5, 10) , u.signedDistance(0, 10, 0), 1e-6, "outside above the waist");
        // At the origin the true depth (to the waist circle, radius sqrt(39)) is larger than either sphere's 3 mm.
        assertEquals(3, u.signedDistance(0, 0, 0), 1e-6);
        assertTrue(u.signedDistance(0, 0, 0) <= Math.sqrt(39), "a lower bound of the true depth");
        assertTrue(u.contains(0, 0, 0));
    }
}
