package org.lesionlink.evaluation.metric;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.lesionlink.image.Volume;

/**
 * A binary mask on a voxel grid with (possibly anisotropic) spacing in mm: the input of every metric.
 * Voxels are in the index order {@code i + nx * (j + ny * k)} of {@link Volume}. Immutable by contract:
 * the constructor takes ownership of the array and accessors never hand it out.
 */
public final class BinaryMask {

    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;
    private final boolean[] voxels;
    /** Foreground box (empty for an empty mask), computed on first use; null until then. */
    private volatile java.util.Optional<Box> box;

    /** Takes ownership of {@code voxels} (length nx*ny*nz). */
    public BinaryMask(int nx, int ny, int nz, double[] spacing, boolean[] voxels) {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("mask dims must be >= 1, got " + nx + "x" + ny + "x" + nz);
        }
        if (spacing.length != 3) {
            throw new IllegalArgumentException("spacing needs 3 values, got " + spacing.length);
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("spacing must be positive and finite, got " + Arrays.toString(spacing));
            }
        }
        if ((long) nx * ny * nz != voxels.length) {
            throw new IllegalArgumentException("mask of " + nx + "x" + ny + "x" + nz + " needs " + (long) nx * ny * nz
                    + " voxels, got " + voxels.length);
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.spacing = spacing.clone();
        this.voxels = Objects.requireNonNull(voxels, "voxels");
    }

    /** Voxels of a label map (channel 0, stored values) whose label is in {@code labels}. */
    public static BinaryMask ofLabels(Volume labelMap, Set<Integer> labels) {
        int n = labelMap.voxelsPerChannel();
        boolean[] in = new boolean[n];
        boolean[] lut = new boolean[256];
        boolean byteLabels = labelMap.type() == org.lesionlink.image.DataType.UINT8 && labelMap.rescale().isIdentity();
        if (byteLabels) {
            for (int l : labels) {
                if (l >= 0 && l < 256) {
                    lut[l] = true;
                }
            }
            java.nio.ByteBuffer b = labelMap.data(0);
            for (int i = 0; i < n; i++) {
                in[i] = lut[b.get(i) & 0xFF];
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = labelMap.value(0, i);
                in[i] = v == Math.rint(v) && Math.abs(v) < Integer.MAX_VALUE && labels.contains((int) v);
            }
        }
        var g = labelMap.geometry();
        return new BinaryMask(g.dim(0), g.dim(1), g.dim(2), g.spacing(), in);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int size() {
        return voxels.length;
    }

    public double spacing(int axis) {
        return spacing[axis];
    }

    public double[] spacing() {
        return spacing.clone();
    }

    /** Volume of one voxel in mm^3. */
    public double voxelVolumeMm3() {
        return spacing[0] * spacing[1] * spacing[2];
    }

    public boolean get(int index) {
        return voxels[index];
    }

    public boolean get(int i, int j, int k) {
        return voxels[i + nx * (j + ny * k)];
    }

    public int index(int i, int j, int k) {
        return i + nx * (j + ny * k);
    }

    public long count() {
        long c = 0;
        for (boolean v : voxels) {
            if (v) {
                c++;
            }
        }
        return c;
    }

    public boolean isEmpty() {
        for (boolean v : voxels) {
            if (v) {
                return false;
            }
        }
        return true;
    }

    /** Whether the other mask lies on a grid of the same dims and spacing. */
    public boolean sameGrid(BinaryMask o) {
        return nx == o.nx && ny == o.ny && nz == o.nz && Arrays.equals(spacing, o.spacing);
    }

    void requireSameGrid(BinaryMask o) {
        if (!sameGrid(o)) {
            throw new IllegalArgumentException("masks lie on different grids: " + describe() + " vs " + o.describe());
        }
    }

    String describe() {
        return nx + "x" + ny + "x" + nz + " spacing " + Arrays.toString(spacing);
    }

    /** A copy of the voxels (for tests and callers that need to modify them). */
    public boolean[] toArray() {
        return voxels.clone();
    }

    /** Direct access for the metric package's hot loops; never modified there. */
    boolean[] voxels() {
        return voxels;
    }

    /** The box of foreground voxels, or null when the mask is empty. */
    Box boundingBox() {
        java.util.Optional<Box> b = box;
        if (b == null) {
            b = java.util.Optional.ofNullable(Box.ofForeground(this));
            box = b;
        }
        return b.orElse(null);
    }

    /** The voxels inside {@code box} as a new mask with the same spacing. */
    BinaryMask crop(Box box) {
        int cx = box.sizeX();
        int cy = box.sizeY();
        int cz = box.sizeZ();
        boolean[] out = new boolean[cx * cy * cz];
        for (int k = 0; k < cz; k++) {
            for (int j = 0; j < cy; j++) {
                int src = index(box.x0(), box.y0() + j, box.z0() + k);
                System.arraycopy(voxels, src, out, cx * (j + cy * k), cx);
            }
        }
        return new BinaryMask(cx, cy, cz, spacing, out);
    }
}
