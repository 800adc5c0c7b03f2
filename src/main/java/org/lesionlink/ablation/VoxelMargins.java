package org.lesionlink.ablation;

import org.lesionlink.image.DistanceTransform;
import org.lesionlink.image.Geometry;

/**
 * The voxel-based margin computation, for zones that are masks (e.g. an ablation zone segmented on
 * post-procedure imaging) and as the straightforward reference for the analytic per-pose path: an exact
 * Euclidean distance transform of the zone mask ({@link DistanceTransform}), signed positive inside (distance
 * from a zone voxel centre to the nearest non-zone voxel centre) and negative outside (minus the distance to
 * the nearest zone voxel centre), sampled at the lesion's surface voxel centres.
 *
 * <p>Both signs are measured between voxel centres, so compared with the continuous zone boundary the
 * values are biased by up to about half a voxel on each side of it; the analytic path has no such bias.
 * All masks must be on one grid with an orthogonal direction matrix.
 */
public final class VoxelMargins {

    private VoxelMargins() {
    }

    /** The signed distance map (mm) of a zone mask; positive inside. */
    public static float[] signedDistance(boolean[] zone, Geometry grid) {
        check(grid, zone);
        int[] dims = grid.dims();
        double[] sp = grid.spacing();
        float[] inside = DistanceTransform.distanceToOutside(zone, dims, sp);
        float[] outside = DistanceTransform.distanceToFeatures(zone, dims, sp);
        float[] d = new float[zone.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = zone[i] ? inside[i] : -outside[i];
        }
        return d;
    }

    /** Coverage and margins of a lesion mask by a zone mask on the same grid. */
    public static MarginSummary margins(boolean[] lesion, boolean[] zone, Geometry grid) {
        check(grid, lesion);
        float[] sd = signedDistance(zone, grid);
        boolean[] surf = Masks.surface(lesion, grid.dims());
        int n = Masks.count(surf);
        if (n == 0) {
            throw new IllegalArgumentException("the lesion mask is empty");
        }
        double[] margins = new double[n];
        int q = 0;
        int lesionVoxels = 0;
        int covered = 0;
        for (int i = 0; i < lesion.length; i++) {
            if (lesion[i]) {
                lesionVoxels++;
                if (zone[i]) {
                    covered++;
                }
            }
            if (surf[i]) {
                margins[q++] = sd[i];
            }
        }
        return MarginSummary.of(lesionVoxels, covered, margins, Masks.centres(surf, grid));
    }

    /**
     * Smallest distance (mm) between a structure voxel centre and a zone voxel centre; 0 when they share
     * voxels; infinity when the zone is empty.
     */
    public static double structureDistance(boolean[] structure, boolean[] zone, Geometry grid) {
        check(grid, structure);
        check(grid, zone);
        float[] d = DistanceTransform.distanceToFeatures(zone, grid.dims(), grid.spacing());
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < structure.length; i++) {
            if (structure[i] && d[i] < best) {
                best = d[i];
            }
        }
        return best >= Float.MAX_VALUE ? Double.POSITIVE_INFINITY : best;
    }

    private static void check(Geometry grid, boolean[] mask) {
        if (mask.length != grid.voxelCount()) {
            throw new IllegalArgumentException("mask has " + mask.length + " voxels, the grid " + grid.voxelCount());
        }
        if (!grid.isOrthogonal(1e-6)) {
            throw new IllegalArgumentException("the voxel distance transform needs an orthogonal grid");
        }
    }
}
