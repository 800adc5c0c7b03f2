package org.lesionlink.ablation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-pose computations, as pure functions of precomputed inputs (see docs/ablation.md):
 *
 * <ul>
 *   <li><b>Coverage</b>: lesion voxel centres tested against the ellipsoid inequality.
 *   <li><b>Margins</b>: the signed distance of the zone (positive inside) evaluated analytically at the
 *       lesion surface voxel centres ({@link Ellipsoid#signedDistance}; max over ellipsoids for a union),
 *       instead of a Euclidean distance transform of a rasterized zone per update.
 *   <li><b>Critical structure</b>: the zone's outside distance minimised over the structure's surface voxel
 *       centres (exact to the voxel-centre sampling of the structure; far points skipped with a
 *       bounding-sphere test), overlap counted over all structure voxel centres, and the tip's distance to
 *       the nearest structure voxel centre.
 * </ul>
 */
public final class AblationMetrics {

    private AblationMetrics() {
    }

    /** Coverage and margins of {@code lesion} by {@code zone}. */
    public static MarginSummary margins(TargetLesion lesion, AblationZone zone) {
        double[][] v = lesion.voxels();
        int covered = 0;
        for (int i = 0; i < v[0].length; i++) {
            if (zone.contains(v[0][i], v[1][i], v[2][i])) {
                covered++;
            }
        }
        double[][] s = lesion.surface();
        double[] margins = new double[s[0].length];
        for (int i = 0; i < margins.length; i++) {
            margins[i] = zone.signedDistance(s[0][i], s[1][i], s[2][i]);
        }
        return MarginSummary.of(v[0].length, covered, margins, s);
    }

    /** Distances and status of {@code structure} against {@code zone} and the given tips. */
    public static CriticalResult critical(CriticalStructure structure, AblationZone zone, List<Point3> tips,
                                          SafetyThresholds thresholds) {
        double[][] all = structure.voxels();
        int overlap = 0;
        for (int i = 0; i < all[0].length; i++) {
            if (zone.contains(all[0][i], all[1][i], all[2][i])) {
                overlap++;
            }
        }
        double[][] s = structure.surface();
        double best = Double.POSITIVE_INFINITY;
        int arg = 0;
        for (int i = 0; i < s[0].length; i++) {
            double d = zone.outsideDistance(s[0][i], s[1][i], s[2][i], best);
            if (d < best) {
                best = d;
                arg = i;
            }
        }
        double zoneDistance = overlap > 0 ? 0 : Math.max(0, best);
        double tipDistance = Double.POSITIVE_INFINITY;
        for (Point3 tip : tips) {
            if (structure.containsVoxelOf(tip)) {
                tipDistance = 0;
                break;
            }
            double d2 = Double.POSITIVE_INFINITY;
            for (int i = 0; i < s[0].length; i++) {
                double dx = s[0][i] - tip.x();
                double dy = s[1][i] - tip.y();
                double dz = s[2][i] - tip.z();
                d2 = Math.min(d2, dx * dx + dy * dy + dz * dz);
            }
            tipDistance = Math.min(tipDistance, Math.sqrt(d2));
        }
        SafetyStatus status = thresholds.classify(Math.min(zoneDistance, tipDistance), overlap > 0);
        return new CriticalResult(structure.name(), zoneDistance, tipDistance, new Point3(s[0][arg], s[1][arg], s[2][arg]),
                overlap, overlap * structure.voxelVolumeMm3() / 1000.0, status);
    }

    /**
     * All metrics for a set of ablations (their union), with warnings; {@code structure} may be null.
     */
    public static AblationResult evaluate(TargetLesion lesion, List<PlacedZone> ablations, CriticalStructure structure,
                                          SafetyThresholds thresholds) {
        if (ablations.isEmpty()) {
            throw new IllegalArgumentException("no ablation to evaluate");
        }
        List<Ellipsoid> es = new ArrayList<>();
        for (PlacedZone p : ablations) {
            es.add(p.ellipsoid());
        }
        AblationZone zone = new AblationZone(es);
        MarginSummary m = margins(lesion, zone);
        CriticalResult c = null;
        if (structure != null) {
            List<Point3> tips = new ArrayList<>();
            ablations.forEach(p -> tips.add(p.pose().tip()));
            c = critical(structure, zone, tips, thresholds);
        }
        List<String> warnings = new ArrayList<>();
        for (PlacedZone p : ablations) {
            ZoneSpec.Source src = p.spec().source();
            String what = src.rows().isEmpty() ? "a zone given by hand" : String.join(" / ", src.rows());
            if (!src.verified()) {
                warnings.add("zone from unverified data (" + what + "): check the size against the device's IFU; "
                        + "brochure zones are ex vivo and in vivo zones are usually smaller");
            }
            if (src.interpolated()) {
                warnings.add(String.format(Locale.ROOT, "zone for %s %s W %s s interpolated between table rows %s",
                        src.device(), DeviceRow.fmt(src.powerW()), DeviceRow.fmt(src.timeS()), src.rows()));
            }
            if (p.spec().offsetMm() > p.spec().c()) {
                warnings.add(String.format(Locale.ROOT,
                        "the zone does not reach the tip: its centre is %.1f mm behind the tip and its half-length is %.1f mm",
                        p.spec().offsetMm(), p.spec().c()));
            }
        }
        if (m.coveredVoxels() < m.lesionVoxels()) {
            warnings.add(String.format(Locale.ROOT, "lesion not fully covered: %.1f %% of lesion voxels inside the zone",
                    m.coveragePercent()));
        }
        if (m.minMarginMm() < MarginSummary.MARGIN_GOAL_MM) {
            warnings.add(String.format(Locale.ROOT, "minimal ablative margin %.1f mm (below %s mm) at RAS %s",
                    m.minMarginMm(), DeviceRow.fmt(MarginSummary.MARGIN_GOAL_MM), m.minMarginRas()));
        }
        if (ablations.size() > 1) {
            warnings.add("several zones: inside their union the margin is the largest single-zone depth, "
                    + "a lower bound where zones overlap");
        }
        SafetyStatus status = SafetyStatus.NOT_ASSESSED;
        if (c != null) {
            status = c.status();
            if (c.overlapVoxels() > 0) {
                warnings.add(String.format(Locale.ROOT, "STOP: the zone overlaps %s (%d voxels, %.2f ml)",
                        c.structure(), c.overlapVoxels(), c.overlapMl()));
            } else if (status != SafetyStatus.OK) {
                warnings.add(String.format(Locale.ROOT, "%s: zone %.1f mm and tip %.1f mm from %s (warn < %s mm, stop < %s mm)",
                        status, c.zoneDistanceMm(), c.tipDistanceMm(), c.structure(),
                        DeviceRow.fmt(thresholds.warnMm()), DeviceRow.fmt(thresholds.stopMm())));
            }
            if (c.tipDistanceMm() == 0) {
                warnings.add("the tip lies inside " + c.structure());
            }
        } else {
            warnings.add("no critical structure given: distances to critical structures were not assessed");
        }
        return new AblationResult(ablations, es, m, c, status, thresholds, warnings);
    }
}
