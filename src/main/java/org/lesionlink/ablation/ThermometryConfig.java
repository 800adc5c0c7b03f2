package org.lesionlink.ablation;

import java.util.Objects;

/**
 * Settings of a {@link ThermometrySession}. Masks are in the phase images' voxel order and may be null
 * (lesion: no lesion percentages; critical: no alarms; reference: only with {@link DriftCorrection#NONE}).
 *
 * @param prf PRF constants (B0, TE, alpha, gamma)
 * @param bodyTemperatureC temperature of the baseline image, 37 °C by default
 * @param drift drift correction mode
 * @param referenceMask unheated reference region for the drift correction
 * @param lesionMask lesion, for the percentage reaching 240 CEM43 and Omega >= 1
 * @param criticalMask critical structure, for temperature alarms
 * @param criticalLimitC alarm when any critical voxel exceeds this temperature (45 °C by default)
 * @param arrhenius damage model (liver/muscle constants by default)
 * @param temporalUnwrap whether to unwrap the phase difference along time (frame-to-frame changes below pi)
 */
public record ThermometryConfig(PrfParams prf, double bodyTemperatureC, DriftCorrection drift, boolean[] referenceMask,
                                boolean[] lesionMask, boolean[] criticalMask, double criticalLimitC,
                                ArrheniusModel arrhenius, boolean temporalUnwrap) {

    public static final double BODY_TEMPERATURE_C = 37;
    public static final double CRITICAL_LIMIT_C = 45;

    public ThermometryConfig {
        Objects.requireNonNull(prf, "prf");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(arrhenius, "arrhenius");
        if (drift != DriftCorrection.NONE && referenceMask == null) {
            throw new IllegalArgumentException("drift correction " + drift + " needs a reference (unheated) mask");
        }
        if (!Double.isFinite(bodyTemperatureC) || !Double.isFinite(criticalLimitC)) {
            throw new IllegalArgumentException("temperatures must be finite");
        }
    }

    /** 37 °C baseline, no drift correction, no masks, 45 °C limit, liver/muscle Arrhenius, temporal unwrapping. */
    public static ThermometryConfig of(PrfParams prf) {
        return new ThermometryConfig(prf, BODY_TEMPERATURE_C, DriftCorrection.NONE, null, null, null, CRITICAL_LIMIT_C,
                ArrheniusModel.LIVER_MUSCLE, true);
    }

    public ThermometryConfig withDrift(DriftCorrection mode, boolean[] reference) {
        return new ThermometryConfig(prf, bodyTemperatureC, mode, reference, lesionMask, criticalMask, criticalLimitC, arrhenius,
                temporalUnwrap);
    }

    public ThermometryConfig withLesion(boolean[] lesion) {
        return new ThermometryConfig(prf, bodyTemperatureC, drift, referenceMask, lesion, criticalMask, criticalLimitC, arrhenius,
                temporalUnwrap);
    }

    public ThermometryConfig withCritical(boolean[] critical, double limitC) {
        return new ThermometryConfig(prf, bodyTemperatureC, drift, referenceMask, lesionMask, critical, limitC, arrhenius,
                temporalUnwrap);
    }

    public ThermometryConfig withArrhenius(ArrheniusModel model) {
        return new ThermometryConfig(prf, bodyTemperatureC, drift, referenceMask, lesionMask, criticalMask, criticalLimitC, model,
                temporalUnwrap);
    }

    public ThermometryConfig withTemporalUnwrap(boolean on) {
        return new ThermometryConfig(prf, bodyTemperatureC, drift, referenceMask, lesionMask, criticalMask, criticalLimitC, arrhenius,
                on);
    }

    public ThermometryConfig withBodyTemperature(double celsius) {
        return new ThermometryConfig(prf, celsius, drift, referenceMask, lesionMask, criticalMask, criticalLimitC, arrhenius,
                temporalUnwrap);
    }
}
