package org.lesionlink.image;


/**
 * Surfaces of label masks: the 0.5 iso-surface of a binary mask, by marching cubes in its tetrahedral form
 * (every cube of eight neighbouring voxel centres is split into six tetrahedra around its main diagonal,
 * and each tetrahedron contributes zero, one or two triangles). The tetrahedral split needs no 256-case
 * table and has no ambiguous cases, so the surface is always closed and consistently oriented; it has
 * somewhat more triangles than the classic table. Vertices lie on voxel-centre edges (at the midpoint: the
 * field is binary), are shared between triangles, and are then smoothed with Taubin's lambda/mu filter
 * (a Laplacian step followed by an inflating step, which removes the voxel staircase without shrinking).
 * Points are in RAS millimetres of the volume's geometry; triangles are counter-clockwise seen from outside.
 */
public final class MarchingCubes {

    /** A triangle mesh: x, y, z per point (RAS mm) and three point indices per triangle. */
    public record Surface(float[] points, int[] triangles) {
        public int pointCount() {
            return points.length / 3;
        }

        public int triangleCount() {
            return triangles.length / 3;
        }

        /** Total triangle area in mm². */
        public double area() {
            double a = 0;
            for (int t = 0; t < triangles.length; t += 3) {
                double[] n = cross(t);
                a += 0.5 * Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
            }
            return a;
        }

        /** Enclosed volume in mm³ (divergence theorem; positive for outward-oriented closed surfaces). */
        public double volume() {
            double v = 0;
            for (int t = 0; t < triangles.length; t += 3) {
                int a = 3 * triangles[t];
                int b = 3 * triangles[t + 1];
                int c = 3 * triangles[t + 2];
                v += points[a] * (points[b + 1] * points[c + 2] - points[b + 2] * points[c + 1])
                        - points[a + 1] * (points[b] * points[c + 2] - points[b + 2] * points[c])
                        + points[a + 2] * (points[b] * points[c + 1] - points[b + 1] * points[c]);
            }
            return v / 6;
        }

        private double[] cross(int t) {
            int a = 3 * triangles[t];
            int b = 3 * triangles[t + 1];
            int c = 3 * triangles[t + 2];
            double ux = points[b] - points[a], uy = points[b + 1] - points[a + 1], uz = points[b + 2] - points[a + 2];
            double vx = points[c] - points[a], vy = points[c + 1] - points[a + 1], vz = points[c + 2] - points[a + 2];
            return new double[] {uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx};
        }
    }

    /** Cube corner offsets (i, j, k), corner 0 = (0,0,0), corner 6 = (1,1,1). */
    private static final int[][] CORNER = {
        {0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};
    /** Six tetrahedra around the diagonal 0-6. */
    private static final int[][] TETS = {
        {0, 6, 1, 2}, {0, 6, 2, 3}, {0, 6, 3, 7}, {0, 6, 7, 4}, {0, 6, 4, 5}, {0, 6, 5, 1}};

    private MarchingCubes() {}

    /**
     * The surface of the voxels of {@code volume} (channel 0) whose value equals {@code label}, smoothed with
     * {@code smoothingIterations} Taubin iterations (0 = raw). Empty when no voxel has the label.
     */
    public static Surface surface(Volume volume, int label, int smoothingIterations) {
        return surface(volume, label, smoothingIterations, Integer.MAX_VALUE);
    }

    /**
     * As {@link #surface(Volume, int, int)}, but gives up (returns null) as soon as the surface has more than
     * {@code maxTriangles} triangles, before smoothing: a bound on the time and size a server spends on a
     * scattered label map (a noisy mask makes some twenty triangles per voxel).
     */
    public static Surface surface(Volume volume, int label, int smoothingIterations, int maxTriangles) {
        Geometry g = volume.geometry();
        int nx = g.dim(0), ny = g.dim(1), nz = g.dim(2);
        int[] lo = {nx, ny, nz};
        int[] hi = {-1, -1, -1};
        boolean[] inside = new boolean[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int idx = volume.index(i, j, k);
                    if ((int) Math.round(volume.stored(0, idx)) == label) {
                        inside[i + nx * (j + ny * k)] = true;
                        lo[0] = Math.min(lo[0], i); lo[1] = Math.min(lo[1], j); lo[2] = Math.min(lo[2], k);
                        hi[0] = Math.max(hi[0], i); hi[1] = Math.max(hi[1], j); hi[2] = Math.max(hi[2], k);
                    }
                }
            }
        }
        if (hi[0] < 0) {
            return new Surface(new float[0], new int[0]);
        }
        FloatList pts = new FloatList();
        IntList tris = new IntList();
        EdgeMap edgeVertex = new EdgeMap();
        // Cubes from lo-1 to hi: voxels outside the volume count as outside, which closes the surface.
        long sx = nx + 2L, sy = ny + 2L;
        int[] ci = new int[8];
        boolean[] cin = new boolean[8];
        for (int k = lo[2] - 1; k <= hi[2]; k++) {
            for (int j = lo[1] - 1; j <= hi[1]; j++) {
                for (int i = lo[0] - 1; i <= hi[0]; i++) {
                    int count = 0;
                    for (int c = 0; c < 8; c++) {
                        int x = i + CORNER[c][0], y = j + CORNER[c][1], z = k + CORNER[c][2];
                        cin[c] = x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz && inside[x + nx * (y + ny * z)];
                        ci[c] = (int) ((x + 1) + sx * ((y + 1) + sy * (z + 1)));
                        if (cin[c]) {
                            count++;
                        }
                    }
                    if (count == 0 || count == 8) {
                        continue;
                    }
                    for (int[] tet : TETS) {
                        polygonise(tet, i, j, k, cin, ci, pts, tris, edgeVertex);
                    }
                    if (tris.size / 3 > maxTriangles) {
                        return null;
                    }
                }
            }
        }
        float[] p = pts.toArray();
        int[] t = tris.toArray();
        if (smoothingIterations > 0) {
            taubin(p, t, smoothingIterations, 0.5, -0.53);
        }
        for (int v = 0; v < p.length; v += 3) {
            double[] ras = g.toRas(p[v], p[v + 1], p[v + 2]);
            p[v] = (float) ras[0];
            p[v + 1] = (float) ras[1];
            p[v + 2] = (float) ras[2];
        }
        if (g.ijkToRas().determinant3() < 0) {
            for (int v = 0; v < t.length; v += 3) {
                int tmp = t[v + 1];
                t[v + 1] = t[v + 2];
                t[v + 2] = tmp;
            }
        }
        return new Surface(p, t);
    }

    private static void polygonise(int[] tet, int i, int j, int k, boolean[] cin, int[] ci, FloatList pts, IntList tris,
            EdgeMap edgeVertex) {
        int nIn = 0;
        int[] in = new int[4];
        int[] out = new int[4];
        int nOut = 0;
        for (int c : tet) {
            if (cin[c]) {
                in[nIn++] = c;
            } else {
                out[nOut++] = c;
            }
        }
        if (nIn == 0 || nIn == 4) {
            return;
        }
        double[] inC = centroid(in, nIn, i, j, k);
        double[] outC = centroid(out, nOut, i, j, k);
        if (nIn == 1 || nIn == 3) {
            int lone = nIn == 1 ? in[0] : out[0];
            int[] others = nIn == 1 ? out : in;
            int a = vertex(lone, others[0], i, j, k, ci, pts, edgeVertex);
            int b = vertex(lone, others[1], i, j, k, ci, pts, edgeVertex);
            int c = vertex(lone, others[2], i, j, k, ci, pts, edgeVertex);
            emit(a, b, c, inC, outC, pts, tris);
        } else {
            // Two in (p, q), two out (r, s): a quad with corners on edges pr, ps, qs, qr.
            int pr = vertex(in[0], out[0], i, j, k, ci, pts, edgeVertex);
            int ps = vertex(in[0], out[1], i, j, k, ci, pts, edgeVertex);
            int qs = vertex(in[1], out[1], i, j, k, ci, pts, edgeVertex);
            int qr = vertex(in[1], out[0], i, j, k, ci, pts, edgeVertex);
            emit(pr, ps, qs, inC, outC, pts, tris);
            emit(pr, qs, qr, inC, outC, pts, tris);
        }
    }

    private static double[] centroid(int[] corners, int n, int i, int j, int k) {
        double[] c = new double[3];
        for (int m = 0; m < n; m++) {
            c[0] += i + CORNER[corners[m]][0];
            c[1] += j + CORNER[corners[m]][1];
            c[2] += k + CORNER[corners[m]][2];
        }
        c[0] /= n;
        c[1] /= n;
        c[2] /= n;
        return c;
    }

    /** Adds triangle a, b, c oriented so that its normal points from the inside corners to the outside ones. */
    private static void emit(int a, int b, int c, double[] inC, double[] outC, FloatList pts, IntList tris) {
        float[] p = pts.data;
        double ux = p[3 * b] - p[3 * a], uy = p[3 * b + 1] - p[3 * a + 1], uz = p[3 * b + 2] - p[3 * a + 2];
        double vx = p[3 * c] - p[3 * a], vy = p[3 * c + 1] - p[3 * a + 1], vz = p[3 * c + 2] - p[3 * a + 2];
        double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        double dot = nx * (outC[0] - inC[0]) + ny * (outC[1] - inC[1]) + nz * (outC[2] - inC[2]);
        if (nx == 0 && ny == 0 && nz == 0) {
            return;
        }
        tris.add(a);
        if (dot >= 0) {
            tris.add(b);
            tris.add(c);
        } else {
            tris.add(c);
            tris.add(b);
        }
    }

    private static int vertex(int c0, int c1, int i, int j, int k, int[] ci, FloatList pts, EdgeMap edgeVertex) {
        long a = Math.min(ci[c0], ci[c1]);
        long b = Math.max(ci[c0], ci[c1]);
        long key = (a << 32) | b;
        int v = edgeVertex.get(key);
        if (v >= 0) {
            return v;
        }
        int id = pts.size / 3;
        pts.add((float) (i + 0.5 * (CORNER[c0][0] + CORNER[c1][0])));
        pts.add((float) (j + 0.5 * (CORNER[c0][1] + CORNER[c1][1])));
        pts.add((float) (k + 0.5 * (CORNER[c0][2] + CORNER[c1][2])));
        edgeVertex.put(key, id);
        return id;
    }

    /** Taubin smoothing with uniform (umbrella) weights over the mesh's edges, in place. */
    static void taubin(float[] p, int[] t, int iterations, double lambda, double mu) {
        int n = p.length / 3;
        // Undirected edges as sorted, de-duplicated longs (min << 32 | max): no boxing for millions of edges.
        long[] e = new long[t.length];
        for (int v = 0; v < t.length; v += 3) {
            for (int c = 0; c < 3; c++) {
                int a = t[v + c];
                int b = t[v + (c + 1) % 3];
                e[v + c] = ((long) Math.min(a, b) << 32) | Math.max(a, b);
            }
        }
        java.util.Arrays.sort(e);
        int m = 0;
        for (int i = 0; i < e.length; i++) {
            if (i == 0 || e[i] != e[i - 1]) {
                e[m++] = e[i];
            }
        }
        int[] degree = new int[n];
        for (int i = 0; i < m; i++) {
            degree[(int) (e[i] >>> 32)]++;
            degree[(int) e[i]]++;
        }
        int[] start = new int[n + 1];
        for (int v = 0; v < n; v++) {
            start[v + 1] = start[v] + degree[v];
        }
        int[] nb = new int[start[n]];
        int[] fill = start.clone();
        for (int i = 0; i < m; i++) {
            int a = (int) (e[i] >>> 32);
            int b = (int) e[i];
            nb[fill[a]++] = b;
            nb[fill[b]++] = a;
        }
        float[] tmp = new float[p.length];
        for (int it = 0; it < iterations; it++) {
            step(p, tmp, start, nb, lambda);
            step(p, tmp, start, nb, mu);
        }
    }

    private static void step(float[] p, float[] tmp, int[] start, int[] nb, double factor) {
        int n = p.length / 3;
        for (int v = 0; v < n; v++) {
            int d = start[v + 1] - start[v];
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int e = start[v]; e < start[v + 1]; e++) {
                    s += p[3 * nb[e] + c];
                }
                double lap = d == 0 ? 0 : s / d - p[3 * v + c];
                tmp[3 * v + c] = (float) (p[3 * v + c] + factor * lap);
            }
        }
        System.arraycopy(tmp, 0, p, 0, p.length);
    }

    /** Open-addressing map from an edge key (two non-negative ints) to a vertex index; -1 = absent. */
    private static final class EdgeMap {
        long[] keys = new long[1 << 12];
        int[] values = new int[1 << 12];
        int size;

        EdgeMap() {
            java.util.Arrays.fill(keys, -1L);
        }

        private int slot(long key, long[] ks) {
            int mask = ks.length - 1;
            int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
            while (ks[h] != -1L && ks[h] != key) {
                h = (h + 1) & mask;
            }
            return h;
        }

        int get(long key) {
            int h = slot(key, keys);
            return keys[h] == key ? values[h] : -1;
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                long[] oldK = keys;
                int[] oldV = values;
                keys = new long[oldK.length * 2];
                values = new int[oldK.length * 2];
                java.util.Arrays.fill(keys, -1L);
                for (int i = 0; i < oldK.length; i++) {
                    if (oldK[i] != -1L) {
                        int h = slot(oldK[i], keys);
                        keys[h] = oldK[i];
                        values[h] = oldV[i];
                    }
                }
            }
            int h = slot(key, keys);
            if (keys[h] != key) {
                keys[h] = key;
                size++;
            }
            values[h] = value;
        }
    }

    private static final class FloatList {
        float[] data = new float[1024];
        int size;

        void add(float f) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = f;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }

    private static final class IntList {
        int[] data = new int[1024];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
