package org.lesionlink.inference.window;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of a sliding window go, exactly as nnU-Net v2 places them
 * ({@code compute_steps_for_sliding_window}): the image is first padded to at least the patch size, then
 * on each axis {@code n = ceil((size - patch) / (patch * step)) + 1} tiles are spread evenly, the actual
 * step being {@code (size - patch) / (n - 1)} and each start rounded half to even (numpy's
 * {@code np.round}). The first tile starts at 0 and the last ends at the image edge, so every tile lies
 * fully inside the (padded) image and all tiles have the same shape.
 *
 * <p>An axis with patch size 1 (the slice axis of a 2D model) gets exactly one tile per slice, as
 * nnU-Net's 2D path, which runs the in-plane sliding window once on every slice.
 */
public final class PatchGrid {

    private PatchGrid() {}

    /**
     * Tile starts along one axis.
     *
     * @param size image size along the axis, at least {@code patch} (pad first, see {@link #padding})
     * @param patch tile size along the axis
     * @param step fraction of the patch between tiles, in (0, 1]
     */
    public static int[] starts(int size, int patch, double step) {
        if (patch < 1 || size < patch) {
            throw new IllegalArgumentException("need 1 <= patch <= size, got patch " + patch + ", size " + size
                    + " (pad the image to the patch size first)");
        }
        if (!(step > 0 && step <= 1)) {
            throw new IllegalArgumentException("step must be in (0, 1], got " + step);
        }
        if (patch == 1) {
            int[] every = new int[size];
            for (int t = 0; t < size; t++) {
                every[t] = t;
            }
            return every;
        }
        int n = (int) Math.ceil((size - patch) / (patch * step)) + 1;
        if (n == 1) {
            return new int[] {0};
        }
        double actual = (double) (size - patch) / (n - 1);
        int[] out = new int[n];
        for (int t = 0; t < n; t++) {
            out[t] = (int) Math.rint(actual * t);
        }
        return out;
    }

    /**
     * Padding that brings every axis up to at least the patch size, split like nnU-Net's
     * {@code pad_nd_image}: {@code d / 2} voxels before and the rest after.
     *
     * @return {@code {before, after}}, 3 values each
     */
    public static int[][] padding(int[] dims, int[] patch) {
        int[] before = new int[3];
        int[] after = new int[3];
        for (int a = 0; a < 3; a++) {
            int d = Math.max(0, patch[a] - dims[a]);
            before[a] = d / 2;
            after[a] = d - d / 2;
        }
        return new int[][] {before, after};
    }

    /** Dims after {@link #padding}. */
    public static int[] paddedDims(int[] dims, int[] patch) {
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) {
            out[a] = Math.max(dims[a], patch[a]);
        }
        return out;
    }

    /** All tile starts {i, j, k} on a padded image, i varying fastest. */
    public static List<int[]> tiles(int[] paddedDims, int[] patch, double step) {
        int[] si = starts(paddedDims[0], patch[0], step);
        int[] sj = starts(paddedDims[1], patch[1], step);
        int[] sk = starts(paddedDims[2], patch[2], step);
        List<int[]> out = new ArrayList<>(si.length * sj.length * sk.length);
        for (int k : sk) {
            for (int j : sj) {
                for (int i : si) {
                    out.add(new int[] {i, j, k});
                }
            }
        }
        return out;
    }

    /** Number of tiles {@link #tiles} would return. */
    public static int count(int[] paddedDims, int[] patch, double step) {
        return starts(paddedDims[0], patch[0], step).length * starts(paddedDims[1], patch[1], step).length
                * starts(paddedDims[2], patch[2], step).length;
    }

}
