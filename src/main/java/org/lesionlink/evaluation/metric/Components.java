package org.lesionlink.evaluation.metric;

/**
 * Connected components of a mask under 26-connectivity (voxels touching by a face, edge or corner are
 * connected), labelled 1..count in the raster order of each component's first voxel (the order of
 * {@code scipy.ndimage.label} and {@code cc3d}); background is 0.
 *
 * @param labels one label per voxel of the grid
 * @param count number of components
 * @param sizes voxel count of component c at index c (index 0 unused)
 * @param boxes bounding box of component c at index c (index 0 null)
 */
record Components(int[] labels, int count, int[] sizes, Box[] boxes) {

    /** Labels the foreground of {@code mask}. */
    static Components label26(BinaryMask mask) {
        boolean[] m = mask.voxels();
        int nx = mask.nx();
        int ny = mask.ny();
        int nz = mask.nz();
        int slice = nx * ny;
        int[] labels = new int[m.length];
        int[] queue = new int[64];
        IntList sizes = new IntList();
        java.util.ArrayList<Box> boxes = new java.util.ArrayList<>();
        sizes.add(0);
        boxes.add(null);
        int count = 0;
        for (int seed = 0; seed < m.length; seed++) {
            if (!m[seed] || labels[seed] != 0) {
                continue;
            }
            int label = ++count;
            labels[seed] = label;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            int size = 0;
            int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, z0 = Integer.MAX_VALUE, x1 = -1, y1 = -1, z1 = -1;
            while (head < tail) {
                int p = queue[head++];
                size++;
                int i = p % nx;
                int j = (p / nx) % ny;
                int k = p / slice;
                if (i < x0) x0 = i;
                if (i > x1) x1 = i;
                if (j < y0) y0 = j;
                if (j > y1) y1 = j;
                if (k < z0) z0 = k;
                if (k > z1) z1 = k;
                int klo = Math.max(0, k - 1), khi = Math.min(nz - 1, k + 1);
                int jlo = Math.max(0, j - 1), jhi = Math.min(ny - 1, j + 1);
                int ilo = Math.max(0, i - 1), ihi = Math.min(nx - 1, i + 1);
                for (int kk = klo; kk <= khi; kk++) {
                    for (int jj = jlo; jj <= jhi; jj++) {
                        int row = nx * (jj + ny * kk);
                        for (int ii = ilo; ii <= ihi; ii++) {
                            int q = row + ii;
                            if (m[q] && labels[q] == 0) {
                                labels[q] = label;
                                if (tail == queue.length) {
                                    // compact the consumed head before growing
                                    if (head > queue.length / 2) {
                                        System.arraycopy(queue, head, queue, 0, tail - head);
                                        tail -= head;
                                        head = 0;
                                    } else {
                                        queue = java.util.Arrays.copyOf(queue, queue.length * 2);
                                    }
                                }
                                queue[tail++] = q;
                            }
                        }
                    }
                }
            }
            sizes.add(size);
            boxes.add(new Box(x0, y0, z0, x1, y1, z1));
        }
        return new Components(labels, count, sizes.toArray(), boxes.toArray(new Box[0]));
    }

    /** Growable int array (no boxing). */
    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
