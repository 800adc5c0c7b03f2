package org.lesionlink.ablation;

import java.util.Objects;

/**
 * Arrhenius thermal-damage model: {@code dOmega/dt = A exp(-Ea / (R T))} with T in kelvin; Omega = 1 is
 * taken as irreversible damage (about 63 % of cells). Constants as collected in docs/ablation.md (Pearce,
 * Crit Rev Biomed Eng 2010, and common simulation codes); none is brain-specific.
 *
 * @param name a label reported with the results
 * @param frequencyFactorPerS A in 1/s
 * @param activationEnergyJPerMol Ea in J/mol
 */
public record ArrheniusModel(String name, double frequencyFactorPerS, double activationEnergyJPerMol) {

    /** Universal gas constant R in J/(mol K). */
    public static final double GAS_CONSTANT = 8.314;

    /** Absolute temperature of 0 °C in kelvin. */
    public static final double KELVIN_OFFSET = 273.15;

    /** "Liver/muscle" set: A = 7.39e39 1/s, Ea = 2.577e5 J/mol (the default here). */
    public static final ArrheniusModel LIVER_MUSCLE = new ArrheniusModel("liver-muscle", 7.39e39, 2.577e5);

    /** Henriques' skin/protein set: A = 3.1e98 1/s, Ea = 6.28e5 J/mol. */
    public static final ArrheniusModel HENRIQUES = new ArrheniusModel("henriques", 3.1e98, 6.28e5);

    public ArrheniusModel {
        Objects.requireNonNull(name, "name");
        if (!(frequencyFactorPerS > 0) || !(activationEnergyJPerMol > 0)
                || !Double.isFinite(frequencyFactorPerS) || !Double.isFinite(activationEnergyJPerMol)) {
            throw new IllegalArgumentException("Arrhenius A and Ea must be positive and finite, got "
                    + frequencyFactorPerS + ", " + activationEnergyJPerMol);
        }
    }

    /** Damage rate dOmega/dt in 1/s at {@code celsius}. */
    public double rate(double celsius) {
        return Math.exp(Math.log(frequencyFactorPerS) - activationEnergyJPerMol / (GAS_CONSTANT * (celsius + KELVIN_OFFSET)));
    }

    /** Time in s to reach Omega = 1 at a constant temperature. */
    public double secondsToDamage(double celsius) {
        return 1 / rate(celsius);
    }

    public static ArrheniusModel named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "liver-muscle", "liver" -> LIVER_MUSCLE;
            case "henriques" -> HENRIQUES;
            default -> throw new IllegalArgumentException("unknown Arrhenius model '" + name + "' (liver-muscle, henriques)");
        };
    }
}
