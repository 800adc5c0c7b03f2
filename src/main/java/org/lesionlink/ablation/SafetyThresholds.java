package org.lesionlink.ablation;

/**
 * Distance thresholds for the critical-structure status: STOP below {@code stopMm} (or when the zone overlaps
 * the structure), WARN below {@code warnMm}, OK otherwise. Defaults 10 and 5 mm: the 10 mm figure follows
 * the spine literature's "close to the cord" inclusion criteria (a rule of thumb, not a validated
 * threshold); the 5 mm STOP default is a configurable placeholder. See docs/ablation.md.
 */
public record SafetyThresholds(double warnMm, double stopMm) {

    public static final SafetyThresholds DEFAULT = new SafetyThresholds(10, 5);

    public SafetyThresholds {
        if (!Double.isFinite(warnMm) || !Double.isFinite(stopMm) || stopMm < 0 || warnMm < stopMm) {
            throw new IllegalArgumentException("thresholds need 0 <= stop <= warn (mm), got warn " + warnMm + ", stop " + stopMm);
        }
    }

    /** The status for a distance (mm) and whether the zone overlaps the structure. */
    public SafetyStatus classify(double distanceMm, boolean overlaps) {
        if (overlaps || distanceMm < stopMm) {
            return SafetyStatus.STOP;
        }
        return distanceMm < warnMm ? SafetyStatus.WARN : SafetyStatus.OK;
    }
}
