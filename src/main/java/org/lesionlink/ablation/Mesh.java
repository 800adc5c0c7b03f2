package org.lesionlink.ablation;

import java.util.List;

/**
 * A triangle surface mesh in RAS millimetres: {@code points} holds x, y, z per vertex (float32, as
 * OpenIGTLink POLYDATA carries them) and {@code triangles} three vertex indices per triangle,
 * counter-clockwise seen from outside (normals point outwards). Immutable: arrays are copied.
 */
public record Mesh(float[] points, int[] triangles) {

    public Mesh {
        if (points.length % 3 != 0 || triangles.length % 3 != 0) {
            throw new IllegalArgumentException("mesh arrays must hold triples, got " + points.length + " and " + triangles.length);
        }
        int n = points.length / 3;
        for (int t : triangles) {
            if (t < 0 || t >= n) {
                throw new IllegalArgumentException("triangle index " + t + " outside 0.." + (n - 1));
            }
        }
        points = points.clone();
        triangles = triangles.clone();
    }

    @Override
    public float[] points() {
        return points.clone();
    }

    @Override
    public int[] triangles() {
        return triangles.clone();
    }

    public int pointCount() {
        return points.length / 3;
    }

    public int triangleCount() {
        return triangles.length / 3;
    }

    /**
     * The analytic surface of an ellipsoid as a latitude-longitude triangulation: {@code rings} latitude
     * bands (>= 2) from pole to pole along the ellipsoid's {@code axis} and {@code segments} (>= 3) around
     * it; poles are single vertices. Vertices lie exactly on the surface.
     */
    public static Mesh ellipsoid(Ellipsoid e, int rings, int segments) {
        if (rings < 2 || segments < 3) {
            throw new IllegalArgumentException("an ellipsoid mesh needs rings >= 2 and segments >= 3, got " + rings + ", " + segments);
        }
        int n = 2 + (rings - 1) * segments;
        float[] p = new float[3 * n];
        put(p, 0, e, 0, 0, 1);
        int v = 1;
        for (int r = 1; r < rings; r++) {
            double theta = Math.PI * r / rings;
            for (int s = 0; s < segments; s++) {
                double phi = 2 * Math.PI * s / segments;
                put(p, v++, e, Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta));
            }
        }
        put(p, v, e, 0, 0, -1);
        int south = n - 1;
        int[] t = new int[3 * (2 * segments + 2 * segments * (rings - 2))];
        int q = 0;
        for (int s = 0; s < segments; s++) {
            int s1 = (s + 1) % segments;
            // North cap: pole, ring 1 (s), ring 1 (s+1); the unit sphere's normals point outwards for this order.
            t[q++] = 0;
            t[q++] = 1 + s;
            t[q++] = 1 + s1;
            for (int r = 1; r < rings - 1; r++) {
                int a = 1 + (r - 1) * segments;
                int b = 1 + r * segments;
                t[q++] = a + s;
                t[q++] = b + s;
                t[q++] = b + s1;
                t[q++] = a + s;
                t[q++] = b + s1;
                t[q++] = a + s1;
            }
            int last = 1 + (rings - 2) * segments;
            t[q++] = last + s;
            t[q++] = south;
            t[q++] = last + s1;
        }
        return new Mesh(p, t);
    }

    /** All ellipsoids of a zone, each triangulated, in one mesh (overlaps are not trimmed). */
    public static Mesh of(AblationZone zone, int rings, int segments) {
        List<Ellipsoid> es = zone.ellipsoids();
        if (es.size() == 1) {
            return ellipsoid(es.get(0), rings, segments);
        }
        Mesh[] parts = new Mesh[es.size()];
        int np = 0;
        int nt = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = ellipsoid(es.get(i), rings, segments);
            np += parts[i].points.length;
            nt += parts[i].triangles.length;
        }
        float[] p = new float[np];
        int[] t = new int[nt];
        int po = 0;
        int to = 0;
        for (Mesh m : parts) {
            System.arraycopy(m.points, 0, p, po, m.points.length);
            for (int i = 0; i < m.triangles.length; i++) {
                t[to + i] = m.triangles[i] + po / 3;
            }
            po += m.points.length;
            to += m.triangles.length;
        }
        return new Mesh(p, t);
    }

    /** Volume enclosed by a closed, outward-oriented mesh (divergence theorem), in mm^3. */
    public double enclosedVolume() {
        double v = 0;
        for (int i = 0; i < triangles.length; i += 3) {
            int a = 3 * triangles[i];
            int b = 3 * triangles[i + 1];
            int c = 3 * triangles[i + 2];
            double ax = points[a], ay = points[a + 1], az = points[a + 2];
            double bx = points[b], by = points[b + 1], bz = points[b + 2];
            double cx = points[c], cy = points[c + 1], cz = points[c + 2];
            v += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        }
        return v / 6;
    }

    private static void put(float[] p, int v, Ellipsoid e, double u, double w, double h) {
        Point3 c = e.centre();
        Point3 x = e.xAxis();
        Point3 y = e.yAxis();
        Point3 z = e.axis();
        double a = e.a() * u;
        double b = e.b() * w;
        double cc = e.c() * h;
        p[3 * v] = (float) (c.x() + a * x.x() + b * y.x() + cc * z.x());
        p[3 * v + 1] = (float) (c.y() + a * x.y() + b * y.y() + cc * z.y());
        p[3 * v + 2] = (float) (c.z() + a * x.z() + b * y.z() + cc * z.z());
    }
}
