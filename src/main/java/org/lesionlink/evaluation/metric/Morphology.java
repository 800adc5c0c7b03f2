package org.lesionlink.evaluation.metric;

/**
 * Binary dilation with the 18-neighbourhood structuring element (the 3x3x3 cube without its eight
 * corners: offsets with |di| + |dj| + |dk| <= 2, {@code scipy.ndimage.generate_binary_structure(3, 2)}),
 * as BraTS uses to merge and match lesions. Nothing grows in from outside the grid.
 */
public final class Morphology {

    private Morphology() {
    }

    /** {@code iterations} successive dilations of {@code mask}. */
    public static BinaryMask dilate18(BinaryMask mask, int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        boolean[] cur = mask.toArray();
        for (int it = 0; it < iterations; it++) {
            cur = dilateOnce(cur, mask.nx(), mask.ny(), mask.nz());
        }
        return new BinaryMask(mask.nx(), mask.ny(), mask.nz(), mask.spacing(), cur);
    }

    private static boolean[] dilateOnce(boolean[] m, int nx, int ny, int nz) {
        boolean[] out = new boolean[m.length];
        int idx = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++, idx++) {
                    if (!m[idx]) {
                        continue;
                    }
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
                            boolean cornerPlane = dk != 0 && dj != 0;
                            for (int di = -1; di <= 1; di++) {
                                int ii = i + di;
                                if (ii < 0 || ii >= nx || (cornerPlane && di != 0)) {
                                    continue;
                                }
                                out[row + ii] = true;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
