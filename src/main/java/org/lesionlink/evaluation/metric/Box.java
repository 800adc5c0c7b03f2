package org.lesionlink.evaluation.metric;

/**
 * A box of voxel indices, first corner inclusive and last corner inclusive, used to restrict work to
 * the part of a grid where the masks are. Package-private helper.
 */
record Box(int x0, int y0, int z0, int x1, int y1, int z1) {

    int sizeX() {
        return x1 - x0 + 1;
    }

    int sizeY() {
        return y1 - y0 + 1;
    }

    int sizeZ() {
        return z1 - z0 + 1;
    }

    /** The smallest box holding both (either may be null, meaning empty). */
    static Box union(Box a, Box b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new Box(Math.min(a.x0, b.x0), Math.min(a.y0, b.y0), Math.min(a.z0, b.z0),
                Math.max(a.x1, b.x1), Math.max(a.y1, b.y1), Math.max(a.z1, b.z1));
    }

    /** Grown by {@code m} voxels on every side, clipped to a grid of nx x ny x nz. */
    Box grow(int m, int nx, int ny, int nz) {
        return new Box(Math.max(0, x0 - m), Math.max(0, y0 - m), Math.max(0, z0 - m),
                Math.min(nx - 1, x1 + m), Math.min(ny - 1, y1 + m), Math.min(nz - 1, z1 + m));
    }

    static Box ofForeground(BinaryMask m) {
        boolean[] v = m.voxels();
        int nx = m.nx();
        int ny = m.ny();
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int z0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        int z1 = -1;
        int row = 0;
        for (int k = 0; k < m.nz(); k++) {
            for (int j = 0; j < ny; j++, row += nx) {
                // first and last foreground voxel of the row, if any (one tight scan from each end)
                int first = -1;
                for (int i = 0; i < nx; i++) {
                    if (v[row + i]) {
                        first = i;
                        break;
                    }
                }
                if (first < 0) {
                    continue;
                }
                int last = nx - 1;
                while (!v[row + last]) {
                    last--;
                }
                x0 = Math.min(x0, first);
                x1 = Math.max(x1, last);
                y0 = Math.min(y0, j);
                y1 = Math.max(y1, j);
                z0 = Math.min(z0, k);
                z1 = Math.max(z1, k);
            }
        }
        return x1 < 0 ? null : new Box(x0, y0, z0, x1, y1, z1);
    }
}
