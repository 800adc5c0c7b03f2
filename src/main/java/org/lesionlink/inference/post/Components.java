package org.lesionlink.inference.post;

/**
 * Connected components of a binary mask on a voxel grid (index order {@code i + nx * (j + ny * k)}).
 *
 * <p>Components use 26-connectivity (voxels sharing a face, edge or corner), the connectivity of
 * BraTS lesion-wise metrics ({@code cc3d} with 26) and of scipy's {@code label} with a 3x3x3 structure.
 * Components are numbered 1.. in the order their first voxel appears in index order.
 */
public final class Components {

    /** Component id per voxel, 0 for background. */
    private final int[] labels;
    /** Voxel count per component id (index 0 unused). */
    private final int[] sizes;
    private final int[] dims;

    private Components(int[] labels, int[] sizes, int[] dims) {
        this.labels = labels;
        this.sizes = sizes;
        this.dims = dims;
    }

    /** Labels the voxels where {@code mask[v]} is true. */
    public static Components of(boolean[] mask, int[] dims) {
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        int n = nx * ny * nz;
        if (mask.length != n) {
            throw new IllegalArgumentException("mask of " + mask.length + " voxels for dims " + java.util.Arrays.toString(dims));
        }
        int[] labels = new int[n];
        int[] sizes = new int[16];
        int[] stack = new int[64];
        int next = 0;
        for (int seed = 0; seed < n; seed++) {
            if (!mask[seed] || labels[seed] != 0) {
                continue;
            }
            next++;
            if (next == sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
            }
            int size = 0;
            int top = 0;
            stack[top++] = seed;
            labels[seed] = next;
            while (top > 0) {
                int v = stack[--top];
                size++;
                int i = v % nx;
                int j = (v / nx) % ny;
                int k = v / (nx * ny);
                for (int dk = -1; dk <= 1; dk++) {
                    int kk = k + dk;
                    if (kk < 0 || kk >= nz) {
                        continue;
                    }
                    for (int dj = -1; dj <= 1; dj++) {
                        int jj = j + dj;
                        if (jj < 0 || jj >= ny) {
                            continue;
                        }
                        int row = nx * (jj + ny * kk);
                        for (int di = -1; di <= 1; di++) {
                            int ii = i + di;
                            if (ii < 0 || ii >= nx) {
                                continue;
                            }
                            int w = row + ii;
                            if (mask[w] && labels[w] == 0) {
                                labels[w] = next;
                                if (top == stack.length) {
                                    stack = java.util.Arrays.copyOf(stack, stack.length * 2);
                                }
                                stack[top++] = w;
                            }
                        }
                    }
                }
            }
            sizes[next] = size;
        }
        return new Components(labels, java.util.Arrays.copyOf(sizes, next + 1), dims.clone());
    }

    /** The non-zero voxels of a label map. */
    public static Components ofForeground(byte[] labelMap, int[] dims) {
        boolean[] mask = new boolean[labelMap.length];
        for (int v = 0; v < mask.length; v++) {
            mask[v] = labelMap[v] != 0;
        }
        return of(mask, dims);
    }

    public int count() {
        return sizes.length - 1;
    }

    /** Voxels of component {@code id} (1..count). */
    public int size(int id) {
        return sizes[id];
    }

    /** Component id of a voxel, 0 for background. */
    public int label(int voxel) {
        return labels[voxel];
    }

    public int[] dims() {
        return dims.clone();
    }

    /**
     * Sets to 0 the voxels of {@code labelMap} whose foreground component (26-connected, all labels
     * together) has fewer than {@code minVoxels} voxels; returns how many components were removed.
     */
    public static int removeSmall(byte[] labelMap, int[] dims, int minVoxels) {
        if (minVoxels <= 1) {
            return 0;
        }
        Components c = ofForeground(labelMap, dims);
        int removed = 0;
        for (int id = 1; id <= c.count(); id++) {
            if (c.size(id) < minVoxels) {
                removed++;
            }
        }
        if (removed > 0) {
            for (int v = 0; v < labelMap.length; v++) {
                int id = c.labels[v];
                if (id != 0 && c.sizes[id] < minVoxels) {
                    labelMap[v] = 0;
                }
            }
        }
        return removed;
    }
}
