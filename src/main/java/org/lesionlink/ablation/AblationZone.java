package org.lesionlink.ablation;

import java.util.List;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * The union of one or more ellipsoidal ablation zones (overlapping ablations). Immutable.
 *
 * <p><b>Signed distance of a union.</b> {@link #signedDistance} returns {@code max_i d_i}, where {@code d_i}
 * is the exact signed distance to ellipsoid {@code i} (positive inside). Outside the union this is exact
 * (minus the distance to the nearest ellipsoid). Inside it is exact for a single ellipsoid and otherwise a
 * lower bound of the true depth: where two zones overlap, the point may be deeper in the union than in
 * any one zone. Margins computed with it can therefore be understated, never overstated.
 */
public record AblationZone(List<Ellipsoid> ellipsoids) {

    public AblationZone {
        if (ellipsoids == null || ellipsoids.isEmpty()) {
            throw new IllegalArgumentException("an ablation zone needs at least one ellipsoid");
        }
        ellipsoids = List.copyOf(ellipsoids);
    }

    public static AblationZone of(Ellipsoid... ellipsoids) {
        return new AblationZone(List.of(ellipsoids));
    }

    public boolean contains(double x, double y, double z) {
        for (Ellipsoid e : ellipsoids) {
            if (e.contains(x, y, z)) {
                return true;
            }
        }
        return false;
    }

    /** Signed distance in mm, positive inside the union (see the class comment for unions). */
    public double signedDistance(double x, double y, double z) {
        double best = Double.NEGATIVE_INFINITY;
        for (Ellipsoid e : ellipsoids) {
            best = Math.max(best, e.signedDistance(x, y, z));
        }
        return best;
    }

    /**
     * Distance in mm from a point outside the union to the union, or a value {@code <= 0} when the point is
     * inside; skips ellipsoids that cannot be closer than {@code cutoff} (returns at least that value then).
     * Used for the zone-to-structure minimum, where most points are far away.
     */
    double outsideDistance(double x, double y, double z, double cutoff) {
        double best = cutoff;
        for (Ellipsoid e : ellipsoids) {
            Point3 c = e.centre();
            double dx = x - c.x();
            double dy = y - c.y();
            double dz = z - c.z();
            double lower = Math.sqrt(dx * dx + dy * dy + dz * dz) - e.maxSemiAxis();
            if (lower >= best) {
                continue;
            }
            best = Math.min(best, -e.signedDistance(x, y, z));
        }
        return best;
    }

    /** Sum of the ellipsoids' analytic volumes (mm^3); overlaps counted twice. */
    public double sumOfVolumesMm3() {
        double v = 0;
        for (Ellipsoid e : ellipsoids) {
            v += e.volumeMm3();
        }
        return v;
    }

    /**
     * The zone as a uint8 labelmap on {@code grid}: {@code label} where the voxel centre lies inside any
     * ellipsoid, 0 elsewhere. Only the voxels in each ellipsoid's bounding box are tested.
     */
    public Volume rasterize(Geometry grid, int label) {
        if (label < 1 || label > 255) {
            throw new IllegalArgumentException("label must be 1..255, got " + label);
        }
        byte[] out = new byte[(int) grid.voxelCount()];
        int nx = grid.dim(0);
        int ny = grid.dim(1);
        Affine m = grid.ijkToRas();
        for (Ellipsoid e : ellipsoids) {
            int[][] box = indexBox(grid, e);
            if (box == null) {
                continue;
            }
            for (int k = box[0][2]; k <= box[1][2]; k++) {
                for (int j = box[0][1]; j <= box[1][1]; j++) {
                    for (int i = box[0][0]; i <= box[1][0]; i++) {
                        double x = m.get(0, 0) * i + m.get(0, 1) * j + m.get(0, 2) * k + m.get(0, 3);
                        double y = m.get(1, 0) * i + m.get(1, 1) * j + m.get(1, 2) * k + m.get(1, 3);
                        double z = m.get(2, 0) * i + m.get(2, 1) * j + m.get(2, 2) * k + m.get(2, 3);
                        if (e.contains(x, y, z)) {
                            out[i + nx * (j + ny * k)] = (byte) label;
                        }
                    }
                }
            }
        }
        return Volume.ofBytes(grid, out);
    }

    /**
     * The inclusive index box {first, last} of {@code grid} voxels that can lie inside {@code e} (its RAS
     * bounding box mapped to index space, rounded outwards and clipped), or null if none can.
     */
    static int[][] indexBox(Geometry grid, Ellipsoid e) {
        double[] h = e.halfExtentsRas();
        Affine inv = grid.rasToIjk();
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        Point3 c = e.centre();
        for (int corner = 0; corner < 8; corner++) {
            double[] ijk = inv.apply(c.x() + ((corner & 1) == 0 ? -h[0] : h[0]),
                    c.y() + ((corner & 2) == 0 ? -h[1] : h[1]), c.z() + ((corner & 4) == 0 ? -h[2] : h[2]));
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], ijk[a]);
                hi[a] = Math.max(hi[a], ijk[a]);
            }
        }
        int[][] box = new int[2][3];
        for (int a = 0; a < 3; a++) {
            box[0][a] = (int) Math.max(0, Math.floor(lo[a]));
            box[1][a] = (int) Math.min(grid.dim(a) - 1, Math.ceil(hi[a]));
            if (box[0][a] > box[1][a]) {
                return null;
            }
        }
        return box;
    }

    /** Volume of one voxel of {@code grid} in mm^3. */
    static double voxelVolume(Geometry grid) {
        return Math.abs(grid.ijkToRas().determinant3());
    }
}
