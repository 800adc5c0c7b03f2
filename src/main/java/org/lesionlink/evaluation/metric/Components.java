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

    /**
     * Labels the foreground of {@code mask} with the inference package's 26-connected labelling (same
     * numbering), adding each component's bounding box.
     */
    static Components label26(BinaryMask mask) {
        int nx = mask.nx();
        int ny = mask.ny();
        org.lesionlink.inference.post.Components c =
                org.lesionlink.inference.post.Components.of(mask.voxels(), new int[] {nx, ny, mask.nz()});
        int count = c.count();
        int[] labels = new int[mask.voxels().length];
        int[] sizes = new int[count + 1];
        int[] box = new int[6 * (count + 1)]; // x0 y0 z0 x1 y1 z1 per component
        for (int p = 0; p < labels.length; p++) {
            int l = c.label(p);
            if (l == 0) {
                continue;
            }
            labels[p] = l;
            int i = p % nx;
            int j = (p / nx) % ny;
            int k = p / (nx * ny);
            int b = 6 * l;
            if (sizes[l]++ == 0) {
                box[b] = box[b + 3] = i;
                box[b + 1] = box[b + 4] = j;
                box[b + 2] = box[b + 5] = k;
                continue;
            }
            box[b] = Math.min(box[b], i);
            box[b + 1] = Math.min(box[b + 1], j);
            box[b + 2] = Math.min(box[b + 2], k);
            box[b + 3] = Math.max(box[b + 3], i);
            box[b + 4] = Math.max(box[b + 4], j);
            box[b + 5] = Math.max(box[b + 5], k);
        }
        Box[] boxes = new Box[count + 1];
        for (int l = 1; l <= count; l++) {
            int b = 6 * l;
            boxes[l] = new Box(box[b], box[b + 1], box[b + 2], box[b + 3], box[b + 4], box[b + 5]);
        }
        return new Components(labels, count, sizes, boxes);
    }
}
