package org.lesionlink.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.lesionlink.ablation.DeviceTable;
import org.lesionlink.ablation.SafetyThresholds;
import org.lesionlink.ablation.ZoneSpec;

/**
 * The settings of one connection's ablation monitoring (server-conventions.md section 7.3, command
 * {@code AblationPlan}). Immutable; {@link #with} applies a command's arguments on top of the current plan,
 * so a client may change only the power. Every problem is an {@link IllegalArgumentException} naming the
 * argument.
 *
 * @param zone the live zone (from the device table or given), or null until a plan names one
 * @param probe device name of the probe pose TRANSFORM (PLUS naming, {@code <Tool>To<Reference>})
 * @param registration device name of an optional TRANSFORM from the tracker's reference frame to RAS
 * @param probeAxis the probe's direction of insertion in its own frame: {@code +z}, {@code -z}, {@code +x}, ...
 * @param thresholds OK/WARN/STOP distances to the critical structure
 * @param maxPoseAge poses older than this are flagged stale and not used
 * @param headerClock whether a pose's age is taken from its header timestamp (synchronised clocks) rather than
 *     from its receipt
 * @param lesionLabel lesion label in the lesion labelmap (null: every non-zero voxel, or the lesion labels of
 *     a segmentation)
 * @param criticalLabel critical-structure label (null: every non-zero voxel of a critical IMAGE, or the
 *     {@code canal}/{@code cord} label of a segmentation)
 * @param criticalName name used in messages
 * @param regionMarginMm the zone labelmap's grid: the lesion's bounding box grown by this much
 * @param labelmap whether each update sends the zone labelmap IMAGE (the surface and metrics always go)
 */
record AblationPlan(ZoneSpec zone, String probe, String registration, int[] probeAxis, SafetyThresholds thresholds,
                    Duration maxPoseAge, boolean headerClock, Integer lesionLabel, Integer criticalLabel, String criticalName,
                    double regionMarginMm, boolean labelmap) {

    static final String DEFAULT_PROBE = "NeedleToReference";
    static final String DEFAULT_REGISTRATION = "ReferenceToRas";
    static final Set<String> KEYS = Set.of("device", "power", "time", "zone", "probe", "registration", "probeAxis",
            "warnMm", "stopMm", "maxPoseAgeMs", "poseClock", "lesionLabel", "criticalLabel", "criticalName", "regionMarginMm",
            "labelmap");

    static final AblationPlan DEFAULT = new AblationPlan(null, DEFAULT_PROBE, DEFAULT_REGISTRATION, new int[] {2, 1},
            SafetyThresholds.DEFAULT, Duration.ofMillis(500), false, null, null, "critical structure", 30, true);

    /** This plan with the arguments of an {@code AblationPlan} command applied. */
    AblationPlan with(ObjectNode args, DeviceTable devices) {
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown AblationPlan argument '" + k + "'; known: " + KEYS.stream().sorted().toList());
            }
        }
        ZoneSpec z = zone;
        boolean byDevice = args.has("device") || args.has("power") || args.has("time");
        if (args.has("zone")) {
            if (byDevice) {
                throw new IllegalArgumentException("give either device, power and time, or zone [a, b, c, offset], not both");
            }
            JsonNode a = args.get("zone");
            if (!a.isArray() || a.size() != 4 || !allNumbers(a)) {
                throw new IllegalArgumentException("zone must be [a, b, c, offset] in mm (semi-axes along probe x, probe y, "
                        + "the applicator axis, and the centre's offset behind the tip), got " + a);
            }
            z = ZoneSpec.manual(a.get(0).asDouble(), a.get(1).asDouble(), a.get(2).asDouble(), a.get(3).asDouble());
        } else if (byDevice) {
            if (!args.path("device").isTextual() || !args.path("power").isNumber() || !args.path("time").isNumber()) {
                throw new IllegalArgumentException("a device zone needs all of device (text), power (W) and time (s); got "
                        + args);
            }
            String device = args.get("device").asText();
            if (!devices.devices().contains(device)) {
                throw new IllegalArgumentException("unknown ablation device '" + device + "'; known: " + devices.devices());
            }
            z = devices.lookup(device, args.get("power").asDouble(), args.get("time").asDouble());
        }
        double warn = number(args, "warnMm", thresholds.warnMm());
        double stop = number(args, "stopMm", thresholds.stopMm());
        double ageMs = number(args, "maxPoseAgeMs", maxPoseAge.toNanos() / 1e6);
        if (!(ageMs > 0) || !Double.isFinite(ageMs)) {
            throw new IllegalArgumentException("maxPoseAgeMs must be positive, got " + ageMs);
        }
        boolean header = headerClock;
        if (args.has("poseClock")) {
            String c = args.get("poseClock").asText();
            if (!c.equals("receipt") && !c.equals("header")) {
                throw new IllegalArgumentException("poseClock must be 'receipt' or 'header', got '" + c + "'");
            }
            header = c.equals("header");
        }
        double margin = number(args, "regionMarginMm", regionMarginMm);
        if (!(margin >= 0) || margin > 200) {
            throw new IllegalArgumentException("regionMarginMm must be within 0..200 mm, got " + margin);
        }
        return new AblationPlan(z, name(args, "probe", probe), name(args, "registration", registration),
                args.has("probeAxis") ? axis(args.get("probeAxis").asText()) : probeAxis, new SafetyThresholds(warn, stop),
                Duration.ofNanos((long) (ageMs * 1e6)), header, label(args, "lesionLabel", lesionLabel),
                label(args, "criticalLabel", criticalLabel),
                args.has("criticalName") ? args.get("criticalName").asText() : criticalName, margin,
                args.has("labelmap") ? bool(args, "labelmap") : labelmap);
    }

    /** {@code probeAxis} as text, e.g. {@code +z}. */
    String axisText() {
        return (probeAxis[1] > 0 ? "+" : "-") + "xyz".charAt(probeAxis[0]);
    }

    private static int[] axis(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.length() == 1) {
            t = "+" + t;
        }
        if (t.length() != 2 || "+-".indexOf(t.charAt(0)) < 0 || "xyz".indexOf(t.charAt(1)) < 0) {
            throw new IllegalArgumentException("probeAxis must be one of +x, -x, +y, -y, +z, -z, got '" + s + "'");
        }
        return new int[] {"xyz".indexOf(t.charAt(1)), t.charAt(0) == '+' ? 1 : -1};
    }

    private static boolean allNumbers(JsonNode a) {
        for (JsonNode n : a) {
            if (!n.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static double number(ObjectNode args, String key, double current) {
        if (!args.has(key)) {
            return current;
        }
        if (!args.get(key).isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + args.get(key));
        }
        return args.get(key).asDouble();
    }

    private static boolean bool(ObjectNode args, String key) {
        if (!args.get(key).isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + args.get(key));
        }
        return args.get(key).asBoolean();
    }

    private static Integer label(ObjectNode args, String key, Integer current) {
        if (!args.has(key)) {
            return current;
        }
        JsonNode n = args.get(key);
        if (n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 255) {
            throw new IllegalArgumentException(key + " must be a label value 1..255 (or null), got " + n);
        }
        return n.asInt();
    }

    private static String name(ObjectNode args, String key, String current) {
        if (!args.has(key)) {
            return current;
        }
        String s = args.get(key).asText("");
        if (s.isEmpty() || s.length() > 20) {
            throw new IllegalArgumentException(key + " must be a device name of 1..20 characters, got '" + s + "'");
        }
        return s;
    }
}
