package org.lesionlink.ablation;

import java.util.List;

/**
 * Everything computed for one set of ablations (one pose update). Decision support, not a treatment plan:
 * see {@link #DISCLAIMER}.
 *
 * @param ablations the zones and poses evaluated (their union is the zone)
 * @param ellipsoids the zones in RAS, in the same order
 * @param margins coverage and margins
 * @param critical distances to the critical structure, or null when none was given
 * @param status the critical-structure status ({@link SafetyStatus#NOT_ASSESSED} without a structure)
 * @param thresholds the thresholds used
 * @param warnings human-readable warnings
 */
public record AblationResult(List<PlacedZone> ablations, List<Ellipsoid> ellipsoids, MarginSummary margins,
                             CriticalResult critical, SafetyStatus status, SafetyThresholds thresholds,
                             List<String> warnings) {

    /** Shown with every output of this package. */
    public static final String DISCLAIMER = "Decision support only, NOT a treatment planning system: "
            + "predicted zones are rigid ellipsoids from (unverified) manufacturer data without perfusion or heat-sink "
            + "effects; every value must be checked by the treating physician against imaging and the device's "
            + "instructions for use.";

    public AblationResult {
        ablations = List.copyOf(ablations);
        ellipsoids = List.copyOf(ellipsoids);
        warnings = List.copyOf(warnings);
    }

    public AblationZone zone() {
        return new AblationZone(ellipsoids);
    }
}
