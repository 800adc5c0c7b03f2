package org.lesionlink.phantom;

import java.util.SplittableRandom;

/**
 * Mean intensity of every healthy tissue and every lesion compartment in each {@link BrainChannel}, on a
 * relative scale where white matter on T1 is about 0.8. {@link #TABLE} is the reference (docs/phantoms.md
 * prints it); each case uses a copy jittered by a few percent per entry ({@link #jittered}), small enough
 * that the orderings below always hold:
 * <ul>
 *   <li>T1: WM &gt; GM &gt; CSF; lesions and edema darker than WM;
 *   <li>T1c: as T1, plus the enhancing rim (ET) the brightest thing in the brain;
 *   <li>T2: CSF &gt; GM &gt; WM; edema and necrosis bright;
 *   <li>FLAIR: CSF dark (suppressed), edema (SNFH) the brightest tissue in the brain.
 * </ul>
 *
 * @param tissue {@code [channel][Tissue.ordinal()]}
 * @param lesion {@code [channel][0 NETC, 1 SNFH, 2 ET]}
 */
public record BrainContrast(double[][] tissue, double[][] lesion) {

    //                                  BACKGROUND CSF   GM    WM    FAT   SOFT  BONE
    private static final double[] T1 = {0, 0.25, 0.60, 0.80, 0.95, 0.40, 0.06};
    private static final double[] T1C = {0, 0.25, 0.62, 0.81, 0.95, 0.48, 0.07};
    private static final double[] T2 = {0, 1.00, 0.62, 0.42, 0.70, 0.35, 0.06};
    private static final double[] FLAIR = {0, 0.10, 0.65, 0.50, 0.60, 0.35, 0.05};
    //                                        NETC  SNFH  ET
    private static final double[] T1_LESION = {0.28, 0.48, 0.58};
    private static final double[] T1C_LESION = {0.30, 0.50, 1.10};
    private static final double[] T2_LESION = {0.88, 0.85, 0.68};
    private static final double[] FLAIR_LESION = {0.55, 0.95, 0.80};

    /** The reference table. */
    public static final BrainContrast TABLE = new BrainContrast(
            new double[][] {T1, T1C, T2, FLAIR}, new double[][] {T1_LESION, T1C_LESION, T2_LESION, FLAIR_LESION});

    /** Largest relative change {@link #jittered} makes to an entry. */
    public static final double JITTER = 0.07;

    public BrainContrast {
        tissue = deepCopy(tissue);
        lesion = deepCopy(lesion);
    }

    @Override
    public double[][] tissue() {
        return deepCopy(tissue);
    }

    @Override
    public double[][] lesion() {
        return deepCopy(lesion);
    }

    public double tissue(BrainChannel c, Tissue t) {
        return tissue[c.ordinal()][t.ordinal()];
    }

    public double lesion(BrainChannel c, BratsLabel l) {
        return lesion[c.ordinal()][lesionColumn(l)];
    }

    static int lesionColumn(BratsLabel l) {
        return switch (l) {
            case NETC -> 0;
            case SNFH -> 1;
            case ET -> 2;
        };
    }

    /** Every entry times an independent factor in {@code [1 - JITTER, 1 + JITTER]}. */
    BrainContrast jittered(SplittableRandom r) {
        double[][] t = deepCopy(tissue);
        double[][] l = deepCopy(lesion);
        for (double[][] m : new double[][][] {t, l}) {
            for (double[] row : m) {
                for (int i = 0; i < row.length; i++) {
                    row[i] *= Seeds.uniform(r, 1 - JITTER, 1 + JITTER);
                }
            }
        }
        return new BrainContrast(t, l);
    }

    /** Every entry through the scanner's contrast curve. */
    BrainContrast through(ScannerModel scanner) {
        double[][] t = deepCopy(tissue);
        double[][] l = deepCopy(lesion);
        for (double[][] m : new double[][][] {t, l}) {
            for (double[] row : m) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = scanner.curve(row[i]);
                }
            }
        }
        return new BrainContrast(t, l);
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
