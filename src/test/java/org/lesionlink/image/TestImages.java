package org.lesionlink.image;

import java.util.Random;

/** Small builders shared by the image tests. */
final class TestImages {

    private TestImages() {}

    interface RasFunction {
        double at(double x, double y, double z);
    }

    /** Rotation matrix (row, col) about x, then y, then z by the given angles in degrees. */
    static double[][] rotation(double ax, double ay, double az) {
        double a = Math.toRadians(ax);
        double b = Math.toRadians(ay);
        double c = Math.toRadians(az);
        double[][] rx = {{1, 0, 0}, {0, Math.cos(a), -Math.sin(a)}, {0, Math.sin(a), Math.cos(a)}};
        double[][] ry = {{Math.cos(b), 0, Math.sin(b)}, {0, 1, 0}, {-Math.sin(b), 0, Math.cos(b)}};
        double[][] rz = {{Math.cos(c), -Math.sin(c), 0}, {Math.sin(c), Math.cos(c), 0}, {0, 0, 1}};
        return mul(rz, mul(ry, rx));
    }

    static double[][] mul(double[][] p, double[][] q) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += p[i][k] * q[k][j];
                }
            }
        }
        return r;
    }

    /** A grid of {@code dims} whose centre voxel (fractional) sits at {@code centre}. */
    static Geometry centredAt(int[] dims, double[] spacing, double[][] direction, double[] centre) {
        Geometry g = Geometry.of(dims, spacing, new double[3], direction);
        double[] c = g.centre();
        return Geometry.of(dims, spacing, new double[] {centre[0] - c[0], centre[1] - c[1], centre[2] - c[2]}, direction);
    }

    /** One channel of {@code type} holding f at every voxel centre (rounded for integer types). */
    static Volume sampled(Geometry g, DataType type, RasFunction f) {
        Volume.Builder b = Volume.allocate(g, type, 1);
        int[] d = g.dims();
        for (int k = 0, index = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++, index++) {
                    double[] p = g.toRas(i, j, k);
                    b.set(0, index, f.at(p[0], p[1], p[2]));
                }
            }
        }
        return b.build();
    }

    /** Uniform random stored values in [lo, hi) (rounded for integer types). */
    static Volume random(Geometry g, DataType type, int channels, double lo, double hi, long seed) {
        Random r = new Random(seed);
        Volume.Builder b = Volume.allocate(g, type, channels);
        int n = (int) g.voxelCount();
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < n; v++) {
                b.set(c, v, lo + (hi - lo) * r.nextDouble());
            }
        }
        return b.build();
    }

    static double maxAbs(Volume v) {
        double m = 0;
        for (int c = 0; c < v.channels(); c++) {
            for (int i = 0; i < v.voxelsPerChannel(); i++) {
                m = Math.max(m, Math.abs(v.value(c, i)));
            }
        }
        return m;
    }
}
