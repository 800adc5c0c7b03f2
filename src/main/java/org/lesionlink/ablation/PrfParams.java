package org.lesionlink.ablation;

/**
 * Proton-resonance-frequency shift thermometry parameters. The phase change per degree is
 * {@code dphi/dT = 2 pi gamma * alpha * B0 * TE} (rad/°C), so {@code dT = dphi / (2 pi gamma alpha B0 TE)}
 * (Rieke and Butts Pauly, JMRI 2008).
 *
 * @param b0Tesla main field B0 in T
 * @param echoTimeS TE in s
 * @param alphaPpmPerC PRF thermal coefficient alpha in ppm/°C (about -0.01 for water; tissue -0.009 to -0.010)
 * @param gammaHzPerT gyromagnetic ratio of 1H over 2 pi in Hz/T (42.576e6)
 */
public record PrfParams(double b0Tesla, double echoTimeS, double alphaPpmPerC, double gammaHzPerT) {

    public static final double DEFAULT_ALPHA_PPM_PER_C = -0.01;
    public static final double GAMMA_HZ_PER_T = 42.576e6;

    public PrfParams {
        if (!(b0Tesla > 0) || !(echoTimeS > 0) || alphaPpmPerC == 0 || !Double.isFinite(alphaPpmPerC) || !(gammaHzPerT > 0)
                || !Double.isFinite(b0Tesla) || !Double.isFinite(echoTimeS)) {
            throw new IllegalArgumentException("PRF thermometry needs B0 > 0, TE > 0, alpha != 0 and gamma > 0, got B0 "
                    + b0Tesla + " T, TE " + echoTimeS + " s, alpha " + alphaPpmPerC + " ppm/C, gamma " + gammaHzPerT + " Hz/T");
        }
    }

    /** With alpha = -0.01 ppm/°C and gamma = 42.576 MHz/T. */
    public static PrfParams of(double b0Tesla, double echoTimeS) {
        return new PrfParams(b0Tesla, echoTimeS, DEFAULT_ALPHA_PPM_PER_C, GAMMA_HZ_PER_T);
    }

    /** Phase change per degree, rad/°C (negative for negative alpha). */
    public double radiansPerDegree() {
        return 2 * Math.PI * gammaHzPerT * alphaPpmPerC * 1e-6 * b0Tesla * echoTimeS;
    }

    /** The temperature change (°C) at which a phase difference reaches +-pi and wraps. */
    public double wrapLimitDegrees() {
        return Math.PI / Math.abs(radiansPerDegree());
    }
}
