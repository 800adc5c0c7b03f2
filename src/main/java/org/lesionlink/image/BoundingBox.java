package org.lesionlink.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A box of voxels in the index space of some grid: {@code size[a]} voxels from {@code start[a]} on each
 * axis (i, j, k), so the last voxel is {@code start + size - 1}. Start may be negative and the box may
 * reach past the grid (see {@link Crop#pad}); {@link #isWithin} tells whether it does not. Immutable:
 * the arrays are copied in and out.
 */
public record BoundingBox(int[] start, int[] size) {

    public BoundingBox {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(size, "size");
        if (start.length != 3) {
            throw new IllegalArgumentException("bounding box start needs 3 values (i, j, k), got " + start.length);
        }
        if (size.length != 3) {
            throw new IllegalArgumentException("bounding box size needs 3 values (i, j, k), got " + size.length);
        }
        for (int a = 0; a < 3; a++) {
            if (size[a] < 1) {
                throw new IllegalArgumentException("bounding box size must be >= 1 on every axis, got " + Arrays.toString(size));
            }
            if ((long) start[a] + size[a] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bounding box start + size overflows int on axis " + a
                        + ": start " + Arrays.toString(start) + ", size " + Arrays.toString(size));
            }
        }
        start = start.clone();
        size = size.clone();
    }

    public static BoundingBox of(int i, int j, int k, int sizeI, int sizeJ, int sizeK) {
        return new BoundingBox(new int[] {i, j, k}, new int[] {sizeI, sizeJ, sizeK});
    }

    /** From the first and last voxel, both inclusive. */
    public static BoundingBox fromCorners(int[] first, int[] last) {
        if (first.length != 3 || last.length != 3) {
            throw new IllegalArgumentException("corners need 3 values each, got " + first.length + " and " + last.length);
        }
        int[] size = new int[3];
        for (int a = 0; a < 3; a++) {
            if (last[a] < first[a]) {
                throw new IllegalArgumentException("last corner " + Arrays.toString(last) + " is before first corner "
                        + Arrays.toString(first) + " on axis " + a);
            }
            size[a] = Math.toIntExact((long) last[a] - first[a] + 1);
        }
        return new BoundingBox(first, size);
    }

    /** The whole grid. */
    public static BoundingBox of(Geometry grid) {
        return new BoundingBox(new int[3], grid.dims());
    }

    @Override
    public int[] start() {
        return start.clone();
    }

    @Override
    public int[] size() {
        return size.clone();
    }

    public int start(int axis) {
        return start[axis];
    }

    public int size(int axis) {
        return size[axis];
    }

    /** One past the last voxel on {@code axis}. */
    public int end(int axis) {
        return start[axis] + size[axis];
    }

    public long voxelCount() {
        return (long) size[0] * size[1] * size[2];
    }

    /** Whether every voxel of the box lies inside a grid of {@code dims}. */
    public boolean isWithin(int[] dims) {
        for (int a = 0; a < 3; a++) {
            if (start[a] < 0 || end(a) > dims[a]) {
                return false;
            }
        }
        return true;
    }

    /** The box grown by {@code margin} voxels on every side (negative shrinks; the size must stay >= 1). */
    public BoundingBox grow(int margin) {
        return grow(new int[] {margin, margin, margin}, new int[] {margin, margin, margin});
    }

    /** The box grown by {@code before[a]} voxels below and {@code after[a]} above on each axis. */
    public BoundingBox grow(int[] before, int[] after) {
        if (before.length != 3 || after.length != 3) {
            throw new IllegalArgumentException("margins need 3 values each, got " + before.length + " and " + after.length);
        }
        int[] s = new int[3];
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            s[a] = Math.subtractExact(start[a], before[a]);
            n[a] = Math.addExact(Math.addExact(size[a], before[a]), after[a]);
        }
        return new BoundingBox(s, n);
    }

    /** The part of the box inside a grid of {@code dims}; fails when they do not overlap. */
    public BoundingBox clipTo(int[] dims) {
        int[] s = new int[3];
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            s[a] = Math.max(start[a], 0);
            n[a] = Math.min(end(a), dims[a]) - s[a];
            if (n[a] < 1) {
                throw new IllegalArgumentException(this + " does not overlap a grid of " + Arrays.toString(dims));
            }
        }
        return new BoundingBox(s, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundingBox b && Arrays.equals(start, b.start) && Arrays.equals(size, b.size);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(size);
    }

    @Override
    public String toString() {
        return "BoundingBox[start " + Arrays.toString(start) + ", size " + Arrays.toString(size) + "]";
    }
}
