package org.lesionlink.phantom;

import java.util.SplittableRandom;

/**
 * Mean intensity of every spine structure and lesion type in each {@link SpineChannel} (relative scale, fat
 * on T1 = 1). Lytic metastases replace fatty marrow with tumour: dark on T1, bright on T2. Sclerotic ones
 * are dense bone: dark on both. Each case jitters every entry by up to {@link #JITTER}, which keeps these
 * orderings.
 *
 * @param structure {@code [channel][SpineStructure.ordinal()]}
 * @param lesion {@code [channel][LesionType.ordinal()]}
 */
public record SpineContrast(double[][] structure, double[][] lesion) {

    public enum LesionType { LYTIC, SCLEROTIC }

    //                                  AIR  FAT   MUSCLE SOFT CORTEX MARROW ANNULUS NUCLEUS CSF  CORD
    private static final double[] T1 = {0, 1.00, 0.35, 0.45, 0.05, 0.72, 0.30, 0.38, 0.15, 0.50};
    private static final double[] T2 = {0, 0.80, 0.28, 0.50, 0.05, 0.50, 0.22, 0.90, 1.00, 0.45};
    //                                         LYTIC SCLEROTIC
    private static final double[] T1_LESION = {0.25, 0.08};
    private static final double[] T2_LESION = {0.85, 0.10};

    public static final SpineContrast TABLE = new SpineContrast(new double[][] {T1, T2}, new double[][] {T1_LESION, T2_LESION});

    public static final double JITTER = 0.07;

    public SpineContrast {
        structure = copy(structure);
        lesion = copy(lesion);
    }

    @Override
    public double[][] structure() {
        return copy(structure);
    }

    @Override
    public double[][] lesion() {
        return copy(lesion);
    }

    public double structure(SpineChannel c, SpineStructure s) {
        return structure[c.ordinal()][s.ordinal()];
    }

    public double lesion(SpineChannel c, LesionType t) {
        return lesion[c.ordinal()][t.ordinal()];
    }

    /** Jittered per entry, then through the scanner's contrast curve. */
    SpineContrast forCase(SplittableRandom r, ScannerModel scanner) {
        double[][] s = copy(structure);
        double[][] l = copy(lesion);
        for (double[][] m : new double[][][] {s, l}) {
            for (double[] row : m) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = scanner.curve(row[i] * Seeds.uniform(r, 1 - JITTER, 1 + JITTER));
                }
            }
        }
        return new SpineContrast(s, l);
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
