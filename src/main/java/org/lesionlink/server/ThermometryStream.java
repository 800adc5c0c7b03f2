package org.lesionlink.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.lesionlink.ablation.AblationJson;
import org.lesionlink.ablation.AblationResult;
import org.lesionlink.ablation.ArrheniusModel;
import org.lesionlink.ablation.DriftCorrection;
import org.lesionlink.ablation.PrfParams;
import org.lesionlink.ablation.ThermalFrame;
import org.lesionlink.ablation.ThermometryConfig;
import org.lesionlink.ablation.ThermometrySession;
import org.lesionlink.igtl.IgtlTimestamp;
import org.lesionlink.igtl.message.CellArray;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.image.MarchingCubes;
import org.lesionlink.image.Volume;

/**
 * One connection's MR thermometry stream (server-conventions.md section 7.5): phase IMAGEs in, temperature,
 * CEM43 and Arrhenius damage maps, the 240 CEM43 isodose surface, a JSON report and a STATUS out, frame by
 * frame through a {@link ThermometrySession}. The first phase frame after a (re)configuration is the baseline
 * unless a {@code ThermBaseline} IMAGE came first. Called serially per connection; synchronized anyway.
 */
final class ThermometryStream {

    static final String PHASE = "ThermPhase";
    static final String BASELINE = "ThermBaseline";
    static final String REFERENCE = "ThermReference";
    static final String TEMPERATURE = "ThermTemperature";
    static final String DOSE = "ThermDose";
    static final String DAMAGE = "ThermDamage";
    static final String ISODOSE = "ThermIsodose240";
    static final String REPORT = "ThermReport";
    static final String STATUS = "Thermometry";
    static final Set<String> KEYS = Set.of("b0", "te", "alpha", "bodyTemperatureC", "criticalLimitC", "drift");
    /** Triangles at most in the isodose surface (a noise-like dose map would give millions). */
    private static final int MAX_TRIANGLES = 1_000_000;

    private Double b0;
    private Double te;
    private double alpha = PrfParams.DEFAULT_ALPHA_PPM_PER_C;
    private double body = ThermometryConfig.BODY_TEMPERATURE_C;
    private double criticalLimit = ThermometryConfig.CRITICAL_LIMIT_C;
    private DriftCorrection drift = DriftCorrection.NONE;
    private Volume reference;
    private ThermometrySession session;
    private boolean lesionMasked;

    /** Applies a {@code Thermometry} command; a changed setting restarts the stream (next frame = baseline). */
    synchronized Map<String, Object> configure(ObjectNode args) {
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown Thermometry argument '" + k + "'; known: " + KEYS.stream().sorted().toList());
            }
        }
        Double nb0 = args.has("b0") ? positive(args, "b0") : b0;
        Double nte = args.has("te") ? positive(args, "te") : te;
        double nalpha = args.has("alpha") ? number(args, "alpha") : alpha;
        double nbody = args.has("bodyTemperatureC") ? number(args, "bodyTemperatureC") : body;
        double nlimit = args.has("criticalLimitC") ? number(args, "criticalLimitC") : criticalLimit;
        DriftCorrection ndrift = drift;
        if (args.has("drift")) {
            String d = args.get("drift").asText("").toUpperCase(Locale.ROOT);
            try {
                ndrift = DriftCorrection.valueOf(d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("drift must be none, mean or plane, got " + args.get("drift"));
            }
        }
        if (nb0 != null && nte != null) {
            new PrfParams(nb0, nte, nalpha, PrfParams.GAMMA_HZ_PER_T); // validates alpha with the rest
        }
        b0 = nb0;
        te = nte;
        alpha = nalpha;
        body = nbody;
        criticalLimit = nlimit;
        drift = ndrift;
        session = null;
        return describe();
    }

    synchronized void reset() {
        session = null;
    }

    synchronized Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b0", b0);
        m.put("te", te);
        m.put("alpha", alpha);
        m.put("bodyTemperatureC", body);
        m.put("criticalLimitC", criticalLimit);
        m.put("drift", drift.name().toLowerCase(Locale.ROOT));
        m.put("reference", reference != null);
        m.put("baseline", session != null);
        return m;
    }

    /**
     * One IMAGE of the stream.
     *
     * @param lesion 0/1 lesion labelmap (any grid) or null
     * @param critical 0/1 critical-structure labelmap (any grid) or null
     * @return the messages to send
     */
    synchronized List<IgtlMessage> onImage(ImageMessage image, Volume v, String role, Volume lesion, Volume critical) {
        String device = image.envelope().deviceName();
        long wire = image.envelope().timestamp();
        try {
            Map<String, String> meta = image.envelope().metadata();
            if (meta.containsKey("lesionlink.b0") || meta.containsKey("lesionlink.te")) {
                Double nb0 = meta.containsKey("lesionlink.b0") ? parse(meta, "lesionlink.b0") : b0;
                Double nte = meta.containsKey("lesionlink.te") ? parse(meta, "lesionlink.te") : te;
                if (!java.util.Objects.equals(nb0, b0) || !java.util.Objects.equals(nte, te)) {
                    b0 = nb0;
                    te = nte;
                    if (session != null && !role.equals("baseline")) {
                        session = null;
                        return List.of(status(StatusCode.CONFIGURATION_ERROR, "RESTARTED", "IMAGE " + device
                                + ": B0/TE changed mid-stream; thermometry restarted, this frame is the new baseline", wire,
                                null), baselineFrom(v, image, lesion, critical));
                    }
                }
            }
            if (role.equals("reference")) {
                reference = IgtlAblationService.select(v, null);
                session = null;
                return List.of(status(StatusCode.OK, "OK", "drift reference region received (" + device
                        + "); the next phase frame is the baseline", wire, null));
            }
            if (b0 == null || te == null) {
                return List.of(status(StatusCode.NOT_READY, "NO_PRF", "IMAGE " + device + ": thermometry needs B0 and TE: "
                        + "metadata lesionlink.b0 (T) and lesionlink.te (s), or the command Thermometry {\"b0\": 3, \"te\": 0.01}",
                        wire, null));
            }
            if (role.equals("baseline") || session == null) {
                return List.of(baselineFrom(v, image, lesion, critical));
            }
            long t0 = System.nanoTime();
            ThermalFrame f = session.addFrame(v, time(image));
            return outputs(f, wire, (System.nanoTime() - t0) / 1e6);
        } catch (IllegalArgumentException e) {
            return List.of(status(StatusCode.ILLEGAL_INSTRUCTION, "BAD_FRAME", "IMAGE " + device + ": " + e.getMessage(), wire, null));
        }
    }

    private StatusMessage baselineFrom(Volume v, ImageMessage image, Volume lesion, Volume critical) {
        ThermometryConfig c = new ThermometryConfig(new PrfParams(b0, te, alpha, PrfParams.GAMMA_HZ_PER_T), body, DriftCorrection.NONE,
                null, null, null, criticalLimit, ArrheniusModel.LIVER_MUSCLE, true);
        if (drift != DriftCorrection.NONE) {
            if (reference == null) {
                throw new IllegalArgumentException("drift correction " + drift.name().toLowerCase(Locale.ROOT) + " needs a "
                        + "reference region: send a mask IMAGE '" + REFERENCE + "' first (or Thermometry {\"drift\": \"none\"})");
            }
            c = c.withDrift(drift, IgtlAblationService.maskOn(reference, v.geometry()));
        }
        lesionMasked = lesion != null;
        if (lesion != null) {
            c = c.withLesion(IgtlAblationService.maskOn(lesion, v.geometry()));
        }
        if (critical != null) {
            c = c.withCritical(IgtlAblationService.maskOn(critical, v.geometry()), criticalLimit);
        }
        session = new ThermometrySession(v, time(image), c);
        return status(StatusCode.OK, "OK", "baseline set from IMAGE " + image.envelope().deviceName() + " ("
                + (lesion != null ? "with" : "without") + " lesion, " + (critical != null ? "with" : "without")
                + " critical structure)", image.envelope().timestamp(), null);
    }

    private List<IgtlMessage> outputs(ThermalFrame f, long wire, double computeMs) {
        List<IgtlMessage> out = new ArrayList<>();
        out.add(ImageVolumes.fromVolume(Envelope.v1(TEMPERATURE).withTimestamp(wire), f.temperature()));
        out.add(ImageVolumes.fromVolume(Envelope.v1(DOSE).withTimestamp(wire), f.cem43()));
        out.add(ImageVolumes.fromVolume(Envelope.v1(DAMAGE).withTimestamp(wire), f.damage()));
        MarchingCubes.Surface s = MarchingCubes.surface(f.isodose240(), 1, 10, MAX_TRIANGLES);
        List<String> warnings = new ArrayList<>(f.alarms());
        if (s == null) {
            warnings.add("isodose surface skipped: over " + MAX_TRIANGLES + " triangles");
        } else if (s.triangleCount() > 0) {
            int[] t = s.triangles();
            int[][] cells = new int[t.length / 3][];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = new int[] {t[3 * i], t[3 * i + 1], t[3 * i + 2]};
            }
            out.add(PolyDataMessage.surface(Envelope.v1(ISODOSE).withTimestamp(wire), s.points(), CellArray.of(cells)));
        }
        if (!lesionMasked) {
            warnings.add("no lesion labelmap when the baseline was set: lesion percentages not computed");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("frame", f.index());
        r.put("time_s", AblationJson.round(f.timeS(), 3));
        r.put("max_temperature_c", AblationJson.round(f.maxTemperatureC(), 3));
        r.put("lesion_percent_cem240", finite(f.lesionPercentCem240()));
        r.put("lesion_percent_omega1", finite(f.lesionPercentOmega1()));
        r.put("max_critical_temperature_c", finite(f.maxCriticalTemperatureC()));
        r.put("critical_limit_c", criticalLimit);
        r.put("drift_c", f.drift());
        r.put("alarms", f.alarms());
        r.put("warnings", warnings);
        r.put("status", f.alarms().isEmpty() ? "OK" : "STOP");
        r.put("prf", Map.of("b0_t", b0, "te_s", te, "alpha_ppm_per_c", alpha));
        r.put("arrhenius", Map.of("a_per_s", ArrheniusModel.LIVER_MUSCLE.frequencyFactorPerS(),
                "ea_j_per_mol", ArrheniusModel.LIVER_MUSCLE.activationEnergyJPerMol()));
        r.put("compute_ms", AblationJson.round(computeMs, 3));
        r.put("disclaimer", AblationResult.DISCLAIMER);
        out.add(StringMessage.of(Envelope.v1(REPORT).withTimestamp(wire), IgtlAblationService.toJson(r)));
        String text = String.format(Locale.ROOT, "frame %d: max %.1f C, %s of the lesion >= 240 CEM43", f.index(),
                f.maxTemperatureC(), Double.isNaN(f.lesionPercentCem240()) ? "n/a" : String.format(Locale.ROOT, "%.1f %%",
                        f.lesionPercentCem240()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lesionlink.maxTemperatureC", String.format(Locale.ROOT, "%.3f", f.maxTemperatureC()));
        if (!Double.isNaN(f.lesionPercentCem240())) {
            meta.put("lesionlink.lesionPercentCem240", String.format(Locale.ROOT, "%.3f", f.lesionPercentCem240()));
        }
        out.add(f.alarms().isEmpty() ? status(StatusCode.OK, "OK", text, wire, meta)
                : status(StatusCode.PANIC, "STOP", "STOP: " + f.alarms().get(0) + "; " + text, wire, meta));
        return out;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? AblationJson.round(v, 3) : null;
    }

    /** Acquisition time in s: metadata {@code lesionlink.time}, else the header timestamp, else the receipt time. */
    private static double time(ImageMessage image) {
        Map<String, String> meta = image.envelope().metadata();
        if (meta.containsKey("lesionlink.time")) {
            return parse(meta, "lesionlink.time");
        }
        long wire = image.envelope().timestamp();
        if (wire != 0) {
            return IgtlTimestamp.toEpochNanos(wire) / 1e9;
        }
        return System.nanoTime() / 1e9;
    }

    private static double parse(Map<String, String> meta, String key) {
        try {
            double d = Double.parseDouble(meta.get(key).strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + key + " must be a number, got '" + meta.get(key) + "'");
        }
    }

    private static double number(ObjectNode args, String key) {
        JsonNode n = args.get(key);
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new IllegalArgumentException(key + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static double positive(ObjectNode args, String key) {
        double d = number(args, key);
        if (!(d > 0)) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    private static StatusMessage status(StatusCode code, String name, String text, long wire, Map<String, String> meta) {
        Envelope e = meta == null ? Envelope.v1(STATUS) : Envelope.v2(STATUS, meta);
        return new StatusMessage(e.withTimestamp(wire), code.code(), 0, name, text);
    }
}
