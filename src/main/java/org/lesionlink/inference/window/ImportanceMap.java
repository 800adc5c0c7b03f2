package org.lesionlink.inference.window;

/**
 * Per-voxel weights of a tile when overlapping tiles are blended.
 *
 * <p>{@link #gaussian} reproduces nnU-Net v2's {@code compute_gaussian}: a unit impulse at voxel
 * {@code patch / 2} (integer division) filtered by scipy's {@code gaussian_filter} with
 * {@code sigma = patch * sigmaScale} per axis, {@code mode='constant'}, truncated at 4 sigma, then scaled so
 * the maximum is 10 ({@code value_scaling_factor}), with zeros replaced by the smallest non-zero value so
 * no voxel ends up with zero total weight. The filter is separable and the impulse is a single voxel, so the
 * result is the product of the three normalised 1-D kernels evaluated at the offset from the centre; that
 * is what is computed here, in double precision, directly.
 *
 * <p><b>Precision.</b> nnU-Net stores the map (and its accumulators) in float16; LesionLink keeps float32.
 * With float16, weights far from the centre can round to 0 and be replaced by the minimum; with float32 they
 * stay positive (about 4e-10 at a 3D corner), so blending near tile borders is slightly more exact here.
 */
public final class ImportanceMap {

    /** nnU-Net's sigma scale: sigma = patch / 8. */
    public static final double SIGMA_SCALE = 1.0 / 8;

    /** nnU-Net's {@code value_scaling_factor}: the map's maximum. Blending divides it out again. */
    public static final double PEAK = 10;

    private ImportanceMap() {}

    /** The Gaussian map for a tile, index order {@code i + ti * (j + tj * k)}. */
    public static float[] gaussian(int[] patch, double sigmaScale) {
        double[][] axis = new double[3][];
        for (int a = 0; a < 3; a++) {
            axis[a] = kernel(patch[a], patch[a] * sigmaScale);
        }
        int n = patch[0] * patch[1] * patch[2];
        float[] out = new float[n];
        float minPositive = Float.MAX_VALUE;
        for (int k = 0, v = 0; k < patch[2]; k++) {
            for (int j = 0; j < patch[1]; j++) {
                double jk = axis[1][j] * axis[2][k];
                for (int i = 0; i < patch[0]; i++, v++) {
                    out[v] = (float) (PEAK * axis[0][i] * jk);
                    if (out[v] > 0 && out[v] < minPositive) {
                        minPositive = out[v];
                    }
                }
            }
        }
        for (int v = 0; v < n; v++) {
            if (out[v] == 0) {
                out[v] = minPositive;
            }
        }
        return out;
    }

    /** nnU-Net's map: sigma scale 1/8. */
    public static float[] gaussian(int[] patch) {
        return gaussian(patch, SIGMA_SCALE);
    }

    /** All ones: plain averaging of overlapping tiles. */
    public static float[] constant(int[] patch) {
        float[] out = new float[patch[0] * patch[1] * patch[2]];
        java.util.Arrays.fill(out, 1f);
        return out;
    }

    /**
     * scipy's 1-D Gaussian kernel (radius {@code int(4 sigma + 0.5)}, normalised to sum 1) evaluated at
     * {@code x - size / 2} for x in [0, size), divided by its centre value so the peak is 1.
     */
    static double[] kernel(int size, double sigma) {
        int radius = (int) (4 * sigma + 0.5);
        int centre = size / 2;
        double[] out = new double[size];
        for (int x = 0; x < size; x++) {
            int d = x - centre;
            out[x] = Math.abs(d) <= radius ? Math.exp(-0.5 * d * d / (sigma * sigma)) : 0;
        }
        return out;
    }
}
