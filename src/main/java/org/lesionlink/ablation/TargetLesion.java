package org.lesionlink.ablation;

import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * A lesion prepared once per plan for fast per-pose metrics: the RAS centres of all its voxels (for
 * volumetric coverage) and of its surface voxels (where margins are sampled). Immutable.
 */
public final class TargetLesion {

    private final Geometry grid;
    private final double[][] voxels;
    private final double[][] surface;
    private final double voxelVolumeMm3;

    private TargetLesion(Geometry grid, double[][] voxels, double[][] surface) {
        this.grid = grid;
        this.voxels = voxels;
        this.surface = surface;
        this.voxelVolumeMm3 = AblationZone.voxelVolume(grid);
    }

    /**
     * The lesion in a labelmap: voxels equal to {@code label}, or all non-zero voxels when {@code label} is
     * null. Fails when there are none.
     */
    public static TargetLesion of(Volume labels, Integer label) {
        boolean[] mask = Masks.select(labels, label);
        return ofMask(mask, labels.geometry(), label == null ? "non-zero" : "label " + label);
    }

    /** The lesion given as a mask on {@code grid} ({@code i + nx * (j + ny * k)} order). */
    public static TargetLesion ofMask(boolean[] mask, Geometry grid) {
        return ofMask(mask, grid, "mask");
    }

    private static TargetLesion ofMask(boolean[] mask, Geometry grid, String what) {
        if (mask.length != grid.voxelCount()) {
            throw new IllegalArgumentException("lesion mask has " + mask.length + " voxels, grid " + grid.voxelCount());
        }
        if (Masks.count(mask) == 0) {
            throw new IllegalArgumentException("the lesion labelmap has no voxels with " + what);
        }
        return new TargetLesion(grid, Masks.centres(mask, grid), Masks.centres(Masks.surface(mask, grid.dims()), grid));
    }

    public Geometry grid() {
        return grid;
    }

    public int voxelCount() {
        return voxels[0].length;
    }

    public int surfaceVoxelCount() {
        return surface[0].length;
    }

    public double volumeMl() {
        return voxelCount() * voxelVolumeMm3 / 1000.0;
    }

    /** Centroid of the lesion voxels (RAS). */
    public Point3 centroid() {
        double x = 0;
        double y = 0;
        double z = 0;
        for (int i = 0; i < voxelCount(); i++) {
            x += voxels[0][i];
            y += voxels[1][i];
            z += voxels[2][i];
        }
        int n = voxelCount();
        return new Point3(x / n, y / n, z / n);
    }

    /**
     * A grid for zone labelmaps around the lesion: the lesion's bounding box on its own grid, grown by at least
     * {@code marginMm} on every side (rounded up to whole voxels); it may reach past the lesion image, keeping
     * every voxel's RAS position.
     */
    public Geometry paddedRegion(double marginMm) {
        if (!(marginMm >= 0) || !Double.isFinite(marginMm)) {
            throw new IllegalArgumentException("region margin must be >= 0 mm, got " + marginMm);
        }
        org.lesionlink.image.Affine toIjk = grid.rasToIjk();
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        for (int i = 0; i < voxelCount(); i++) {
            double[] ijk = toIjk.apply(voxels[0][i], voxels[1][i], voxels[2][i]);
            for (int a = 0; a < 3; a++) {
                int v = (int) Math.round(ijk[a]);
                lo[a] = Math.min(lo[a], v);
                hi[a] = Math.max(hi[a], v);
            }
        }
        int[] start = new int[3];
        int[] size = new int[3];
        for (int a = 0; a < 3; a++) {
            int pad = (int) Math.ceil(marginMm / grid.spacing(a) - 1e-9);
            start[a] = lo[a] - pad;
            size[a] = hi[a] - lo[a] + 1 + 2 * pad;
        }
        return grid.region(start, size);
    }

    double[][] voxels() {
        return voxels;
    }

    double[][] surface() {
        return surface;
    }
}
