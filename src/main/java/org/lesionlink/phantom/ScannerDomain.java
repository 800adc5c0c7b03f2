package org.lesionlink.phantom;

import java.util.Locale;

/**
 * The population of scanners a phantom run simulates: the ranges {@link ScannerModel#random} draws each
 * case's session from, and a shift of the brain contrast table. {@link #STANDARD} is the phantoms' usual
 * mix (what the embedded models were trained on); {@link #SHIFTED} is one other site, for transfer
 * learning studies (seed 2: pretrain on a large public set, fine-tune on a small local one).
 *
 * <p>Ranges are {@code {low, high}}; draws are uniform except gain and gamma (log-uniform), as before.
 *
 * @param name what {@code lesions.json} records (absent for the standard domain, whose files are unchanged)
 * @param gamma contrast curve exponent range
 * @param blur Gaussian point-spread sigma range per axis, in voxels
 * @param thickSliceProbability probability that one axis is blurred more (thick slices)
 * @param thickBlur sigma range of that axis, in voxels
 * @param thickSliceAxis the thick axis (0, 1, 2), or -1 for a random one per case
 * @param noise noise sigma range as a fraction of the unit intensity
 * @param ricianProbability probability of Rician rather than clamped Gaussian noise
 * @param bias largest log-amplitude range of the bias field
 * @param contrast brain contrast table: every non-zero entry moved towards the channel's white-matter value,
 *     {@code v -> wm + contrast * (v - wm)} (1 keeps the table; below 1 flattens tissue contrast, keeping
 *     every ordering)
 * @param enhancement T1c enhancing-tumour excess over white matter scaled by this (after {@code contrast});
 *     below 1 is a weaker contrast agent effect (lower dose, other field strength or timing)
 */
public record ScannerDomain(String name, double[] gamma, double[] blur, double thickSliceProbability, double[] thickBlur,
        int thickSliceAxis, double[] noise, double ricianProbability, double[] bias, double contrast, double enhancement) {

    /** The phantoms' usual scanner mix (docs/phantoms.md, "Scanner and pose"). */
    public static final ScannerDomain STANDARD = new ScannerDomain("standard", new double[] {0.85, 1.2}, new double[] {0, 0.8},
            0.3, new double[] {0.8, 1.6}, -1, new double[] {0.01, 0.05}, 0.75, new double[] {0.05, 0.3}, 1, 1);

    /**
     * Another site: an older scanner with thick slices along k in every case (sigma 1.0-1.6 voxels), softer
     * images (in-plane sigma 0.3-0.8), more noise (4-8%, always Rician), a stronger bias field (30-50%), a
     * steeper contrast curve (gamma 1.2-1.5), tissue contrast flattened by 15% and 20% less
     * enhancement on T1c.
     */
    public static final ScannerDomain SHIFTED = new ScannerDomain("shifted", new double[] {1.2, 1.5}, new double[] {0.3, 0.8},
            1.0, new double[] {1.0, 1.6}, 2, new double[] {0.04, 0.08}, 1.0, new double[] {0.3, 0.5}, 0.85, 0.8);

    public ScannerDomain {
        gamma = range("gamma", gamma, 0.2, 5);
        blur = range("blur", blur, 0, 8);
        thickBlur = range("thick-slice blur", thickBlur, 0, 8);
        noise = range("noise", noise, 0, 1);
        bias = range("bias", bias, 0, 2);
        if (!(thickSliceProbability >= 0 && thickSliceProbability <= 1) || !(ricianProbability >= 0 && ricianProbability <= 1)) {
            throw new IllegalArgumentException("probabilities must be in 0..1");
        }
        if (thickSliceAxis < -1 || thickSliceAxis > 2) {
            throw new IllegalArgumentException("thick-slice axis must be 0, 1, 2 or -1 (random), got " + thickSliceAxis);
        }
        if (!(contrast > 0 && contrast <= 2)) {
            throw new IllegalArgumentException("--contrast must be in (0, 2], got " + contrast);
        }
        if (!(enhancement >= 0 && enhancement <= 3)) {
            throw new IllegalArgumentException("--enhancement must be in [0, 3], got " + enhancement);
        }
    }

    /** {@code standard} or {@code shifted}. */
    public static ScannerDomain of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "standard" -> STANDARD;
            case "shifted" -> SHIFTED;
            default -> throw new IllegalArgumentException("--domain must be standard or shifted, got '" + name + "'");
        };
    }

    public boolean isStandard() {
        return equals(STANDARD);
    }

    public ScannerDomain withNoise(double[] r) {
        return new ScannerDomain(custom(), gamma, blur, thickSliceProbability, thickBlur, thickSliceAxis, r, ricianProbability,
                bias, contrast, enhancement);
    }

    public ScannerDomain withBias(double[] r) {
        return new ScannerDomain(custom(), gamma, blur, thickSliceProbability, thickBlur, thickSliceAxis, noise, ricianProbability,
                r, contrast, enhancement);
    }

    public ScannerDomain withGamma(double[] r) {
        return new ScannerDomain(custom(), r, blur, thickSliceProbability, thickBlur, thickSliceAxis, noise, ricianProbability,
                bias, contrast, enhancement);
    }

    public ScannerDomain withBlur(double[] r) {
        return new ScannerDomain(custom(), gamma, r, thickSliceProbability, thickBlur, thickSliceAxis, noise, ricianProbability,
                bias, contrast, enhancement);
    }

    public ScannerDomain withContrast(double c, double e) {
        return new ScannerDomain(custom(), gamma, blur, thickSliceProbability, thickBlur, thickSliceAxis, noise, ricianProbability,
                bias, c, e);
    }

    private String custom() {
        return name.endsWith("+custom") ? name : name + "+custom";
    }

    /** The brain table as this domain's scanners show it. */
    BrainContrast shift(BrainContrast table) {
        if (contrast == 1 && enhancement == 1) {
            return table;
        }
        double[][] t = table.tissue();
        double[][] l = table.lesion();
        int wmColumn = Tissue.WHITE_MATTER.ordinal();
        for (int c = 0; c < t.length; c++) {
            double wm = t[c][wmColumn];
            for (double[] row : new double[][] {t[c], l[c]}) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] != 0) {
                        row[i] = wm + contrast * (row[i] - wm);
                    }
                }
            }
        }
        int t1c = BrainChannel.T1C.ordinal();
        int et = BrainContrast.lesionColumn(BratsLabel.ET);
        l[t1c][et] = t[t1c][wmColumn] + enhancement * (l[t1c][et] - t[t1c][wmColumn]);
        return new BrainContrast(t, l);
    }

    private static double[] range(String what, double[] r, double min, double max) {
        if (r == null || r.length != 2 || !(r[0] >= min) || !(r[1] >= r[0]) || !(r[1] <= max)) {
            throw new IllegalArgumentException(what + " range must be LOW,HIGH with " + min + " <= LOW <= HIGH <= " + max + ", got "
                    + (r == null ? "nothing" : java.util.Arrays.toString(r)));
        }
        return r.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScannerDomain d && name.equals(d.name) && java.util.Arrays.equals(gamma, d.gamma)
                && java.util.Arrays.equals(blur, d.blur) && thickSliceProbability == d.thickSliceProbability
                && java.util.Arrays.equals(thickBlur, d.thickBlur) && thickSliceAxis == d.thickSliceAxis
                && java.util.Arrays.equals(noise, d.noise) && ricianProbability == d.ricianProbability
                && java.util.Arrays.equals(bias, d.bias) && contrast == d.contrast && enhancement == d.enhancement;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
