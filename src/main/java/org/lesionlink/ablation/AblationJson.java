package org.lesionlink.ablation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-ready maps (for Jackson) of the package's results, with snake_case field names and the disclaimer
 * in every object. Distances in mm, coordinates RAS mm, volumes in ml; margin fractions are shares of the
 * lesion surface voxels in [0, 1].
 */
public final class AblationJson {

    private AblationJson() {
    }

    /** The report of one evaluation (the {@code ablation-plan} command prints this). */
    public static Map<String, Object> report(AblationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        MarginSummary s = r.margins();
        m.put("coverage_percent", round(s.coveragePercent(), 3));
        m.put("lesion_voxels", s.lesionVoxels());
        m.put("covered_voxels", s.coveredVoxels());
        m.put("min_margin_mm", round(s.minMarginMm(), 3));
        m.put("min_margin_ras", xyz(s.minMarginRas()));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("lt0", round(s.fractionBelow0(), 5));
        f.put("0to5", round(s.fraction0To5(), 5));
        f.put("ge5", round(s.fractionAtLeast5(), 5));
        m.put("margin_fractions", f);
        m.put("surface_voxels", s.surfaceVoxels());
        CriticalResult c = r.critical();
        if (c != null) {
            m.put("critical_structure", c.structure());
            m.put("critical_distance_mm", round(c.zoneDistanceMm(), 3));
            m.put("tip_critical_distance_mm", round(c.tipDistanceMm(), 3));
            m.put("critical_closest_ras", xyz(c.closestStructurePoint()));
            m.put("critical_overlap_voxels", c.overlapVoxels());
            m.put("critical_overlap_ml", round(c.overlapMl(), 4));
        }
        m.put("status", r.status().name());
        m.put("thresholds_mm", Map.of("warn", r.thresholds().warnMm(), "stop", r.thresholds().stopMm()));
        List<Map<String, Object>> zones = new ArrayList<>();
        for (int i = 0; i < r.ablations().size(); i++) {
            zones.add(zone(r.ablations().get(i), r.ellipsoids().get(i)));
        }
        m.put("zone", zones.get(zones.size() - 1));
        if (zones.size() > 1) {
            m.put("zones", zones);
        }
        m.put("warnings", r.warnings());
        m.put("disclaimer", AblationResult.DISCLAIMER);
        return m;
    }

    /** A monitor update: the report of the result used plus the stale flag. */
    public static Map<String, Object> update(AblationMonitor.Update u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stale", u.stale());
        m.put("pose_age_ms", round(u.poseAgeMs(), 3));
        if (!u.message().isEmpty()) {
            m.put("message", u.message());
        }
        m.put("compute_ms", round(u.computeNanos() / 1e6, 3));
        if (u.result() != null) {
            m.put("result", report(u.result()));
        }
        m.put("disclaimer", AblationResult.DISCLAIMER);
        return m;
    }

    static Map<String, Object> zone(PlacedZone p, Ellipsoid e) {
        Map<String, Object> z = new LinkedHashMap<>();
        ZoneSpec s = p.spec();
        z.put("semi_axes_mm", new double[] {round(s.a(), 4), round(s.b(), 4), round(s.c(), 4)});
        z.put("offset_mm", round(s.offsetMm(), 4));
        z.put("centre_ras", xyz(e.centre()));
        z.put("tip_ras", xyz(p.pose().tip()));
        z.put("direction_ras", xyz(p.pose().direction(), 6));
        z.put("probe_x_ras", xyz(e.xAxis(), 6));
        z.put("volume_ml", round(s.volumeMl(), 4));
        ZoneSpec.Source src = s.source();
        Map<String, Object> so = new LinkedHashMap<>();
        so.put("device", src.device());
        if (!Double.isNaN(src.powerW())) {
            so.put("power_w", src.powerW());
            so.put("time_s", src.timeS());
        }
        so.put("rows", src.rows());
        so.put("interpolated", src.interpolated());
        so.put("provenance", src.provenance());
        so.put("verified", src.verified());
        z.put("source", so);
        return z;
    }

    static double[] xyz(Point3 p) {
        return xyz(p, 3);
    }

    static double[] xyz(Point3 p, int digits) {
        return new double[] {round(p.x(), digits), round(p.y(), digits), round(p.z(), digits)};
    }

    /** {@code v} rounded to {@code digits} decimals (non-finite values unchanged). */
    public static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double s = Math.pow(10, digits);
        return Math.rint(v * s) / s;
    }
}
