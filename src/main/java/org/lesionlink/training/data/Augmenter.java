package org.lesionlink.training.data;

import java.util.SplittableRandom;

/**
 * The intensity and mirroring part of nnU-Net's training augmentation, on a {@link Patch} in place, in
 * plain Java (rotation and scaling happen when the patch is cut: {@link PatchSampler}). Each transform is
 * drawn independently per patch with the probabilities of {@link Settings#nnUNet()}:
 *
 * <ul>
 *   <li><b>Gaussian noise</b> (p 0.1): variance uniform in [0, 0.1], added to every channel.
 *   <li><b>Gaussian blur</b> (p 0.2; each channel p 0.5): sigma uniform in [0.5, 1] voxels, separable,
 *       kernel radius ceil(3 sigma), clamped borders.
 *   <li><b>Brightness</b> (p 0.15): each channel multiplied by a factor uniform in [0.75, 1.25].
 *   <li><b>Contrast</b> (p 0.15): each channel scaled about its mean by a factor in [0.75, 1.25], then
 *       clipped to its previous range.
 *   <li><b>Low resolution</b> (p 0.25; each channel p 0.5): resampled to a zoom in [0.5, 1] by nearest
 *       neighbour and back to full size linearly.
 *   <li><b>Gamma</b> (p 0.3, and p 0.1 on the inverted image): each channel mapped to [0, 1], raised to a
 *       gamma from [0.7, 1] or [1, 1.5] (even odds), mapped back, and its mean and standard deviation
 *       restored.
 *   <li><b>Mirroring</b> (p 0.5 per axis): channels and labels flipped together.
 * </ul>
 *
 * Labels change only by mirroring, so they always stay in their set.
 */
public final class Augmenter {

    public record Settings(double pNoise, double pBlur, double pBrightness, double pContrast, double pLowRes,
            double pGamma, double pInvertedGamma, double pMirror) {

        public static Settings nnUNet() {
            return new Settings(0.1, 0.2, 0.15, 0.15, 0.25, 0.3, 0.1, 0.5);
        }

        public static Settings none() {
            return new Settings(0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    private final Settings settings;

    public Augmenter(Settings settings) {
        this.settings = settings;
    }

    public void apply(Patch p, SplittableRandom rng) {
        int[] s = p.size();
        float[][] x = p.channels();
        if (rng.nextDouble() < settings.pNoise()) {
            noise(x, Math.sqrt(rng.nextDouble() * 0.1), rng);
        }
        if (rng.nextDouble() < settings.pBlur()) {
            for (float[] ch : x) {
                if (rng.nextDouble() < 0.5) {
                    blur(ch, s, 0.5 + 0.5 * rng.nextDouble());
                }
            }
        }
        if (rng.nextDouble() < settings.pBrightness()) {
            for (float[] ch : x) {
                scale(ch, (float) (0.75 + 0.5 * rng.nextDouble()));
            }
        }
        if (rng.nextDouble() < settings.pContrast()) {
            for (float[] ch : x) {
                contrast(ch, 0.75 + 0.5 * rng.nextDouble());
            }
        }
        if (rng.nextDouble() < settings.pLowRes()) {
            for (int c = 0; c < x.length; c++) {
                if (rng.nextDouble() < 0.5) {
                    x[c] = lowResolution(x[c], s, 0.5 + 0.5 * rng.nextDouble());
                }
            }
        }
        if (rng.nextDouble() < settings.pInvertedGamma()) {
            for (float[] ch : x) {
                scale(ch, -1);
                gamma(ch, gammaValue(rng));
                scale(ch, -1);
            }
        }
        if (rng.nextDouble() < settings.pGamma()) {
            for (float[] ch : x) {
                gamma(ch, gammaValue(rng));
            }
        }
        for (int axis = 0; axis < 3; axis++) {
            if (rng.nextDouble() < settings.pMirror()) {
                for (float[] ch : x) {
                    mirror(ch, s, axis);
                }
                mirror(p.labels(), s, axis);
            }
        }
    }

    private static double gammaValue(SplittableRandom rng) {
        return rng.nextDouble() < 0.5 ? 0.7 + 0.3 * rng.nextDouble() : 1 + 0.5 * rng.nextDouble();
    }

    static void noise(float[][] x, double std, SplittableRandom rng) {
        for (float[] ch : x) {
            for (int v = 0; v < ch.length; v++) {
                ch[v] += (float) (rng.nextGaussian() * std);
            }
        }
    }

    static void scale(float[] x, float f) {
        for (int v = 0; v < x.length; v++) {
            x[v] *= f;
        }
    }

    static void contrast(float[] x, double f) {
        double mean = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            mean += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        mean /= x.length;
        for (int v = 0; v < x.length; v++) {
            x[v] = (float) Math.min(Math.max((x[v] - mean) * f + mean, min), max);
        }
    }

    static void gamma(float[] x, double gamma) {
        double mean = 0;
        double sq = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            mean += v;
            sq += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        mean /= x.length;
        double std = Math.sqrt(Math.max(sq / x.length - mean * mean, 0));
        double range = max - min;
        double mean2 = 0;
        double sq2 = 0;
        for (int v = 0; v < x.length; v++) {
            double y = Math.pow((x[v] - min) / (range + 1e-7), gamma) * range + min;
            x[v] = (float) y;
            mean2 += y;
            sq2 += y * y;
        }
        mean2 /= x.length;
        double std2 = Math.sqrt(Math.max(sq2 / x.length - mean2 * mean2, 0));
        for (int v = 0; v < x.length; v++) {
            x[v] = (float) ((x[v] - mean2) / (std2 + 1e-8) * std + mean);
        }
    }

    /** Separable Gaussian blur with clamped borders. */
    static void blur(float[] x, int[] s, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double sum = 0;
        for (int t = -r; t <= r; t++) {
            kernel[t + r] = Math.exp(-t * t / (2 * sigma * sigma));
            sum += kernel[t + r];
        }
        for (int t = 0; t < kernel.length; t++) {
            kernel[t] /= sum;
        }
        int[] stride = {1, s[0], s[0] * s[1]};
        float[] tmp = new float[x.length];
        for (int axis = 0; axis < 3; axis++) {
            int n = s[axis];
            for (int v = 0; v < x.length; v++) {
                int pos = (v / stride[axis]) % n;
                int base = v - pos * stride[axis];
                double acc = 0;
                for (int t = -r; t <= r; t++) {
                    int q = Math.min(Math.max(pos + t, 0), n - 1);
                    acc += kernel[t + r] * x[base + q * stride[axis]];
                }
                tmp[v] = (float) acc;
            }
            System.arraycopy(tmp, 0, x, 0, x.length);
        }
    }

    /** Nearest-neighbour downsampling to {@code zoom} of the size, then linear upsampling back. */
    static float[] lowResolution(float[] x, int[] s, double zoom) {
        int[] c = new int[3];
        for (int a = 0; a < 3; a++) {
            c[a] = Math.max(1, (int) Math.round(s[a] * zoom));
        }
        float[] coarse = new float[c[0] * c[1] * c[2]];
        for (int k = 0, v = 0; k < c[2]; k++) {
            for (int j = 0; j < c[1]; j++) {
                for (int i = 0; i < c[0]; i++, v++) {
                    int si = Math.min((int) ((i + 0.5) * s[0] / c[0]), s[0] - 1);
                    int sj = Math.min((int) ((j + 0.5) * s[1] / c[1]), s[1] - 1);
                    int sk = Math.min((int) ((k + 0.5) * s[2] / c[2]), s[2] - 1);
                    coarse[v] = x[si + s[0] * (sj + s[1] * sk)];
                }
            }
        }
        float[] out = new float[x.length];
        for (int k = 0, v = 0; k < s[2]; k++) {
            for (int j = 0; j < s[1]; j++) {
                for (int i = 0; i < s[0]; i++, v++) {
                    double ci = clamp((i + 0.5) * c[0] / s[0] - 0.5, c[0]);
                    double cj = clamp((j + 0.5) * c[1] / s[1] - 0.5, c[1]);
                    double ck = clamp((k + 0.5) * c[2] / s[2] - 0.5, c[2]);
                    out[v] = PatchSampler.trilinear(coarse, c, ci, cj, ck);
                }
            }
        }
        return out;
    }

    private static double clamp(double x, int n) {
        return Math.min(Math.max(x, 0), n - 1);
    }

    static void mirror(float[] x, int[] s, int axis) {
        int[] stride = {1, s[0], s[0] * s[1]};
        int n = s[axis];
        for (int v = 0; v < x.length; v++) {
            int pos = (v / stride[axis]) % n;
            if (pos < n / 2) {
                int w = v + (n - 1 - 2 * pos) * stride[axis];
                float t = x[v];
                x[v] = x[w];
                x[w] = t;
            }
        }
    }

    static void mirror(byte[] x, int[] s, int axis) {
        int[] stride = {1, s[0], s[0] * s[1]};
        int n = s[axis];
        for (int v = 0; v < x.length; v++) {
            int pos = (v / stride[axis]) % n;
            if (pos < n / 2) {
                int w = v + (n - 1 - 2 * pos) * stride[axis];
                byte t = x[v];
                x[v] = x[w];
                x[w] = t;
            }
        }
    }
}
