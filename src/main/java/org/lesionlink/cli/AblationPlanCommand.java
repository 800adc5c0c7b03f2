package org.lesionlink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lesionlink.ablation.AblationJson;
import org.lesionlink.ablation.AblationMetrics;
import org.lesionlink.ablation.AblationResult;
import org.lesionlink.ablation.AblationZone;
import org.lesionlink.ablation.CriticalStructure;
import org.lesionlink.ablation.DeviceTable;
import org.lesionlink.ablation.PlacedZone;
import org.lesionlink.ablation.Point3;
import org.lesionlink.ablation.ProbePose;
import org.lesionlink.ablation.SafetyThresholds;
import org.lesionlink.ablation.TargetLesion;
import org.lesionlink.ablation.ZoneSpec;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lesionlink ablation-plan}: coverage, margins and critical-structure distances of one predicted
 * ablation zone at a given applicator pose (docs/ablation.md). Decision support, not treatment planning.
 */
@Command(name = "ablation-plan", mixinStandardHelpOptions = true,
        description = {"Predicted ablation zone at a probe pose: lesion coverage, minimal ablative margin, surface margin "
                + "fractions and distances to a critical structure (OK/WARN/STOP). All coordinates RAS mm.",
                "DECISION SUPPORT ONLY, NOT A TREATMENT PLANNING SYSTEM: zones are rigid ellipsoids from unverified "
                        + "manufacturer data; check every value against imaging and the device's instructions for use."})
final class AblationPlanCommand implements Callable<Integer> {

    @Option(names = "--lesion", paramLabel = "SEG.nii.gz", description = "Labelmap holding the lesion (required unless --list-devices).")
    Path lesion;

    @Option(names = "--label", paramLabel = "N", description = "Lesion label (default: every non-zero voxel).")
    Integer label;

    @Option(names = "--critical", paramLabel = "SEG.nii.gz",
            description = "Labelmap holding the critical structure (spinal canal/cord, or a brain structure); any grid.")
    Path critical;

    @Option(names = "--critical-label", paramLabel = "M", description = "Critical-structure label (default: every non-zero voxel).")
    Integer criticalLabel;

    @Option(names = "--critical-name", paramLabel = "NAME", description = "Name used in messages (default: 'critical structure').")
    String criticalName;

    @Option(names = "--device", paramLabel = "NAME", description = "Device id in the device table (see --list-devices).")
    String device;

    @Option(names = "--power", paramLabel = "W", description = "Generator power in W.")
    Double power;

    @Option(names = "--time", paramLabel = "S", description = "Ablation time in s.")
    Double time;

    @Option(names = "--zone", split = ",", paramLabel = "A,B,C,OFFSET",
            description = "Zone given directly: semi-axes along the probe x, probe y and applicator axis, and the centre's "
                    + "offset behind the tip (mm); replaces --device/--power/--time.")
    double[] zone;

    @Option(names = "--devices", paramLabel = "FILE", description = "Extra device table (JSON, docs/ablation.md); its devices "
            + "replace built-in ones of the same name.")
    Path devices;

    @Option(names = "--list-devices", description = "Print the device table's rows and exit.")
    boolean listDevices;

    @Option(names = "--tip", split = ",", paramLabel = "X,Y,Z", description = "Applicator tip, RAS mm.")
    double[] tip;

    @Option(names = "--direction", split = ",", paramLabel = "DX,DY,DZ",
            description = "Direction of insertion (shaft towards tip), RAS; normalised.")
    double[] direction;

    @Option(names = "--roll", defaultValue = "0", paramLabel = "DEG",
            description = "Roll of the probe x axis about the direction, degrees (default 0; matters only for a != b).")
    double rollDegrees;

    @Option(names = "--warn-mm", defaultValue = "10", paramLabel = "MM", description = "WARN below this distance (default 10).")
    double warnMm;

    @Option(names = "--stop-mm", defaultValue = "5", paramLabel = "MM", description = "STOP below this distance or on overlap (default 5).")
    double stopMm;

    @Option(names = "--zone-out", paramLabel = "ZONE.nii.gz", description = "Write the zone as a uint8 labelmap (1) on the lesion's grid.")
    Path zoneOut;

    @Option(names = "--zone-pad", paramLabel = "MM", description = "Write --zone-out on the lesion's bounding box grown by MM "
            + "(same voxel grid, may reach past the image) instead of the whole lesion image grid.")
    Double zonePad;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            DeviceTable table = devices == null ? DeviceTable.builtIn() : DeviceTable.builtIn().withFile(devices);
            if (listDevices) {
                list(table, out);
                return 0;
            }
            return run(table, out);
        } catch (IllegalArgumentException e) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "ERROR");
                m.put("error", e.getMessage());
                m.put("disclaimer", AblationResult.DISCLAIMER);
                out.println(new ObjectMapper().writeValueAsString(m));
                out.flush();
            }
            throw e;
        }
    }

    private int run(DeviceTable table, PrintWriter out) throws Exception {
        if (lesion == null) {
            throw new IllegalArgumentException("--lesion SEG.nii.gz is required");
        }
        ZoneSpec spec = zoneSpec(table);
        if (tip == null || direction == null) {
            throw new IllegalArgumentException("--tip X,Y,Z and --direction DX,DY,DZ are required");
        }
        ProbePose pose = new ProbePose(point("--tip", tip), point("--direction", direction), Math.toRadians(rollDegrees));
        SafetyThresholds thresholds = new SafetyThresholds(warnMm, stopMm);
        NiftiReader reader = new NiftiReader();
        Volume lesionLabels = reader.readVolume(lesion);
        TargetLesion target = TargetLesion.of(lesionLabels, label);
        CriticalStructure structure = null;
        if (critical != null) {
            String name = criticalName != null ? criticalName
                    : "critical structure" + (criticalLabel == null ? "" : " (label " + criticalLabel + ")");
            structure = CriticalStructure.of(name, reader.readVolume(critical), criticalLabel);
        } else if (criticalLabel != null || criticalName != null) {
            throw new IllegalArgumentException("--critical-label and --critical-name need --critical SEG.nii.gz");
        }
        PlacedZone placed = new PlacedZone(spec, pose);
        AblationResult result = AblationMetrics.evaluate(target, List.of(placed), structure, thresholds);
        Map<String, Object> report = AblationJson.report(result);
        if (zoneOut != null) {
            AblationZone z = result.zone();
            Volume labels = z.rasterize(zonePad == null ? lesionLabels.geometry() : target.paddedRegion(zonePad), 1);
            new NiftiWriter().withDescription("LesionLink ablation zone (decision support)").write(labels, zoneOut);
            int inside = 0;
            byte[] v = new byte[labels.voxelsPerChannel()];
            labels.data(0).get(v);
            for (byte b : v) {
                inside += b != 0 ? 1 : 0;
            }
            double voxelMl = Math.abs(labels.geometry().ijkToRas().determinant3()) / 1000;
            @SuppressWarnings("unchecked")
            Map<String, Object> zoneMap = (Map<String, Object>) report.get("zone");
            zoneMap.put("labelmap", zoneOut.toString());
            zoneMap.put("rasterized_volume_ml", Math.rint(inside * voxelMl * 1e4) / 1e4);
            if (inside * voxelMl < 0.98 * spec.volumeMl()) {
                @SuppressWarnings("unchecked")
                List<String> w = new ArrayList<>((List<String>) report.get("warnings"));
                w.add(String.format(Locale.ROOT, "the zone labelmap holds %.2f of %.2f ml: the zone extends beyond its grid",
                        inside * voxelMl, spec.volumeMl()));
                report.put("warnings", w);
            }
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            text(report, out);
        }
        out.flush();
        return 0;
    }

    private ZoneSpec zoneSpec(DeviceTable table) {
        if (zone != null) {
            if (zone.length != 4) {
                throw new IllegalArgumentException("--zone takes four values A,B,C,OFFSET (mm), got " + zone.length);
            }
            if (device != null || power != null || time != null) {
                throw new IllegalArgumentException("--zone replaces --device/--power/--time; give one or the other");
            }
            return ZoneSpec.manual(zone[0], zone[1], zone[2], zone[3]);
        }
        if (device == null || power == null || time == null) {
            throw new IllegalArgumentException("give --device, --power and --time (or --zone A,B,C,OFFSET)");
        }
        return table.lookup(device, power, time);
    }

    private static Point3 point(String option, double[] v) {
        if (v.length != 3) {
            throw new IllegalArgumentException(option + " takes three values x,y,z, got " + v.length);
        }
        return new Point3(v[0], v[1], v[2]);
    }

    private static void list(DeviceTable table, PrintWriter out) {
        out.println("DECISION SUPPORT ONLY, NOT A TREATMENT PLANNING SYSTEM. Semi-axes a,b (radial), c (axial); offset behind tip; mm.");
        for (String d : table.devices()) {
            table.rows(d).forEach(r -> out.printf(Locale.ROOT, "%-14s %6s W %6s s  a=%.1f b=%.1f c=%.1f offset=%.1f  verified=%s  %s%n",
                    r.device(), fmt(r.powerW()), fmt(r.timeS()), r.a(), r.b(), r.c(), r.offsetMm(), r.verified(), r.provenance()));
        }
        out.flush();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @SuppressWarnings("unchecked")
    private static void text(Map<String, Object> r, PrintWriter out) {
        out.println("DECISION SUPPORT ONLY, NOT A TREATMENT PLANNING SYSTEM.");
        Map<String, Object> z = (Map<String, Object>) r.get("zone");
        Map<String, Object> src = (Map<String, Object>) z.get("source");
        double[] ax = (double[]) z.get("semi_axes_mm");
        out.printf(Locale.ROOT, "zone: %s, semi-axes %.1f/%.1f/%.1f mm, offset %.1f mm, %.2f ml, verified %s%n",
                src.get("rows").toString().equals("[]") ? src.get("device") : src.get("rows"), ax[0], ax[1], ax[2],
                (double) z.get("offset_mm"), (double) z.get("volume_ml"), src.get("verified"));
        out.printf(Locale.ROOT, "coverage: %.1f %% of lesion voxels%n", (double) r.get("coverage_percent"));
        double[] at = (double[]) r.get("min_margin_ras");
        out.printf(Locale.ROOT, "minimal ablative margin: %.2f mm at RAS (%.1f, %.1f, %.1f)%n", (double) r.get("min_margin_mm"),
                at[0], at[1], at[2]);
        Map<String, Object> f = (Map<String, Object>) r.get("margin_fractions");
        out.printf(Locale.ROOT, "surface margin: <0 mm %.1f %%, 0-5 mm %.1f %%, >=5 mm %.1f %%%n", 100 * (double) f.get("lt0"),
                100 * (double) f.get("0to5"), 100 * (double) f.get("ge5"));
        if (r.containsKey("critical_distance_mm")) {
            out.printf(Locale.ROOT, "%s: zone %.2f mm, tip %.2f mm%n", r.get("critical_structure"),
                    (double) r.get("critical_distance_mm"), (double) r.get("tip_critical_distance_mm"));
        }
        out.println("status: " + r.get("status"));
        for (String w : (List<String>) r.get("warnings")) {
            out.println("warning: " + w);
        }
        out.println(r.get("disclaimer"));
    }
}
