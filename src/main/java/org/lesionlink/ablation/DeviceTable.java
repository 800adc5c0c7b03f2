package org.lesionlink.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Device tables: predicted zone ellipsoids per device, power and time, with their provenance.
 *
 * <p><b>File format</b> ({@code lesionlink-ablation-devices/1}, JSON): an object with {@code devices}, a list
 * of objects with {@code device}, optional {@code modality}, {@code tissue}, {@code provenance},
 * {@code verified} and {@code rows}; each row has {@code power_w}, {@code time_s}, {@code semi_axes_mm}
 * ({@code [a, b, c]}: probe x, probe y, applicator axis) and {@code offset_mm} (centre behind the tip), and
 * may override the device's {@code provenance} and {@code verified}. The built-in table
 * ({@code devices.json} next to this class) holds example brochure rows, all {@code verified: false}.
 * {@link #withFile} adds a user file: a device named there replaces the built-in device of that name
 * entirely, so each device's grid comes from one file.
 *
 * <p><b>Interpolation.</b> {@link #lookup} interpolates bilinearly over (power, time) on the device's own
 * grid: it brackets the requested power between the nearest table powers {@code p0 <= P <= p1} and the time
 * between {@code t0 <= T <= t1}, and blends each of {@code a, b, c} and the offset with weights
 * {@code (1-u)(1-v), u(1-v), (1-u)v, uv} where {@code u = (P-p0)/(p1-p0)}, {@code v = (T-t0)/(t1-t0)}
 * (0 when the bracket is a single value). All four corner rows must exist. A request outside
 * {@code [min power, max power] x [min time, max time]} is refused, never extrapolated.
 */
public final class DeviceTable {

    public static final String SCHEMA = "lesionlink-ablation-devices/1";
    private static final String BUILT_IN = "devices.json";

    private final Map<String, List<DeviceRow>> devices; // lower-case id -> rows

    private DeviceTable(Map<String, List<DeviceRow>> devices) {
        this.devices = devices;
    }

    /** The example table shipped with LesionLink. */
    public static DeviceTable builtIn() {
        try (InputStream in = DeviceTable.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("built-in device table " + BUILT_IN + " is missing from the classpath");
            }
            return new DeviceTable(parse(new ObjectMapper().readTree(in), "built-in " + BUILT_IN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table read from one JSON file only. */
    public static DeviceTable fromFile(Path file) throws IOException {
        return new DeviceTable(parse(new ObjectMapper().readTree(Files.readAllBytes(file)), file.toString()));
    }

    /** A table from rows given in code (tests, the server). */
    public static DeviceTable of(List<DeviceRow> rows) {
        Map<String, List<DeviceRow>> m = new LinkedHashMap<>();
        for (DeviceRow r : rows) {
            m.computeIfAbsent(key(r.device()), k -> new ArrayList<>()).add(r);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        checkDuplicates(m, "rows");
        return new DeviceTable(m);
    }

    /** This table plus the devices in {@code file}; a device named in the file replaces this table's. */
    public DeviceTable withFile(Path file) throws IOException {
        Map<String, List<DeviceRow>> m = new LinkedHashMap<>(devices);
        m.putAll(fromFile(file).devices);
        return new DeviceTable(m);
    }

    /** Device ids, in table order. */
    public List<String> devices() {
        List<String> ids = new ArrayList<>();
        devices.values().forEach(rows -> ids.add(rows.get(0).device()));
        return ids;
    }

    /** The rows of one device (case-insensitive), or an error listing the known devices. */
    public List<DeviceRow> rows(String device) {
        List<DeviceRow> rows = devices.get(key(device));
        if (rows == null) {
            throw new IllegalArgumentException("unknown device '" + device + "'; the device table has "
                    + String.join(", ", devices()));
        }
        return rows;
    }

    /**
     * The zone for {@code device} at {@code powerW} and {@code timeS}, interpolated bilinearly between
     * table rows; refuses (IllegalArgumentException naming the valid range) outside the device's grid.
     */
    public ZoneSpec lookup(String device, double powerW, double timeS) {
        List<DeviceRow> rows = rows(device);
        String name = rows.get(0).device();
        TreeSet<Double> powers = new TreeSet<>();
        TreeSet<Double> times = new TreeSet<>();
        for (DeviceRow r : rows) {
            powers.add(r.powerW());
            times.add(r.timeS());
        }
        if (!Double.isFinite(powerW) || powerW < powers.first() || powerW > powers.last()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "power %s W is outside the table range of %s (%s W); extrapolation is refused",
                    DeviceRow.fmt(powerW), name, range(powers)));
        }
        if (!Double.isFinite(timeS) || timeS < times.first() || timeS > times.last()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "time %s s is outside the table range of %s (%s s); extrapolation is refused",
                    DeviceRow.fmt(timeS), name, range(times)));
        }
        double p0 = powers.floor(powerW);
        double p1 = powers.ceiling(powerW);
        double t0 = times.floor(timeS);
        double t1 = times.ceiling(timeS);
        double u = p1 > p0 ? (powerW - p0) / (p1 - p0) : 0;
        double v = t1 > t0 ? (timeS - t0) / (t1 - t0) : 0;
        double[][] corners = {{p0, t0, (1 - u) * (1 - v)}, {p1, t0, u * (1 - v)}, {p0, t1, (1 - u) * v}, {p1, t1, u * v}};
        double a = 0;
        double b = 0;
        double c = 0;
        double off = 0;
        List<String> used = new ArrayList<>();
        List<String> provenances = new ArrayList<>();
        boolean verified = true;
        for (double[] k : corners) {
            DeviceRow r = find(rows, k[0], k[1]);
            if (r == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s has no row at %s W %s s, needed to interpolate %s W %s s; its rows do not form a full power x time grid there",
                        name, DeviceRow.fmt(k[0]), DeviceRow.fmt(k[1]), DeviceRow.fmt(powerW), DeviceRow.fmt(timeS)));
            }
            double w = k[2];
            if (w == 0) {
                continue;
            }
            a += w * r.a();
            b += w * r.b();
            c += w * r.c();
            off += w * r.offsetMm();
            if (!used.contains(r.label())) {
                used.add(r.label());
                verified &= r.verified();
                if (!provenances.contains(r.provenance())) {
                    provenances.add(r.provenance());
                }
            }
        }
        boolean interpolated = used.size() > 1;
        return new ZoneSpec(a, b, c, off, new ZoneSpec.Source(name, powerW, timeS, used,
                String.join("; ", provenances), verified, interpolated));
    }

    private static DeviceRow find(List<DeviceRow> rows, double p, double t) {
        for (DeviceRow r : rows) {
            if (r.powerW() == p && r.timeS() == t) {
                return r;
            }
        }
        return null;
    }

    private static String range(TreeSet<Double> values) {
        return values.size() == 1 ? DeviceRow.fmt(values.first())
                : DeviceRow.fmt(values.first()) + " to " + DeviceRow.fmt(values.last());
    }

    private static String key(String device) {
        return device.trim().toLowerCase(Locale.ROOT);
    }

    private static Map<String, List<DeviceRow>> parse(JsonNode root, String where) {
        if (!root.isObject() || !root.path("devices").isArray()) {
            throw new IllegalArgumentException(where + ": a device table is a JSON object with a 'devices' list");
        }
        String schema = root.path("schema").asText(SCHEMA);
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException(where + ": unsupported schema '" + schema + "', expected " + SCHEMA);
        }
        Map<String, List<DeviceRow>> m = new LinkedHashMap<>();
        for (JsonNode d : root.get("devices")) {
            String device = text(d, "device", null, where);
            if (device == null || device.isBlank()) {
                throw new IllegalArgumentException(where + ": a device entry has no 'device' name");
            }
            String modality = text(d, "modality", "", where);
            String tissue = text(d, "tissue", "", where);
            String provenance = text(d, "provenance", null, where);
            boolean verified = d.path("verified").asBoolean(false);
            if (!d.path("rows").isArray() || d.get("rows").isEmpty()) {
                throw new IllegalArgumentException(where + ": device '" + device + "' has no 'rows'");
            }
            List<DeviceRow> rows = new ArrayList<>();
            for (JsonNode r : d.get("rows")) {
                JsonNode axes = r.path("semi_axes_mm");
                if (!axes.isArray() || axes.size() != 3) {
                    throw new IllegalArgumentException(where + ": device '" + device
                            + "': every row needs semi_axes_mm [a, b, c] (probe x, probe y, applicator axis)");
                }
                rows.add(new DeviceRow(device, modality, tissue, number(r, "power_w", device, where), number(r, "time_s", device, where),
                        axes.get(0).asDouble(), axes.get(1).asDouble(), axes.get(2).asDouble(),
                        number(r, "offset_mm", device, where), text(r, "provenance", provenance, where),
                        r.has("verified") ? r.get("verified").asBoolean() : verified));
            }
            if (m.put(key(device), List.copyOf(rows)) != null) {
                throw new IllegalArgumentException(where + ": device '" + device + "' is listed twice");
            }
        }
        checkDuplicates(m, where);
        return Collections.unmodifiableMap(m);
    }

    private static void checkDuplicates(Map<String, List<DeviceRow>> m, String where) {
        for (List<DeviceRow> rows : m.values()) {
            for (int i = 0; i < rows.size(); i++) {
                for (int j = i + 1; j < rows.size(); j++) {
                    if (rows.get(i).powerW() == rows.get(j).powerW() && rows.get(i).timeS() == rows.get(j).timeS()) {
                        throw new IllegalArgumentException(where + ": " + rows.get(i).label() + " appears twice");
                    }
                }
            }
        }
    }

    private static String text(JsonNode n, String field, String fallback, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String field, String device, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + ": device '" + device + "': every row needs a number '" + field + "'");
        }
        return v.asDouble();
    }
}
