package org.lesionlink.phantom;

import java.util.SplittableRandom;

/**
 * A smooth random function on the unit sphere with values in [-1, 1]: a normalised sum of a few cosines of
 * random low frequencies. Used to make lesion boundaries lobulated rather than spherical: a radius
 * {@code r * (1 + a * n(u))} in direction {@code u}. Immutable.
 */
final class DirectionalNoise {

    private static final int TERMS = 5;

    private final double[][] waves; // [term] = {wx, wy, wz, phase, weight}
    private final double norm;

    private DirectionalNoise(double[][] waves) {
        this.waves = waves;
        double s = 0;
        for (double[] w : waves) {
            s += w[4];
        }
        this.norm = s;
    }

    /** Frequencies between 1 and {@code maxFrequency} cycles over the unit sphere's diameter. */
    static DirectionalNoise random(SplittableRandom r, double maxFrequency) {
        double[][] waves = new double[TERMS][];
        for (int t = 0; t < TERMS; t++) {
            double[] d = randomUnit(r);
            double f = Math.PI * Seeds.uniform(r, 1, Math.max(1, maxFrequency));
            waves[t] = new double[] {d[0] * f, d[1] * f, d[2] * f, Seeds.uniform(r, 0, 2 * Math.PI), Seeds.uniform(r, 0.3, 1)};
        }
        return new DirectionalNoise(waves);
    }

    /** The value for unit direction (ux, uy, uz), in [-1, 1]. */
    double at(double ux, double uy, double uz) {
        double s = 0;
        for (double[] w : waves) {
            s += w[4] * Math.cos(w[0] * ux + w[1] * uy + w[2] * uz + w[3]);
        }
        return s / norm;
    }

    static double[] randomUnit(SplittableRandom r) {
        while (true) {
            double x = 2 * r.nextDouble() - 1;
            double y = 2 * r.nextDouble() - 1;
            double z = 2 * r.nextDouble() - 1;
            double n = x * x + y * y + z * z;
            if (n > 1e-6 && n <= 1) {
                n = Math.sqrt(n);
                return new double[] {x / n, y / n, z / n};
            }
        }
    }
}
