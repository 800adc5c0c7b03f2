package org.lesionlink.ablation;

/**
 * Cumulative equivalent minutes at 43 °C (Sapareto and Dewey 1984):
 * {@code CEM43 = sum dt_min * R^(43 - T)} with {@code R = 0.5} for {@code T >= 43 °C} and {@code R = 0.25} below;
 * 240 CEM43 is the usual necrosis threshold.
 */
public final class ThermalDose {

    /** The usual necrosis threshold in CEM43 minutes. */
    public static final double NECROSIS_CEM43 = 240;

    private static final double LN_HALF = Math.log(0.5);
    private static final double LN_QUARTER = Math.log(0.25);

    private ThermalDose() {
    }

    /** Equivalent minutes at 43 °C per minute spent at {@code celsius}: {@code R^(43 - T)}. */
    public static double cem43PerMinute(double celsius) {
        return Math.exp((43 - celsius) * (celsius >= 43 ? LN_HALF : LN_QUARTER));
    }

    /** Minutes at constant {@code celsius} to accumulate {@code cem43} equivalent minutes. */
    public static double minutesTo(double cem43, double celsius) {
        return cem43 / cem43PerMinute(celsius);
    }
}
