package org.lesionlink.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiWriter;

/**
 * Tiny synthetic brain-metastasis cases in the phantom layout ({@code caseNNN/<channel>.nii.gz} and
 * {@code seg.nii.gz}): a 24^3 grid at 1 mm, a "brain" ball of radius 11, and one lesion per case with
 * BraTS-METS labels nested as spheres (2 SNFH radius 6, 3 ET radius 4, 1 NETC radius 2) at a
 * case-dependent position. t1c is bright on ET, flair on SNFH and the core; Gaussian noise on top.
 */
public final class TrainingFixtures {

    public static final int SIZE = 24;

    private TrainingFixtures() {}

    public static Path brainCases(Path dir, int cases, String... channels) throws IOException {
        return brainCasesFrom(dir, 0, cases, channels);
    }

    /** Cases {@code first .. first + cases - 1} of the same family (other lesion positions and noise). */
    public static Path brainCasesFrom(Path dir, int first, int cases, String... channels) throws IOException {
        NiftiWriter writer = new NiftiWriter();
        Geometry g = Geometry.axisAligned(new int[] {SIZE, SIZE, SIZE}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        for (int c = first; c < first + cases; c++) {
            SplittableRandom rng = new SplittableRandom(1000 + c);
            Path folder = Files.createDirectories(dir.resolve(String.format("case%03d", c)));
            int n = SIZE * SIZE * SIZE;
            double[] centre = {9 + 6 * rng.nextDouble(), 9 + 6 * rng.nextDouble(), 9 + 6 * rng.nextDouble()};
            float[] seg = new float[n];
            float[][] images = new float[channels.length][n];
            for (int k = 0, v = 0; k < SIZE; k++) {
                for (int j = 0; j < SIZE; j++) {
                    for (int i = 0; i < SIZE; i++, v++) {
                        double rb = Math.sqrt(sq(i - 11.5) + sq(j - 11.5) + sq(k - 11.5));
                        double rl = Math.sqrt(sq(i - centre[0]) + sq(j - centre[1]) + sq(k - centre[2]));
                        int label = rl <= 2 ? 1 : rl <= 4 ? 3 : rl <= 6 ? 2 : 0;
                        seg[v] = label;
                        for (int ch = 0; ch < channels.length; ch++) {
                            if (rb > 11) {
                                continue;
                            }
                            double value = 100;
                            boolean t1c = channels[ch].equals("t1c");
                            if (t1c && label == 3) {
                                value = 200;
                            } else if (!t1c && label != 0) {
                                value = label == 2 ? 180 : 150;
                            }
                            images[ch][v] = (float) (value + 10 * rng.nextGaussian());
                        }
                    }
                }
            }
            for (int ch = 0; ch < channels.length; ch++) {
                writer.write(Volume.ofFloats(g, images[ch]), folder.resolve(channels[ch] + ".nii.gz"));
            }
            writer.write(Volume.ofFloats(g, seg), folder.resolve("seg.nii.gz"));
        }
        return dir;
    }

    private static double sq(double x) {
        return x * x;
    }
}
