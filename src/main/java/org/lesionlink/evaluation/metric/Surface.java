package org.lesionlink.evaluation.metric;

/**
 * The surface of a mask: its foreground voxels that have at least one background voxel among their six
 * face neighbours. Voxels outside the grid count as background, so foreground on the border of the
 * image is surface. (Equal to {@code mask & ~binary_erosion(mask, 6-connected, border_value=0)}.)
 */
public final class Surface {

    private Surface() {
    }

    public static boolean[] of(BinaryMask mask) {
        return of(mask.voxels(), mask.nx(), mask.ny(), mask.nz());
    }

    static boolean[] of(boolean[] m, int nx, int ny, int nz) {
        boolean[] s = new boolean[m.length];
        int slice = nx * ny;
        int idx = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++, idx++) {
                    if (!m[idx]) {
                        continue;
                    }
                    s[idx] = i == 0 || i == nx - 1 || j == 0 || j == ny - 1 || k == 0 || k == nz - 1
                            || !m[idx - 1] || !m[idx + 1] || !m[idx - nx] || !m[idx + nx]
                            || !m[idx - slice] || !m[idx + slice];
                }
            }
        }
        return s;
    }
}
