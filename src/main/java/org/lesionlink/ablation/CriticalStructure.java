package org.lesionlink.ablation;

import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * A structure to keep the zone away from (spinal canal or cord, a nerve root, an eloquent brain structure),
 * prepared once per plan: the RAS centres of all its voxels (for overlap) and of its surface voxels (for
 * distances), plus its mask for locating the tip. Immutable. May lie on a different grid from the lesion.
 */
public final class CriticalStructure {

    private final String name;
    private final Geometry grid;
    private final boolean[] mask;
    private final double[][] voxels;
    private final double[][] surface;
    private final double voxelVolumeMm3;

    private CriticalStructure(String name, Geometry grid, boolean[] mask) {
        this.name = name;
        this.grid = grid;
        this.mask = mask;
        this.voxels = Masks.centres(mask, grid);
        this.surface = Masks.centres(Masks.surface(mask, grid.dims()), grid);
        this.voxelVolumeMm3 = AblationZone.voxelVolume(grid);
    }

    /** Voxels equal to {@code label} (all non-zero voxels when null); fails when there are none. */
    public static CriticalStructure of(String name, Volume labels, Integer label) {
        boolean[] mask = Masks.select(labels, label);
        if (Masks.count(mask) == 0) {
            throw new IllegalArgumentException("the critical-structure labelmap has no voxels with "
                    + (label == null ? "a non-zero value" : "label " + label));
        }
        return new CriticalStructure(name, labels.geometry(), mask);
    }

    public static CriticalStructure ofMask(String name, boolean[] mask, Geometry grid) {
        if (mask.length != grid.voxelCount() || Masks.count(mask) == 0) {
            throw new IllegalArgumentException("critical-structure mask must match the grid and be non-empty");
        }
        return new CriticalStructure(name, grid, mask.clone());
    }

    public String name() {
        return name;
    }

    public int voxelCount() {
        return voxels[0].length;
    }

    double voxelVolumeMm3() {
        return voxelVolumeMm3;
    }

    double[][] voxels() {
        return voxels;
    }

    double[][] surface() {
        return surface;
    }

    /** Whether the voxel containing {@code p} (nearest voxel centre) belongs to the structure. */
    boolean containsVoxelOf(Point3 p) {
        double[] ijk = grid.rasToIjk().apply(p.x(), p.y(), p.z());
        int i = (int) Math.round(ijk[0]);
        int j = (int) Math.round(ijk[1]);
        int k = (int) Math.round(ijk[2]);
        if (i < 0 || j < 0 || k < 0 || i >= grid.dim(0) || j >= grid.dim(1) || k >= grid.dim(2)) {
            return false;
        }
        return mask[i + grid.dim(0) * (j + grid.dim(1) * k)];
    }
}
