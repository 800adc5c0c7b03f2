package org.lesionlink.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lesionlink.ablation.AblationJson;
import org.lesionlink.ablation.AblationMonitor;
import org.lesionlink.ablation.AblationResult;
import org.lesionlink.ablation.CriticalStructure;
import org.lesionlink.ablation.DeviceTable;
import org.lesionlink.ablation.Mesh;
import org.lesionlink.ablation.PlacedZone;
import org.lesionlink.ablation.Point3;
import org.lesionlink.ablation.ProbePose;
import org.lesionlink.ablation.SafetyStatus;
import org.lesionlink.ablation.TargetLesion;
import org.lesionlink.ablation.ZoneSpec;
import org.lesionlink.igtl.IgtlTimestamp;
import org.lesionlink.igtl.message.CellArray;
import org.lesionlink.igtl.message.CommandMessage;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.igtl.server.IgtlService;
import org.lesionlink.igtl.server.IgtlSession;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Interpolation;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelSpec;

/**
 * The ablation side of {@code lesionlink serve} over OpenIGTLink: server-conventions.md section 7. It sits in
 * front of the segmentation service: probe TRANSFORMs, the ablation and thermometry IMAGEs and the ablation
 * commands are handled here, everything else goes on to {@code next}. Per connection it keeps a plan (zone,
 * thresholds, device names), the target lesion and critical structure (sent as label IMAGEs, or the connection's
 * latest segmentation), an {@link AblationMonitor} and a thermometry session ({@link ThermometryStream}).
 *
 * <p><b>Newest pose wins.</b> The server's inbound latest-value slots ({@link IgtlService}) replace a waiting
 * TRANSFORM of the same device by a newer one, and each pose is evaluated inline, so a slow update never queues
 * stale poses; poses older than the plan's maximum age are flagged by the monitor and not used.
 *
 * <p>Decision support only, not treatment planning ({@link AblationResult#DISCLAIMER}, in every report).
 */
public final class IgtlAblationService implements IgtlService {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Device names of section 7 (outputs) and the default input names. */
    static final String LESION = "AblationLesion";
    static final String CRITICAL = "AblationCritical";
    static final String ZONE = "AblationZone";
    static final String SURFACE = "AblationZoneSurface";
    static final String REPORT = "AblationReport";
    static final String STATUS = "Ablation";
    /** Internal marker of a failed reply whose STATUS was already sent; never serialised. */
    private static final String NO_STATUS = "\u0000noStatus";
    static final Set<String> COMMANDS = Set.of("AblationPlan", "AblationPose", "AblationCommit", "AblationReset", "GetAblation",
            "Thermometry", "ThermometryReset");
    /** Rings and segments of each zone ellipsoid's surface. */
    private static final int RINGS = 24;
    private static final int SEGMENTS = 48;

    private final IgtlService next;
    private final DeviceTable devices;
    private final Map<Long, State> states = new ConcurrentHashMap<>();

    /** One connection's ablation state. Guarded by its own monitor (the segmentation callback comes from a worker). */
    static final class State {
        AblationPlan plan = AblationPlan.DEFAULT;
        Volume lesionImage;
        Volume criticalImage;
        Volume segmentation;
        ModelSpec segmentationSpec;
        Affine registration;
        final List<PlacedZone> committed = new ArrayList<>();
        AblationMonitor monitor;
        TargetLesion target;
        Geometry region;
        String structureSource;
        ProbePose lastPose;
        long lastWireTimestamp;
        Map<String, Object> lastReport;
        final ThermometryStream thermometry = new ThermometryStream();
    }

    public IgtlAblationService(IgtlService next, DeviceTable devices) {
        this.next = next;
        this.devices = devices;
    }

    /** Told by the segmentation service of each labelmap it sent to a connection. */
    void segmented(IgtlSession session, Volume labels, ModelSpec spec) {
        State s = states.get(session.id());
        if (s == null) {
            return;
        }
        synchronized (s) {
            s.segmentation = labels;
            s.segmentationSpec = spec;
            if (s.lesionImage == null || s.criticalImage == null) {
                s.monitor = null; // rebuilt with the new labelmap on the next pose
            }
        }
    }

    @Override
    public void onConnect(IgtlSession session) throws Exception {
        states.put(session.id(), new State());
        next.onConnect(session);
    }

    @Override
    public void onDisconnect(IgtlSession session) throws Exception {
        states.remove(session.id());
        next.onDisconnect(session);
    }

    @Override
    public void onDecodeFailure(IgtlSession session, org.lesionlink.igtl.IgtlDecodeFailure failure) throws Exception {
        next.onDecodeFailure(session, failure);
    }

    @Override
    public void onMessage(IgtlSession session, IgtlMessage message) throws Exception {
        long received = System.nanoTime();
        State s = states.computeIfAbsent(session.id(), id -> new State());
        if (message instanceof TransformMessage t) {
            String device = t.envelope().deviceName();
            AblationPlan plan;
            synchronized (s) {
                plan = s.plan;
            }
            if (device.equals(plan.probe())) {
                String invalid = invalid(t.envelope().metadata());
                if (invalid != null) {
                    status(session, StatusCode.TIME_OUT, "INVALID_POSE", "TRANSFORM " + device + " is marked invalid ("
                            + invalid + "); not used", t.envelope().timestamp());
                    return;
                }
                onPose(session, s, pose(t.matrix().toAffine(), plan, s), received, t.envelope().timestamp());
                return;
            }
            if (device.equals(plan.registration())) {
                synchronized (s) {
                    s.registration = t.matrix().toAffine();
                }
                return;
            }
        } else if (message instanceof ImageMessage image) {
            String role = role(image);
            if (role != null) {
                onRoleImage(session, s, image, role);
                return;
            }
        } else if (message instanceof StringMessage str) {
            String device = str.envelope().deviceName();
            if (device.startsWith("CMD_") || device.equals("LesionLink")) {
                String text = str.text().strip();
                int sp = text.indexOf(' ');
                String name = sp < 0 ? text : text.substring(0, sp);
                if (COMMANDS.contains(name)) {
                    Map<String, Object> reply = command(session, s, name, sp < 0 ? "" : text.substring(sp + 1), received);
                    String ack = device.startsWith("CMD_") ? "ACK_" + device.substring(4) : device;
                    boolean noStatus = reply.remove(NO_STATUS) != null;
                    session.send(StringMessage.of(Envelope.v1(ack), toJson(reply)));
                    if (!noStatus) {
                        replied(session, reply);
                    }
                    return;
                }
            }
        } else if (message instanceof CommandMessage c && COMMANDS.contains(c.commandName())) {
            Map<String, Object> reply = command(session, s, c.commandName(), c.command(), received);
            boolean noStatus = reply.remove(NO_STATUS) != null;
            session.send(IgtlSegmentationService.rtsCommand(c, reply));
            if (!noStatus) {
                replied(session, reply);
            }
            return;
        }
        next.onMessage(session, message);
    }

    /** Why PLUS's v3 metadata marks a pose invalid, or null when it does not. */
    static String invalid(Map<String, String> meta) {
        String st = meta.get("TransformStatus");
        if (st != null && !st.equalsIgnoreCase("OK")) {
            return "TransformStatus=" + st;
        }
        String valid = meta.get("TransformValid");
        if (valid != null && (valid.equalsIgnoreCase("false") || valid.equals("0"))) {
            return "TransformValid=" + valid;
        }
        return null;
    }

    /** The section 7.2 role of an IMAGE (metadata {@code lesionlink.role}, else the device name), or null. */
    static String role(ImageMessage image) {
        String r = image.envelope().metadata().get("lesionlink.role");
        if (r != null) {
            return r;
        }
        return switch (image.envelope().deviceName()) {
            case LESION -> "lesion";
            case CRITICAL -> "critical";
            case ThermometryStream.PHASE -> "phase";
            case ThermometryStream.BASELINE -> "baseline";
            case ThermometryStream.REFERENCE -> "reference";
            default -> null;
        };
    }

    private void onRoleImage(IgtlSession session, State s, ImageMessage image, String role) {
        String device = image.envelope().deviceName();
        Volume v;
        try {
            v = image.toVolume();
        } catch (RuntimeException e) {
            status(session, StatusCode.ILLEGAL_INSTRUCTION, "BAD_IMAGE", "IMAGE " + device + ": " + e.getMessage(), image.envelope().timestamp());
            return;
        }
        switch (role) {
            case "lesion", "critical" -> {
                if (v.channels() != 1) {
                    status(session, StatusCode.ILLEGAL_INSTRUCTION, "BAD_IMAGE", "IMAGE " + device + ": a " + role
                            + " labelmap has one component, got " + v.channels(), 0);
                    return;
                }
                synchronized (s) {
                    if (role.equals("lesion")) {
                        s.lesionImage = v;
                    } else {
                        s.criticalImage = v;
                    }
                    s.monitor = null;
                }
                status(session, StatusCode.OK, "OK", role + " labelmap received (" + device + ", " + v.geometry().dims()[0] + "x"
                        + v.geometry().dims()[1] + "x" + v.geometry().dims()[2] + ")", 0);
            }
            case "phase", "baseline", "reference" -> {
                Volume lesion;
                Volume critical;
                synchronized (s) {
                    lesion = s.lesionImage != null ? select(s.lesionImage, s.plan.lesionLabel())
                            : s.segmentation != null ? lesionOfSegmentation(s) : null;
                    critical = s.criticalImage != null ? select(s.criticalImage, s.plan.criticalLabel())
                            : s.segmentation != null ? criticalOfSegmentation(s) : null;
                }
                for (IgtlMessage m : s.thermometry.onImage(image, v, role, lesion, critical)) {
                    session.send(m);
                }
            }
            default -> status(session, StatusCode.ILLEGAL_INSTRUCTION, "BAD_ROLE", "IMAGE " + device + ": unknown lesionlink.role '"
                    + role + "' (lesion, critical, phase, baseline, reference)", 0);
        }
    }

    /** The probe pose in RAS from a TRANSFORM (tool to reference), through the registration when one was sent. */
    static ProbePose pose(Affine toolToReference, AblationPlan plan, State s) {
        Affine m = toolToReference;
        synchronized (s) {
            if (s.registration != null) {
                m = s.registration.multiply(m);
            }
        }
        int a = plan.probeAxis()[0];
        double sign = plan.probeAxis()[1];
        Point3 tip = new Point3(m.get(0, 3), m.get(1, 3), m.get(2, 3));
        Point3 dir = new Point3(m.get(0, a) * sign, m.get(1, a) * sign, m.get(2, a) * sign);
        // Roll: the tool's next axis (x for a z probe, y for x, z for y), against the deterministic frame of ProbePose.
        int r = (a + 1) % 3;
        Point3 toolX = new Point3(m.get(0, r), m.get(1, r), m.get(2, r));
        ProbePose unrolled = new ProbePose(tip, dir);
        double roll = Math.atan2(toolX.dot(unrolled.yAxis()), toolX.dot(unrolled.xAxis()));
        return new ProbePose(tip, dir, Double.isFinite(roll) ? roll : 0);
    }

    /** Evaluates one pose and sends section 7.4's update; returns the report (null when not evaluated). */
    Map<String, Object> onPose(IgtlSession session, State s, ProbePose pose, long receivedNanos, long wireTimestamp) {
        AblationMonitor monitor;
        AblationPlan plan;
        Geometry region;
        long preparation;
        synchronized (s) {
            plan = s.plan;
            if (plan.zone() == null) {
                status(session, StatusCode.NOT_READY, "NO_PLAN", "no ablation plan: send AblationPlan {\"device\", \"power\", "
                        + "\"time\"} or {\"zone\": [a, b, c, offset]} first", wireTimestamp);
                return null;
            }
            long p0 = System.nanoTime();
            try {
                monitor = monitor(s);
            } catch (IllegalArgumentException | IllegalStateException e) {
                status(session, e instanceof IllegalStateException ? StatusCode.NOT_READY : StatusCode.ILLEGAL_INSTRUCTION,
                        e instanceof IllegalStateException ? "NO_LESION" : "BAD_LABELMAP", e.getMessage(), wireTimestamp);
                return null;
            }
            region = s.region;
            // A (re)built plan's preparation is not the pose's age: the receipt clock skips it.
            preparation = System.nanoTime() - p0;
        }
        long stamp = receivedNanos + preparation;
        if (plan.headerClock() && wireTimestamp != 0) {
            // Synchronised clocks: the pose's age is wall clock minus its header timestamp, in the monitor's clock.
            long ageNanos = System.currentTimeMillis() * 1_000_000L - IgtlTimestamp.toEpochNanos(wireTimestamp);
            stamp = System.nanoTime() - ageNanos;
        }
        AblationMonitor.Update u = monitor.update(pose, stamp);
        Map<String, Object> report = new LinkedHashMap<>(AblationJson.update(u));
        if (u.stale()) {
            status(session, StatusCode.TIME_OUT, "STALE", u.message(), wireTimestamp);
            return report;
        }
        AblationResult r = u.result();
        List<String> warnings = new ArrayList<>(r.warnings());
        Map<String, String> meta = metadata(r);
        if (plan.labelmap()) {
            Volume zone = r.zone().rasterize(region, 1);
            double ml = count(zone) * Math.abs(region.ijkToRas().determinant3()) / 1000;
            double analytic = 0;
            for (PlacedZone p : r.ablations()) {
                analytic += p.spec().volumeMl();
            }
            if (r.ablations().size() == 1 && ml < 0.98 * analytic) {
                warnings.add(String.format(Locale.ROOT, "the zone labelmap holds %.2f of %.2f ml: the zone extends beyond its "
                        + "grid (lesion box + %.0f mm)", ml, analytic, plan.regionMarginMm()));
            }
            session.send(ImageVolumes.fromVolume(Envelope.v2(ZONE, meta).withTimestamp(wireTimestamp), zone));
        }
        Mesh mesh = Mesh.of(r.zone(), RINGS, SEGMENTS);
        int[] t = mesh.triangles();
        int[][] cells = new int[t.length / 3][];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new int[] {t[3 * i], t[3 * i + 1], t[3 * i + 2]};
        }
        session.send(PolyDataMessage.surface(Envelope.v1(SURFACE).withTimestamp(wireTimestamp), mesh.points(), CellArray.of(cells)));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) report.get("result"));
        result.put("warnings", warnings);
        report.put("result", result);
        report.put("ablations_committed", r.ablations().size() - 1);
        report.put("probe", plan.probe());
        report.put("pose_timestamp", Long.toUnsignedString(wireTimestamp));
        report.put("latency_ms", AblationJson.round((System.nanoTime() - receivedNanos) / 1e6, 3));
        synchronized (s) {
            s.lastPose = pose;
            s.lastWireTimestamp = wireTimestamp;
            s.lastReport = report;
        }
        session.send(StringMessage.of(Envelope.v1(REPORT).withTimestamp(wireTimestamp), toJson(report)));
        session.send(new StatusMessage(Envelope.v2(STATUS, meta).withTimestamp(wireTimestamp),
                r.status() == SafetyStatus.STOP ? StatusCode.PANIC.code() : StatusCode.OK.code(), subcode(r.status()),
                r.status().name(), statusText(r, warnings)));
        return report;
    }

    private static long subcode(SafetyStatus s) {
        return switch (s) {
            case OK -> 0;
            case WARN -> 1;
            case STOP -> 2;
            default -> 3;
        };
    }

    /** The STATUS message: status, coverage, margin, distance and the first warning, one line. */
    static String statusText(AblationResult r, List<String> warnings) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.status().name()).append(String.format(Locale.ROOT, ": coverage %.1f %%, minimal margin %.1f mm",
                r.margins().coveragePercent(), r.margins().minMarginMm()));
        if (r.critical() != null) {
            sb.append(String.format(Locale.ROOT, ", zone %.1f mm and tip %.1f mm from %s", r.critical().zoneDistanceMm(),
                    r.critical().tipDistanceMm(), r.critical().structure()));
        }
        if (!warnings.isEmpty()) {
            sb.append("; ").append(warnings.get(0));
        }
        sb.append(" (decision support only)");
        return sb.toString();
    }

    /** v3 metadata of the zone IMAGE and the STATUS: the key figures, so a client needs no JSON parser. */
    static Map<String, String> metadata(AblationResult r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lesionlink.ablationStatus", r.status().name());
        m.put("lesionlink.coveragePercent", fmt(r.margins().coveragePercent()));
        m.put("lesionlink.minMarginMm", fmt(r.margins().minMarginMm()));
        if (r.critical() != null) {
            m.put("lesionlink.criticalDistanceMm", fmt(r.critical().zoneDistanceMm()));
            m.put("lesionlink.tipCriticalDistanceMm", fmt(r.critical().tipDistanceMm()));
        }
        m.put("lesionlink.disclaimer", "decision support only, not a treatment planning system");
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static int count(Volume labels) {
        byte[] v = new byte[labels.voxelsPerChannel()];
        labels.data(0).get(v);
        int n = 0;
        for (byte b : v) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * The connection's monitor, (re)built when the plan or a labelmap changed; committed ablations carry over.
     * IllegalStateException when there is no lesion yet, IllegalArgumentException for an unusable labelmap.
     */
    private AblationMonitor monitor(State s) {
        if (s.monitor != null) {
            return s.monitor;
        }
        AblationPlan plan = s.plan;
        Volume lesion;
        if (s.lesionImage != null) {
            lesion = select(s.lesionImage, plan.lesionLabel());
        } else if (s.segmentation != null) {
            lesion = lesionOfSegmentation(s);
        } else {
            throw new IllegalStateException("no target lesion: send a labelmap IMAGE '" + LESION + "' (or metadata "
                    + "lesionlink.role=lesion), or segment on this connection first");
        }
        TargetLesion target;
        try {
            target = TargetLesion.of(lesion, 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((s.lesionImage != null ? "IMAGE " + LESION : "the segmentation") + ": "
                    + e.getMessage().replace("label 1", plan.lesionLabel() == null ? "a lesion label" : "label " + plan.lesionLabel()));
        }
        CriticalStructure structure = null;
        if (s.criticalImage != null) {
            Volume c = select(s.criticalImage, plan.criticalLabel());
            try {
                structure = CriticalStructure.of(plan.criticalName(), c, 1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("IMAGE " + CRITICAL + ": " + e.getMessage().replace("label 1",
                        plan.criticalLabel() == null ? "a non-zero value" : "label " + plan.criticalLabel()));
            }
            s.structureSource = "image";
        } else if (s.segmentation != null) {
            Volume c = criticalOfSegmentation(s);
            if (c != null && count(c) > 0) {
                String name = plan.criticalName().equals(AblationPlan.DEFAULT.criticalName()) ? labelName(s) : plan.criticalName();
                structure = CriticalStructure.of(name, c, 1);
                s.structureSource = "segmentation";
            }
        }
        AblationMonitor m = new AblationMonitor(target, structure, plan.zone(), plan.thresholds(), plan.maxPoseAge(),
                System::nanoTime);
        for (PlacedZone z : s.committed) {
            m.addCompletedAblation(z);
        }
        s.target = target;
        s.region = target.paddedRegion(plan.regionMarginMm());
        s.monitor = m;
        return m;
    }

    /** A 0/1 uint8 labelmap of the voxels equal to {@code label} (every non-zero voxel when null). */
    static Volume select(Volume labels, Integer label) {
        int n = labels.voxelsPerChannel();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            double v = labels.value(0, i);
            out[i] = (byte) ((label == null ? v != 0 : Math.rint(v) == label) ? 1 : 0);
        }
        return Volume.ofBytes(labels.geometry(), out);
    }

    private static boolean structureLabel(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("vertebra") || n.contains("canal") || n.contains("cord") || n.equals("background");
    }

    /** The lesion of a segmentation: the plan's label, else every label not named as an anatomical structure. */
    private static Volume lesionOfSegmentation(State s) {
        if (s.plan.lesionLabel() != null) {
            return select(s.segmentation, s.plan.lesionLabel());
        }
        Set<Integer> lesion = new java.util.HashSet<>();
        for (ModelSpec.Label l : s.segmentationSpec.labels()) {
            if (!structureLabel(l.name())) {
                lesion.add(l.value());
            }
        }
        int n = s.segmentation.voxelsPerChannel();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (lesion.contains((int) Math.rint(s.segmentation.value(0, i))) ? 1 : 0);
        }
        return Volume.ofBytes(s.segmentation.geometry(), out);
    }

    /** The critical structure of a segmentation: the plan's label, else its canal or cord label; null when none. */
    private static Volume criticalOfSegmentation(State s) {
        if (s.plan.criticalLabel() != null) {
            return select(s.segmentation, s.plan.criticalLabel());
        }
        for (ModelSpec.Label l : s.segmentationSpec.labels()) {
            String n = l.name().toLowerCase(Locale.ROOT);
            if (n.contains("canal") || n.contains("cord")) {
                return select(s.segmentation, l.value());
            }
        }
        return null;
    }

    private static String labelName(State s) {
        for (ModelSpec.Label l : s.segmentationSpec.labels()) {
            String n = l.name().toLowerCase(Locale.ROOT);
            if (n.contains("canal") || n.contains("cord")) {
                return "spinal " + l.name();
            }
        }
        return "critical structure";
    }

    /** Handles one ablation command (either form); section 7.3. */
    Map<String, Object> command(IgtlSession session, State s, String name, String argText, long receivedNanos) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("command", name);
        ObjectNode args;
        try {
            JsonNode n = argText == null || argText.isBlank() ? JSON.createObjectNode() : JSON.readTree(argText);
            if (!(n instanceof ObjectNode o)) {
                return fail(session, reply, "arguments must be a JSON object, got: " + argText);
            }
            args = o;
        } catch (JsonProcessingException e) {
            return fail(session, reply, "arguments are not JSON: " + e.getOriginalMessage());
        }
        try {
            switch (name) {
                case "AblationPlan" -> {
                    synchronized (s) {
                        AblationPlan p = s.plan.with(args, devices);
                        s.plan = p;
                        s.monitor = null;
                        reply.putAll(describe(s));
                    }
                }
                case "AblationPose" -> {
                    ProbePose pose = new ProbePose(point(args, "tip"), point(args, "direction"),
                            Math.toRadians(args.path("roll").asDouble(0)));
                    Map<String, Object> report = onPose(session, s, pose, receivedNanos, 0);
                    if (report == null) {
                        return fail(session, reply, "pose not evaluated: see the STATUS '" + STATUS + "'", false);
                    }
                    reply.put("report", report);
                }
                case "AblationCommit" -> {
                    ProbePose pose;
                    synchronized (s) {
                        if (s.lastPose == null || s.plan.zone() == null) {
                            return fail(session, reply, "nothing to commit: no pose has been evaluated with the current plan");
                        }
                        pose = s.lastPose;
                        PlacedZone z = new PlacedZone(s.plan.zone(), pose);
                        s.committed.add(z);
                        if (s.monitor != null) {
                            s.monitor.addCompletedAblation(z);
                        }
                        reply.put("ablations", s.committed.size());
                    }
                    Map<String, Object> report = onPose(session, s, pose, System.nanoTime(), 0);
                    if (report != null) {
                        reply.put("report", report);
                    }
                }
                case "AblationReset" -> {
                    boolean all = args.path("all").asBoolean(false);
                    synchronized (s) {
                        s.committed.clear();
                        s.monitor = null;
                        s.lastPose = null;
                        s.lastReport = null;
                        if (all) {
                            s.plan = AblationPlan.DEFAULT;
                            s.lesionImage = null;
                            s.criticalImage = null;
                            s.registration = null;
                        }
                        reply.put("ablations", 0);
                        reply.put("all", all);
                    }
                }
                case "GetAblation" -> {
                    synchronized (s) {
                        reply.putAll(describe(s));
                        if (s.lastReport != null) {
                            reply.put("report", s.lastReport);
                        }
                    }
                }
                case "Thermometry" -> reply.putAll(s.thermometry.configure(args));
                case "ThermometryReset" -> {
                    s.thermometry.reset();
                    reply.put("frames", 0);
                }
                default -> throw new IllegalStateException("not an ablation command: " + name);
            }
        } catch (IllegalArgumentException e) {
            return fail(session, reply, e.getMessage());
        }
        reply.put("status", "SUCCESS");
        return reply;
    }

    /** The plan and inputs as the replies show them. */
    private Map<String, Object> describe(State s) {
        AblationPlan p = s.plan;
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.zone() != null) {
            ZoneSpec z = p.zone();
            Map<String, Object> zone = new LinkedHashMap<>();
            zone.put("semi_axes_mm", new double[] {z.a(), z.b(), z.c()});
            zone.put("offset_mm", z.offsetMm());
            zone.put("volume_ml", AblationJson.round(z.volumeMl(), 4));
            zone.put("device", z.source().device());
            zone.put("rows", z.source().rows());
            zone.put("interpolated", z.source().interpolated());
            zone.put("provenance", z.source().provenance());
            zone.put("verified", z.source().verified());
            m.put("zone", zone);
        }
        m.put("probe", p.probe());
        m.put("registration", p.registration());
        m.put("probeAxis", p.axisText());
        m.put("thresholds_mm", Map.of("warn", p.thresholds().warnMm(), "stop", p.thresholds().stopMm()));
        m.put("maxPoseAgeMs", p.maxPoseAge().toNanos() / 1e6);
        m.put("poseClock", p.headerClock() ? "header" : "receipt");
        m.put("lesion", s.lesionImage != null ? "image" : s.segmentation != null ? "segmentation" : "none");
        m.put("critical", s.criticalImage != null ? "image" : s.segmentation != null ? "segmentation" : "none");
        m.put("ablations", s.committed.size());
        m.put("devices", devices.devices());
        m.put("disclaimer", AblationResult.DISCLAIMER);
        return m;
    }

    private static Point3 point(ObjectNode args, String key) {
        JsonNode a = args.get(key);
        if (a == null || !a.isArray() || a.size() != 3 || !a.get(0).isNumber() || !a.get(1).isNumber() || !a.get(2).isNumber()) {
            throw new IllegalArgumentException(key + " must be [x, y, z] (RAS mm), got " + a);
        }
        return new Point3(a.get(0).asDouble(), a.get(1).asDouble(), a.get(2).asDouble());
    }

    private static Map<String, Object> fail(IgtlSession session, Map<String, Object> reply, String error) {
        return fail(session, reply, error, true);
    }

    /** A FAIL reply; {@link #replied} then names the problem in a STATUS too (a v1 client may only show STATUS). */
    private static Map<String, Object> fail(IgtlSession session, Map<String, Object> reply, String error, boolean status) {
        reply.put("status", "FAIL");
        reply.put("error", error);
        if (!status) {
            reply.put(NO_STATUS, true);
        }
        return reply;
    }

    /** After a command's reply went out: the STATUS of a failure (unless one was sent already). */
    private static void replied(IgtlSession session, Map<String, Object> reply) {
        if ("FAIL".equals(reply.get("status")) && reply.remove(NO_STATUS) == null) {
            status(session, StatusCode.CONFIGURATION_ERROR, "BAD_COMMAND", reply.get("command") + ": " + reply.get("error"), 0);
        }
    }

    static void status(IgtlSession session, StatusCode code, String errorName, String text, long wireTimestamp) {
        session.send(new StatusMessage(Envelope.v1(STATUS).withTimestamp(wireTimestamp), code.code(), 0, errorName,
                cut(text)));
    }

    /** STATUS text is short by design; a very long message is cut (the JSON replies have it whole). */
    private static String cut(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= 4000 ? s : s.substring(0, 3990) + " ...";
    }

    static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nearest-neighbour resampling of a 0/1 mask onto another grid (thermometry masks). */
    static boolean[] maskOn(Volume mask, Geometry grid) {
        Volume m = mask.geometry().sameGrid(grid, 1e-4) ? mask : Resampler.resample(mask, grid, Interpolation.NEAREST);
        boolean[] out = new boolean[m.voxelsPerChannel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = m.value(0, i) != 0;
        }
        return out;
    }
}
