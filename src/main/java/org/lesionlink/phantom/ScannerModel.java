package org.lesionlink.phantom;

import java.nio.ShortBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * What one simulated scanner session does to the ideal contrast images, drawn once per case and
 * applied per channel in this order:
 * <ol>
 *   <li>{@code gamma}: a monotone contrast curve {@code I^gamma} (keeps the tissue ordering), applied by the
 *       phantoms to their contrast tables ({@link #curve}) before mixing tissues, which is cheaper than per
 *       voxel and, for voxels of one tissue, the same;
 *   <li>{@code blurSigmaVoxels}: a Gaussian point-spread function per grid axis (one axis may be blurred
 *       more, as with thick slices);
 *   <li>a smooth multiplicative bias field {@code exp(f_i(u) + f_j(v) + f_k(w))}, each {@code f} a sum of
 *       two cosines with wavelengths longer than the field of view, fixed to the grid (the coil is fixed
 *       to the scanner) and different per channel; {@code biasStrength} is the largest log-amplitude;
 *   <li>{@code gain}: global intensity scale per channel (stored values are about {@code 1000 * gain} for
 *       an intensity of 1);
 *   <li>noise of standard deviation {@code noiseFraction * 1000 * gain}: Rician (magnitude of complex
 *       Gaussian noise, as in magnitude MR images) or, when {@code rician} is false, additive Gaussian
 *       clamped at 0.
 * </ol>
 * Output channels are int16.
 */
public record ScannerModel(double[] gain, double gamma, double[] blurSigmaVoxels, double noiseFraction,
        boolean rician, double biasStrength, double[][][] biasWaves) {

    /** Stored value of intensity 1 at gain 1. */
    public static final double SCALE = 1000;

    public ScannerModel {
        gain = gain.clone();
        blurSigmaVoxels = blurSigmaVoxels.clone();
    }

    /** A random session for {@code channels} channels from the standard scanner mix. */
    static ScannerModel random(SplittableRandom r, int channels) {
        return random(r, channels, ScannerDomain.STANDARD);
    }

    /**
     * A random session of one of {@code domain}'s scanners. The draws are made in the same order for every
     * domain, so the standard domain gives exactly the sessions it always gave.
     */
    static ScannerModel random(SplittableRandom r, int channels, ScannerDomain domain) {
        double[] gain = new double[channels];
        for (int c = 0; c < channels; c++) {
            gain[c] = Seeds.logUniform(r, 0.6, 1.6);
        }
        double gamma = Seeds.logUniform(r, domain.gamma()[0], domain.gamma()[1]);
        double[] blur = new double[3];
        for (int a = 0; a < 3; a++) {
            blur[a] = Seeds.uniform(r, domain.blur()[0], domain.blur()[1]);
        }
        if (r.nextDouble() < domain.thickSliceProbability()) {
            int axis = r.nextInt(3);
            blur[domain.thickSliceAxis() < 0 ? axis : domain.thickSliceAxis()] =
                    Seeds.uniform(r, domain.thickBlur()[0], domain.thickBlur()[1]); // thick slices along one axis
        }
        double noise = Seeds.uniform(r, domain.noise()[0], domain.noise()[1]);
        boolean rician = r.nextDouble() < domain.ricianProbability();
        double bias = Seeds.uniform(r, domain.bias()[0], domain.bias()[1]);
        // [channel][axis][term] = {amplitude, cycles over the field of view, phase}
        double[][][] waves = new double[channels][3][];
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < 3; a++) {
                waves[c][a] = new double[] {
                    Seeds.uniform(r, -1, 1), Seeds.uniform(r, 0.1, 0.7), Seeds.uniform(r, 0, 2 * Math.PI),
                    Seeds.uniform(r, -1, 1), Seeds.uniform(r, 0.1, 0.7), Seeds.uniform(r, 0, 2 * Math.PI)};
            }
        }
        return new ScannerModel(gain, gamma, blur, noise, rician, bias, waves);
    }

    @Override
    public double[] gain() {
        return gain.clone();
    }

    @Override
    public double[] blurSigmaVoxels() {
        return blurSigmaVoxels.clone();
    }

    /** The contrast curve for a table intensity. */
    public double curve(double intensity) {
        return intensity > 0 ? Math.pow(intensity, gamma) : 0;
    }

    /**
     * Turns one channel of ideal intensities (about 0..1, {@link #curve} already applied) into a scanner image. {@code ideal} is
     * overwritten; {@code caseSeed} keys the noise so that each slice draws its own stream.
     */
    Volume acquire(float[] ideal, int channel, Geometry grid, long caseSeed) {
        int[] d = grid.dims();
        Filters.gaussian(ideal, d, blurSigmaVoxels);
        double[][] bias = new double[3][];
        for (int a = 0; a < 3; a++) {
            bias[a] = biasProfile(channel, a, d[a]);
        }
        double scale = SCALE * gain[channel];
        double sigma = noiseFraction * scale;
        Volume.Builder out = Volume.allocate(grid, DataType.INT16, 1);
        ShortBuffer buf = out.channel(0).asShortBuffer();
        IntStream.range(0, d[2]).parallel().forEach(k -> {
            SplittableRandom noise = Seeds.stream(caseSeed, Seeds.Purpose.NOISE, channel, k);
            for (int j = 0; j < d[1]; j++) {
                double bjk = bias[1][j] * bias[2][k] * scale;
                int index = d[0] * (j + d[1] * k);
                for (int i = 0; i < d[0]; i++, index++) {
                    double s = ideal[index] * bias[0][i] * bjk;
                    double v;
                    if (rician) {
                        double re = s + sigma * noise.nextGaussian();
                        double im = sigma * noise.nextGaussian();
                        v = Math.sqrt(re * re + im * im);
                    } else {
                        v = Math.max(0, s + sigma * noise.nextGaussian());
                    }
                    buf.put(index, (short) Math.min(Short.MAX_VALUE, Math.round(v)));
                }
            }
        });
        return out.build();
    }

    /** The bias factor along one axis, {@code exp(f(u))} for u in [-1, 1] across the grid. */
    double[] biasProfile(int channel, int axis, int n) {
        double[] w = biasWaves[channel][axis];
        double[] p = new double[n];
        for (int q = 0; q < n; q++) {
            double u = n == 1 ? 0 : 2.0 * q / (n - 1) - 1;
            double f = w[0] * Math.cos(Math.PI * w[1] * u + w[2]) + w[3] * Math.cos(Math.PI * w[4] * u + w[5]);
            p[q] = Math.exp(biasStrength / 6 * f); // |f| <= 2 on each of three axes: |log bias| <= biasStrength
        }
        return p;
    }
}
