package org.lesionlink.server;

import static org.lesionlink.server.ConfigJson.bool;
import static org.lesionlink.server.ConfigJson.check;
import static org.lesionlink.server.ConfigJson.integer;
import static org.lesionlink.server.ConfigJson.number;
import static org.lesionlink.server.ConfigJson.strings;
import static org.lesionlink.server.ConfigJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of {@code lesionlink serve}. Read from a JSON or YAML file ({@code .yaml}/{@code .yml}: the same
 * keys and value types) whose keys are the component names below
 * (unknown keys are refused, so a typo is not silently ignored), then overridden by command-line options.
 * Every problem is reported as {@link IllegalArgumentException} naming the key.
 *
 * @param bindAddress address all listeners bind to
 * @param igtlPort OpenIGTLink port (0 = ephemeral)
 * @param dicomPort DICOM storage SCP port (0 = ephemeral; -1 = no DICOM listener)
 * @param aeTitle the server's DICOM AE title (1..16 characters)
 * @param httpPort HTTP port for health, metrics, jobs and reports (0 = ephemeral; -1 = no HTTP)
 * @param models models directory (null = the CLI's default: models/ next to the jar, else ./models)
 * @param storage where job reports, pictures and the DICOM journal go
 * @param dicomDestinations where DICOM SEG results are sent, each {@code AET@HOST:PORT}
 * @param workers segmentation workers, each with its own resident copy of the models it used
 * @param queueCapacity queued jobs at most; more are refused with a STATUS (never dropped)
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param tta mirroring test-time augmentation
 * @param threadsPerWorker sliding-window threads per worker (0 = automatic)
 * @param studyQuietSeconds a DICOM study is complete after this many seconds without a new instance
 * @param smoothingIterations Taubin iterations on the POLYDATA surfaces
 * @param limits message, connection and study limits (JSON object {@code limits}, see {@link ServerLimits})
 * @param security access control, TLS and audit ({@link SecurityConfig}, key {@code security})
 */
public record ServerConfig(
        String bindAddress,
        int igtlPort,
        int dicomPort,
        String aeTitle,
        int httpPort,
        Path models,
        Path storage,
        List<String> dicomDestinations,
        int workers,
        int queueCapacity,
        String device,
        boolean tta,
        int threadsPerWorker,
        double studyQuietSeconds,
        int smoothingIterations,
        ServerLimits limits, SecurityConfig security) {

    private static final Pattern DESTINATION = Pattern.compile("([^@\\s]{1,16})@([^:\\s]+):(\\d{1,5})");
    private static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");

    /** A parsed {@code AET@HOST:PORT}. */
    public record Destination(String aeTitle, String host, int port) {
        public static Destination parse(String s) {
            Matcher m = DESTINATION.matcher(s);
            if (!m.matches() || Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535) {
                throw new IllegalArgumentException("dicomDestinations: expected AET@HOST:PORT, got '" + s + "'");
            }
            return new Destination(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
        }

        @Override
        public String toString() {
            return aeTitle + "@" + host + ":" + port;
        }
    }

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(security, "security");
        dicomDestinations = List.copyOf(dicomDestinations);
        port("igtlPort", igtlPort, false);
        port("dicomPort", dicomPort, true);
        port("httpPort", httpPort, true);
        check(aeTitle != null && !aeTitle.isBlank() && aeTitle.length() <= 16 && aeTitle.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '\\'),
                "aeTitle", "must be 1..16 printable ASCII characters, got '" + aeTitle + "'");
        dicomDestinations.forEach(Destination::parse);
        check(workers >= 1 && workers <= 64, "workers", "must be 1..64, got " + workers);
        check(queueCapacity >= 1, "queueCapacity", "must be at least 1, got " + queueCapacity);
        check(device != null && DEVICES.contains(device), "device", "must be auto, cpu or gpu, got '" + device + "'");
        check(threadsPerWorker >= 0, "threadsPerWorker", "must be >= 0, got " + threadsPerWorker);
        check(studyQuietSeconds > 0 && studyQuietSeconds <= 3600, "studyQuietSeconds", "must be in (0, 3600], got " + studyQuietSeconds);
        check(smoothingIterations >= 0 && smoothingIterations <= 1000, "smoothingIterations",
                "must be 0..1000, got " + smoothingIterations);
        Objects.requireNonNull(limits, "limits");
    }

    private static void port(String key, int p, boolean allowOff) {
        check(p >= (allowOff ? -1 : 0) && p <= 65535, key, "must be " + (allowOff ? "-1 (off), " : "") + "0 (ephemeral) or 1..65535, got " + p);
    }

    public List<Destination> destinations() {
        return dicomDestinations.stream().map(Destination::parse).toList();
    }

    /** Defaults: OpenIGTLink 18944, DICOM 11112 as LESIONLINK, HTTP 8080, storage ./lesionlink-data. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 18944, 11112, "LESIONLINK", 8080, null, Path.of("lesionlink-data"), List.of(),
                1, 16, "auto", false, 0, 5.0, 30, ServerLimits.defaults(),
                SecurityConfig.defaults());
    }

    /** Reads a JSON configuration, or YAML when the name ends in .yaml or .yml; keys not given keep {@link #defaults()}. */
    public static ServerConfig load(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        JsonNode root;
        try {
            root = (yaml ? new com.fasterxml.jackson.dataformat.yaml.YAMLMapper() : new ObjectMapper()).readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
        }
        return fromJson(root, file.toString());
    }

    static ServerConfig fromJson(JsonNode root, String source) {
        if (!(root instanceof ObjectNode obj)) {
            throw new IllegalArgumentException(source + ": the configuration must be a JSON object");
        }
        ServerConfig d = defaults();
        Set<String> known = Set.of("bindAddress", "igtlPort", "dicomPort", "aeTitle", "httpPort", "models", "storage",
                "dicomDestinations", "workers", "queueCapacity", "device", "tta", "threadsPerWorker", "studyQuietSeconds",
                "smoothingIterations", "limits", "security");
        for (Iterator<String> it = obj.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(source + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        try {
            return new ServerConfig(
                    text(obj, "bindAddress", d.bindAddress()),
                    integer(obj, "igtlPort", d.igtlPort()),
                    integer(obj, "dicomPort", d.dicomPort()),
                    text(obj, "aeTitle", d.aeTitle()),
                    integer(obj, "httpPort", d.httpPort()),
                    obj.has("models") ? Path.of(text(obj, "models", null)) : d.models(),
                    Path.of(text(obj, "storage", d.storage().toString())),
                    strings(obj, "dicomDestinations", d.dicomDestinations()),
                    integer(obj, "workers", d.workers()),
                    integer(obj, "queueCapacity", d.queueCapacity()),
                    text(obj, "device", d.device()),
                    bool(obj, "tta", d.tta()),
                    integer(obj, "threadsPerWorker", d.threadsPerWorker()),
                    number(obj, "studyQuietSeconds", d.studyQuietSeconds()),
                    integer(obj, "smoothingIterations", d.smoothingIterations()),
                    obj.has("limits") ? ServerLimits.fromJson(obj.get("limits")) : d.limits(),
                    obj.has("security") ? SecurityConfig.fromJson(obj.get("security")) : d.security());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** This configuration with the given non-null overrides applied (the command line). */
    public ServerConfig with(Map<String, Object> overrides) {
        return new ServerConfig(
                (String) overrides.getOrDefault("bindAddress", bindAddress),
                (Integer) overrides.getOrDefault("igtlPort", igtlPort),
                (Integer) overrides.getOrDefault("dicomPort", dicomPort),
                (String) overrides.getOrDefault("aeTitle", aeTitle),
                (Integer) overrides.getOrDefault("httpPort", httpPort),
                (Path) overrides.getOrDefault("models", models),
                (Path) overrides.getOrDefault("storage", storage),
                castList(overrides.getOrDefault("dicomDestinations", dicomDestinations)),
                (Integer) overrides.getOrDefault("workers", workers),
                (Integer) overrides.getOrDefault("queueCapacity", queueCapacity),
                (String) overrides.getOrDefault("device", device),
                (Boolean) overrides.getOrDefault("tta", tta),
                (Integer) overrides.getOrDefault("threadsPerWorker", threadsPerWorker),
                (Double) overrides.getOrDefault("studyQuietSeconds", studyQuietSeconds),
                (Integer) overrides.getOrDefault("smoothingIterations", smoothingIterations),
                (ServerLimits) overrides.getOrDefault("limits", limits),
                (SecurityConfig) overrides.getOrDefault("security", security));
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }
}
