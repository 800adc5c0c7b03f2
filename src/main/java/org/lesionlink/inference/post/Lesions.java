package org.lesionlink.inference.post;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelSpec;

/**
 * The lesion table of a label map: one {@link Lesion} per 26-connected component of non-zero voxels.
 *
 * <p><b>Longest diameter.</b> The maximum distance between voxel centres of a lesion is attained between
 * two voxels that are each extreme (first or last lesion voxel) on the grid line through them along i,
 * along j and along k: the squared distance to a fixed point is strictly convex along any line, so an
 * interior point of a line segment is always beaten by one of its ends. Only such voxels (a subset of the
 * surface) are compared pairwise, in RAS millimetres, so anisotropic and oblique grids are handled.
 */
public final class Lesions {

    private Lesions() {}

    /** Measures every lesion of a uint8 label map, naming labels and regions after {@code spec}. */
    public static List<Lesion> measure(Volume labelMap, ModelSpec spec) {
        if (labelMap.type() != DataType.UINT8 || labelMap.channels() != 1) {
            throw new IllegalArgumentException("need a single-channel uint8 label map, got " + labelMap);
        }
        byte[] labels = new byte[labelMap.voxelsPerChannel()];
        labelMap.data(0).get(labels);
        return measure(labels, labelMap.geometry(), spec);
    }

    public static List<Lesion> measure(byte[] labels, Geometry geometry, ModelSpec spec) {
        int[] dims = geometry.dims();
        Components comps = Components.ofForeground(labels, dims);
        int n = comps.count();
        if (n == 0) {
            return List.of();
        }
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        double voxelMl = Math.abs(geometry.ijkToRas().determinant3()) / 1000.0;

        long[][] perLabel = new long[n + 1][256];
        double[][] sum = new double[n + 1][3];
        for (int k = 0, v = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++, v++) {
                    int c = comps.label(v);
                    if (c != 0) {
                        perLabel[c][labels[v] & 0xFF]++;
                        sum[c][0] += i;
                        sum[c][1] += j;
                        sum[c][2] += k;
                    }
                }
            }
        }
        double[] diameters = longestDiameters(comps, geometry);

        List<Lesion> out = new ArrayList<>(n);
        for (int c = 1; c <= n; c++) {
            long size = comps.size(c);
            Map<String, Double> byLabel = new LinkedHashMap<>();
            for (ModelSpec.Label l : spec.labels()) {
                byLabel.put(l.name(), perLabel[c][l.value()] * voxelMl);
            }
            Map<String, Double> byRegion = new LinkedHashMap<>();
            for (ModelSpec.Region r : spec.regions()) {
                long count = 0;
                for (int l : r.labels()) {
                    count += perLabel[c][l];
                }
                byRegion.put(r.name(), count * voxelMl);
            }
            double[] centroid = geometry.toRas(sum[c][0] / size, sum[c][1] / size, sum[c][2] / size);
            out.add(new Lesion(c, size, size * voxelMl, byLabel, byRegion, diameters[c], centroid));
        }
        return out;
    }

    /** Longest centre-to-centre diameter in mm per component id (index 0 unused). */
    static double[] longestDiameters(Components comps, Geometry geometry) {
        int[] dims = comps.dims();
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        int n = nx * ny * nz;
        int count = comps.count();
        // extreme[v] counts on how many of the three axis lines voxel v is a first or last lesion voxel.
        byte[] extreme = new byte[n];
        int[] stride = {1, nx, nx * ny};
        int[] length = {nx, ny, nz};
        int[] first = new int[count + 1];
        int[] last = new int[count + 1];
        int[] touched = new int[Math.max(nx, Math.max(ny, nz))];
        for (int axis = 0; axis < 3; axis++) {
            int len = length[axis];
            int s = stride[axis];
            // Line starts: every voxel whose coordinate along 'axis' is 0.
            for (int start = 0; start < n; start++) {
                if ((start / s) % len != 0) {
                    continue;
                }
                int t = 0;
                for (int m = 0, v = start; m < len; m++, v += s) {
                    int c = comps.label(v);
                    if (c == 0) {
                        continue;
                    }
                    if (first[c] == 0) {
                        first[c] = v + 1; // +1: 0 means unset
                        touched[t++] = c;
                    }
                    last[c] = v;
                }
                for (int x = 0; x < t; x++) {
                    int c = touched[x];
                    extreme[first[c] - 1]++;
                    if (last[c] != first[c] - 1) {
                        extreme[last[c]]++;
                    }
                    first[c] = 0;
                }
            }
        }
        // Candidate points in RAS per component.
        int[] candidates = new int[count + 1];
        for (int v = 0; v < n; v++) {
            if (extreme[v] == 3) {
                candidates[comps.label(v)]++;
            }
        }
        double[][] pts = new double[count + 1][];
        for (int c = 1; c <= count; c++) {
            pts[c] = new double[3 * candidates[c]];
        }
        int[] filled = new int[count + 1];
        Affine a = geometry.ijkToRas();
        for (int v = 0; v < n; v++) {
            if (extreme[v] == 3) {
                int c = comps.label(v);
                double[] p = a.apply(v % nx, (v / nx) % ny, v / (nx * ny));
                System.arraycopy(p, 0, pts[c], 3 * filled[c]++, 3);
            }
        }
        double[] out = new double[count + 1];
        for (int c = 1; c <= count; c++) {
            double[] p = pts[c];
            double best = 0;
            for (int x = 0; x < p.length; x += 3) {
                for (int y = x + 3; y < p.length; y += 3) {
                    double dx = p[x] - p[y];
                    double dy = p[x + 1] - p[y + 1];
                    double dz = p[x + 2] - p[y + 2];
                    double d = dx * dx + dy * dy + dz * dz;
                    if (d > best) {
                        best = d;
                    }
                }
            }
            out[c] = Math.sqrt(best);
        }
        return out;
    }

}
