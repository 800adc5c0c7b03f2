package org.lesionlink.image;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Reads one channel of a volume at continuous voxel indices, in <em>stored</em> units (no rescale: every
 * kernel here has weights summing to one, so rescaling before or after interpolation is the same, and
 * staying in stored units lets a resample that keeps the input type copy values exactly).
 *
 * <p>Package-private: {@link Resampler} is the public entry point; tests use this class to evaluate at
 * arbitrary points. Instances are immutable and safe to share between threads.
 */
abstract class ChannelSampler {

    /**
     * Slack on the {@code [-0.5, n - 0.5]} domain, in voxels, so that target voxel centres lying exactly on
     * the source's outer edge (common when grids share a field of view) do not flip in and out on
     * rounding noise.
     */
    static final double EDGE_TOLERANCE = 1e-6;

    final int nx;
    final int ny;
    final int nz;
    private final double maxX;
    private final double maxY;
    private final double maxZ;

    private ChannelSampler(int[] dims) {
        this.nx = dims[0];
        this.ny = dims[1];
        this.nz = dims[2];
        this.maxX = nx - 0.5 + EDGE_TOLERANCE;
        this.maxY = ny - 0.5 + EDGE_TOLERANCE;
        this.maxZ = nz - 0.5 + EDGE_TOLERANCE;
    }

    static ChannelSampler of(Volume volume, int channel, Interpolation interpolation) {
        return switch (interpolation) {
            case NEAREST -> new Nearest(volume, channel);
            case LINEAR -> new Linear(volume, channel);
            case BSPLINE -> new BSpline(volume.geometry().dims(), bsplineCoefficients(volume, channel));
        };
    }

    /** Whether the point lies in the box covered by the source voxels (NaN is outside). */
    final boolean inside(double x, double y, double z) {
        final double min = -0.5 - EDGE_TOLERANCE;
        return x >= min && x <= maxX && y >= min && y <= maxY && z >= min && z <= maxZ;
    }

    /** Interpolated stored value at a point for which {@link #inside} is true. */
    abstract double at(double x, double y, double z);

    /** {@link #at} inside the domain, {@code fill} outside. */
    final double sample(double x, double y, double z, double fill) {
        return inside(x, y, z) ? at(x, y, z) : fill;
    }

    /** Absolute-index reader of one channel's stored values; the buffers are private views, so threads may share it. */
    static IntToDoubleFunction reader(Volume volume, int channel) {
        ByteBuffer b = volume.data(channel);
        return switch (volume.type()) {
            case UINT8 -> i -> b.get(i) & 0xFF;
            case INT16 -> {
                ShortBuffer s = b.asShortBuffer();
                yield s::get;
            }
            case UINT16 -> {
                ShortBuffer s = b.asShortBuffer();
                yield i -> s.get(i) & 0xFFFF;
            }
            case INT32 -> {
                IntBuffer s = b.asIntBuffer();
                yield s::get;
            }
            case FLOAT32 -> {
                FloatBuffer s = b.asFloatBuffer();
                yield s::get;
            }
            case FLOAT64 -> {
                DoubleBuffer s = b.asDoubleBuffer();
                yield s::get;
            }
        };
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    private static final class Nearest extends ChannelSampler {
        private final IntToDoubleFunction data;

        Nearest(Volume volume, int channel) {
            super(volume.geometry().dims());
            this.data = reader(volume, channel);
        }

        @Override
        double at(double x, double y, double z) {
            // floor(x + 0.5): ties round up, as ITK's nearest-neighbour interpolator does.
            int i = clamp((int) Math.floor(x + 0.5), nx - 1);
            int j = clamp((int) Math.floor(y + 0.5), ny - 1);
            int k = clamp((int) Math.floor(z + 0.5), nz - 1);
            return data.applyAsDouble(i + nx * (j + ny * k));
        }
    }

    private static final class Linear extends ChannelSampler {
        private final IntToDoubleFunction data;

        Linear(Volume volume, int channel) {
            super(volume.geometry().dims());
            this.data = reader(volume, channel);
        }

        @Override
        double at(double x, double y, double z) {
            // Clamp-to-edge: in the half-voxel band outside the outermost centres the edge value holds.
            double cx = Math.min(Math.max(x, 0), nx - 1);
            double cy = Math.min(Math.max(y, 0), ny - 1);
            double cz = Math.min(Math.max(z, 0), nz - 1);
            int i = (int) cx;
            int j = (int) cy;
            int k = (int) cz;
            double tx = cx - i;
            double ty = cy - j;
            double tz = cz - k;
            // On the last centre the upper neighbour would be outside; its weight is 0 anyway.
            int sx = i < nx - 1 ? 1 : 0;
            int sy = j < ny - 1 ? nx : 0;
            int sz = k < nz - 1 ? nx * ny : 0;
            int base = i + nx * (j + ny * k);
            double c00 = lerp(at(base), at(base + sx), tx);
            double c10 = lerp(at(base + sy), at(base + sy + sx), tx);
            double c01 = lerp(at(base + sz), at(base + sz + sx), tx);
            double c11 = lerp(at(base + sz + sy), at(base + sz + sy + sx), tx);
            return lerp(lerp(c00, c10, ty), lerp(c01, c11, ty), tz);
        }

        private double at(int index) {
            return data.applyAsDouble(index);
        }

        /**
         * (1-t)a + tb rather than a + t(b-a): exact at both t = 0 and t = 1, so grid points reproduce samples
         * bit for bit; t == 0 skips b so a NaN neighbour with zero weight does not leak in.
         */
        private static double lerp(double a, double b, double t) {
            return t == 0 ? a : (1 - t) * a + t * b;
        }
    }

    private static final class BSpline extends ChannelSampler {
        private final float[] c;

        BSpline(int[] dims, float[] coefficients) {
            super(dims);
            this.c = coefficients;
        }

        @Override
        double at(double x, double y, double z) {
            int fx = (int) Math.floor(x);
            int fy = (int) Math.floor(y);
            int fz = (int) Math.floor(z);
            double[] wx = weights(x - fx);
            double[] wy = weights(y - fy);
            double[] wz = weights(z - fz);
            int[] ox = taps(fx, nx, 1);
            int[] oy = taps(fy, ny, nx);
            int[] oz = taps(fz, nz, nx * ny);
            double sum = 0;
            for (int r = 0; r < 4; r++) {
                double plane = 0;
                for (int q = 0; q < 4; q++) {
                    int row = oz[r] + oy[q];
                    plane += wy[q] * (wx[0] * c[row + ox[0]] + wx[1] * c[row + ox[1]]
                            + wx[2] * c[row + ox[2]] + wx[3] * c[row + ox[3]]);
                }
                sum += wz[r] * plane;
            }
            return sum;
        }

        /** Cubic B-spline weights of the taps at floor-1 .. floor+2 for fractional offset t in [0, 1). */
        private static double[] weights(double t) {
            double s = 1 - t;
            double t2 = t * t;
            double t3 = t2 * t;
            return new double[] {
                s * s * s / 6,
                (4 - 6 * t2 + 3 * t3) / 6,
                (1 + 3 * t + 3 * t2 - 3 * t3) / 6,
                t3 / 6
            };
        }

        /** Offsets (index * stride) of the 4 taps around {@code f}, mirrored into [0, n). */
        private static int[] taps(int f, int n, int stride) {
            return new int[] {
                mirror(f - 1, n) * stride, mirror(f, n) * stride, mirror(f + 1, n) * stride, mirror(f + 2, n) * stride
            };
        }
    }

    /**
     * Whole-sample mirror: index -1 reads 1, index n reads n-2 (period 2n-2); scipy.ndimage calls this
     * 'mirror', ITK uses it for B-splines. A single-voxel axis always reads 0.
     */
    static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n - 2;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    // ---- B-spline prefilter ----------------------------------------------------------------------------

    /** The single pole of the cubic B-spline prefilter, sqrt(3) - 2. */
    static final double POLE = Math.sqrt(3) - 2;

    /**
     * Cubic B-spline coefficients of one channel's stored values: a float32 copy (the only full-size
     * extra buffer resampling needs) filtered in place along i, j and k. Slices or rows run in parallel;
     * each task only needs one line of doubles.
     */
    static float[] bsplineCoefficients(Volume volume, int channel) {
        int[] d = volume.geometry().dims();
        int nx = d[0];
        int ny = d[1];
        int nz = d[2];
        int n = volume.voxelsPerChannel();
        IntToDoubleFunction data = reader(volume, channel);
        float[] c = new float[n];
        for (int v = 0; v < n; v++) {
            c[v] = (float) data.applyAsDouble(v);
        }
        if (nx > 1) {
            IntStream.range(0, nz).parallel().forEach(k -> {
                double[] line = new double[nx];
                for (int j = 0; j < ny; j++) {
                    filterStrided(c, nx * (j + ny * k), 1, nx, line);
                }
            });
        }
        if (ny > 1) {
            IntStream.range(0, nz).parallel().forEach(k -> {
                double[] line = new double[ny];
                for (int i = 0; i < nx; i++) {
                    filterStrided(c, i + nx * ny * k, nx, ny, line);
                }
            });
        }
        if (nz > 1) {
            // i innermost: the nz cache lines of one (i, j) line stay hot for the next i.
            IntStream.range(0, ny).parallel().forEach(j -> {
                double[] line = new double[nz];
                for (int i = 0; i < nx; i++) {
                    filterStrided(c, i + nx * j, nx * ny, nz, line);
                }
            });
        }
        return c;
    }

    private static void filterStrided(float[] c, int offset, int stride, int n, double[] line) {
        for (int m = 0, p = offset; m < n; m++, p += stride) {
            line[m] = c[p];
        }
        prefilter(line, n);
        for (int m = 0, p = offset; m < n; m++, p += stride) {
            c[p] = (float) line[m];
        }
    }

    /**
     * Turns samples {@code s[0..n)} into cubic B-spline coefficients in place, for the mirror-symmetric
     * extension, with the causal/anti-causal recursion of Unser, Aldroubi and Eden, "B-spline signal
     * processing: Part II", IEEE Trans. Signal Process. 41(2), 1993. Both recursions start from their
     * exact mirror-boundary initial values, so sum_m c[m] * beta3(k - m) = s[k] for every k.
     */
    static void prefilter(double[] s, int n) {
        if (n == 1) {
            return; // a constant line: the coefficient equals the sample
        }
        final double z = POLE;
        // Overall gain (1 - z)(1 - 1/z) = 6 of the two first-order recursions.
        for (int k = 0; k < n; k++) {
            s[k] *= 6;
        }
        // Causal initial value c+[0] = sum_{m>=0} z^m s~[m] over the mirror extension s~ (period
        // P = 2n - 2) = (sum_{m<P} z^m s~[m]) / (1 - z^P). Terms below 1e-30 of the first are dropped:
        // far below double resolution, and it keeps long lines out of denormal arithmetic.
        int period = 2 * n - 2;
        double sum = 0;
        double zm = 1;
        for (int m = 0; m < period && Math.abs(zm) > 1e-30; m++) {
            sum += zm * s[m < n ? m : period - m];
            zm *= z;
        }
        s[0] = sum / (1 - Math.pow(z, period));
        for (int k = 1; k < n; k++) {
            s[k] += z * s[k - 1];
        }
        // Anti-causal initial value for the mirror extension.
        s[n - 1] = (z / (z * z - 1)) * (s[n - 1] + z * s[n - 2]);
        for (int k = n - 2; k >= 0; k--) {
            s[k] = z * (s[k + 1] - s[k]);
        }
    }
}
