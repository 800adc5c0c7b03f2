package org.lesionlink.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lesionlink.igtl.message.CellArray;
import org.lesionlink.igtl.message.CommandMessage;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.LabelMetaMessage;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.Rgba;
import org.lesionlink.igtl.message.RtsCommandMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.server.IgtlService;
import org.lesionlink.igtl.server.IgtlSession;
import org.lesionlink.image.MarchingCubes;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.CaseInputs;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.Segmentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenIGTLink side of {@code lesionlink serve}: the conventions of
 * {@code protocols/openigtlink/server-conventions.md}. Each connection holds one case (the newest IMAGE per
 * channel), a chosen model and the auto/stream switches; segmentations run as {@link Job}s on the shared
 * {@link JobQueue}, at most one per connection at a time. Images that arrive meanwhile are kept, and when
 * the running job ends one more job runs with the newest images (so in streaming mode only the newest
 * frame per device is segmented).
 */
public final class IgtlSegmentationService implements IgtlService {
    private static final Logger log = LoggerFactory.getLogger(IgtlSegmentationService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_STRING_BYTES = 65535;
    /** Per label; a compact lesion has a few thousand, a scattered (noise-like) label map millions. */
    static final int MAX_SURFACE_TRIANGLES = 1_000_000;
    static final List<String> CAPABILITIES = List.of("segment", "auto", "stream", "surfaces", "report");

    private final ModelCatalog catalog;
    private final JobQueue queue;
    private final Metrics metrics;
    private final org.lesionlink.security.AuditLog audit;
    private final int smoothing;
    private final Map<Long, CaseState> cases = new ConcurrentHashMap<>();
    private final AtomicLong jobCounter;
    private volatile ResultListener resultListener = (session, labels, spec) -> { };

    /** Told of each labelmap sent to a connection (the ablation service's target lesion, section 7). */
    interface ResultListener {
        void segmented(IgtlSession session, Volume labels, ModelSpec spec);
    }

    /** One connection's case. Guarded by its own monitor. */
    private static final class CaseState {
        /**
         * Held while a command is answered and while a job's results are sent: a Segment's reply (with the job id)
         * goes out before its results (section 5, "results follow"), however fast the job runs on its worker.
         */
        final Object replyOrder = new Object();
        final Map<String, ImageMessage> images = new LinkedHashMap<>();
        String model;
        boolean auto = true;
        boolean stream;
        boolean busy;
        boolean dirty;
        String output;
        String currentJob;
    }

    /** What a job needs to send its results back. */
    private record Reply(IgtlSession session, CaseState state, String refDevice, String output, long sourceTimestamp,
            ModelSpec spec) {}

    IgtlSegmentationService(ModelCatalog catalog, JobQueue queue, Metrics metrics, int smoothing, AtomicLong jobCounter,
            org.lesionlink.security.AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
        this.queue = queue;
        this.metrics = metrics;
        this.smoothing = smoothing;
        this.jobCounter = jobCounter;
    }

    void resultListener(ResultListener listener) {
        this.resultListener = listener;
    }

    @Override
    public void onConnect(IgtlSession session) {
        cases.put(session.id(), new CaseState());
        metrics.igtlConnectionsTotal.incrementAndGet();
    }

    @Override
    public void onDisconnect(IgtlSession session) {
        cases.remove(session.id());
    }

    @Override
    public void onMessage(IgtlSession session, IgtlMessage message) {
        CaseState state = cases.computeIfAbsent(session.id(), id -> new CaseState());
        if (message instanceof ImageMessage image) {
            onImage(session, state, image);
        } else if (message instanceof StringMessage s) {
            metrics.igtlBytesIn.addAndGet(s.text().length());
            String device = s.envelope().deviceName();
            String ackDevice;
            if (device.startsWith("CMD_")) {
                ackDevice = "ACK_" + device.substring(4);
            } else if (device.equals("LesionLink")) {
                ackDevice = "LesionLink";
            } else {
                return; // other STRINGs are not for us
            }
            String text = s.text().strip();
            int sp = text.indexOf(' ');
            String name = sp < 0 ? text : text.substring(0, sp);
            String args = sp < 0 ? "" : text.substring(sp + 1);
            synchronized (state.replyOrder) {
                Map<String, Object> reply = command(session, state, name, args);
                beforeReplyForTest.run();
                send(session, StringMessage.of(Envelope.v1(ackDevice), toJson(reply)));
            }
        } else if (message instanceof CommandMessage c) {
            synchronized (state.replyOrder) {
                send(session, rtsCommand(c, command(session, state, c.commandName(), c.command())));
            }
        }
    }

    /** The RTS_COMMAND answering {@code c} with {@code reply} as UTF-8 JSON, and the Status metadata Slicer reads. */
    static RtsCommandMessage rtsCommand(CommandMessage c, Map<String, Object> reply) {
        Map<String, String> meta = new LinkedHashMap<>();
        boolean ok = "SUCCESS".equals(reply.get("status"));
        meta.put("Status", ok ? "SUCCESS" : "FAIL");
        if (!ok) {
            meta.put("Error", String.valueOf(reply.get("error")));
            meta.put("Message", String.valueOf(reply.get("error")));
        }
        return new RtsCommandMessage(Envelope.v2(c.envelope().deviceName(), meta), c.commandId(), c.commandName(), 106,
                toJson(reply));
    }

    private void onImage(IgtlSession session, CaseState state, ImageMessage image) {
        metrics.igtlBytesIn.addAndGet(image.pixels().remaining());
        String device = image.envelope().deviceName();
        Map<String, String> meta = image.envelope().metadata();
        synchronized (state) {
            if (meta.containsKey("lesionlink.model")) {
                state.model = meta.get("lesionlink.model");
            }
            if (meta.containsKey("lesionlink.auto")) {
                state.auto = Boolean.parseBoolean(meta.get("lesionlink.auto"));
            }
            if (meta.containsKey("lesionlink.stream")) {
                state.stream = Boolean.parseBoolean(meta.get("lesionlink.stream"));
            }
            if (meta.containsKey("lesionlink.output")) {
                state.output = meta.get("lesionlink.output");
            }
        }
        List<String> expected;
        synchronized (state) {
            expected = state.model != null && catalog.find(state.model).isPresent()
                    ? ModelCatalog.channels(catalog.find(state.model).get().spec()) : catalog.allChannels();
        }
        String given = meta.getOrDefault("lesionlink.channel", device);
        String channel = null;
        for (String c : expected) {
            if (ModelCatalog.normalise(c).equals(ModelCatalog.normalise(given))) {
                channel = c;
                break;
            }
        }
        if (channel == null) {
            send(session, StatusMessage.of(Envelope.v1(device), StatusCode.ILLEGAL_INSTRUCTION,
                    "unknown channel '" + given + "': expected one of " + expected
                            + " (device name or metadata lesionlink.channel)"));
            return;
        }
        boolean start;
        synchronized (state) {
            state.images.put(channel, image);
            state.dirty = true;
            start = (state.auto || state.stream) && !state.busy;
        }
        if (start) {
            Optional<ModelPackage> pkg = resolveModel(state, null);
            if (pkg.isPresent() && missing(state, pkg.get()).isEmpty()) {
                try {
                    submit(session, state, pkg.get(), null, false);
                } catch (IllegalStateException e) {
                    // queue full or bad input: the client has its STATUS; not a service failure to log with a trace
                    log.debug("session {}: frame not segmented: {}", session.id(), e.getMessage());
                }
            }
        }
    }

    /** The model for a case: explicit argument, the connection's choice, else routing by channel set. */
    private Optional<ModelPackage> resolveModel(CaseState state, String explicit) {
        String name;
        Set<String> have;
        synchronized (state) {
            name = explicit != null ? explicit : state.model;
            have = new HashSet<>(state.images.keySet());
        }
        if (name != null) {
            return catalog.find(name);
        }
        for (ModelPackage p : catalog.packages()) {
            if (new HashSet<>(ModelCatalog.channels(p.spec())).equals(have)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static List<String> missing(CaseState state, ModelPackage pkg) {
        List<String> out = new ArrayList<>();
        synchronized (state) {
            for (String c : ModelCatalog.channels(pkg.spec())) {
                if (!state.images.containsKey(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * Queues a job for the case; returns the job id, or throws with the STATUS the client got. When the
     * connection already has a job, returns that job's id (its results follow; images received after it
     * started have marked the case for one more run).
     */
    private String submit(IgtlSession session, CaseState state, ModelPackage pkg, String outputArg, boolean explicit) {
        ModelSpec spec = pkg.spec();
        List<String> channels = ModelCatalog.channels(spec);
        List<Volume> volumes = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        ImageMessage ref;
        String output;
        synchronized (state) {
            if (state.busy) {
                // The running job has the images received so far; a newer IMAGE already marked the case dirty.
                return state.currentJob;
            }
            ref = state.images.get(channels.get(0));
            for (String c : channels) {
                ImageMessage m = state.images.get(c);
                names.put(c, m.envelope().deviceName());
            }
            output = outputArg != null ? outputArg : state.output != null ? state.output : ref.envelope().deviceName() + "_seg";
            state.busy = true;
            state.dirty = false;
        }
        String refDevice = ref.envelope().deviceName();
        String statusDevice = device(output);
        try {
            for (String c : channels) {
                ImageMessage m;
                synchronized (state) {
                    m = state.images.get(c);
                }
                Volume v = m.toVolume();
                CaseInputs.checkValues(v, "IMAGE " + m.envelope().deviceName());
                if (!volumes.isEmpty()) {
                    CaseInputs.checkOverlap(volumes.get(0).geometry(), "IMAGE " + refDevice, v.geometry(),
                            "IMAGE " + m.envelope().deviceName());
                }
                volumes.add(v);
            }
        } catch (RuntimeException e) {
            idle(state);
            send(session, StatusMessage.of(Envelope.v1(statusDevice), StatusCode.UNKNOWN_ERROR, "bad input: " + e.getMessage()));
            throw new IllegalStateException("bad input: " + e.getMessage(), e);
        }
        String id = "igtl-" + jobCounter.incrementAndGet();
        Reply reply = new Reply(session, state, refDevice, output, ref.envelope().timestamp(), spec);
        Job job = new Job(id, Job.Source.IGTL, spec.name(), names, volumes, output, j -> finished(j, reply));
        synchronized (state) {
            state.currentJob = id;
        }
        try {
            queue.submit(job);
        } catch (QueueFullException e) {
            idle(state);
            send(session, StatusMessage.of(Envelope.v1(statusDevice), StatusCode.NOT_ENOUGH_RESOURCE, e.getMessage()));
            throw new IllegalStateException(e.getMessage(), e);
        }
        log.info("session {}: job {} ({}, {} -> {})", session.id(), id, spec.name(), names, output);
        return id;
    }

    private void idle(CaseState state) {
        synchronized (state) {
            state.busy = false;
        }
    }

    /** On the worker: sends the results (section 4), then starts a rerun if newer images came meanwhile. */
    private void finished(Job job, Reply r) {
        IgtlSession session = r.session();
        String out = device(r.output());
        try {
            sendOutcome(job, r, session, out);
        } finally {
            boolean again;
            synchronized (r.state()) {
                r.state().busy = false;
                again = r.state().dirty && (r.state().auto || r.state().stream);
            }
            if (again && session.isOpen()) {
                Optional<ModelPackage> pkg = resolveModel(r.state(), null);
                if (pkg.isPresent() && missing(r.state(), pkg.get()).isEmpty()) {
                    try {
                        submit(session, r.state(), pkg.get(), null, false);
                    } catch (IllegalStateException e) {
                        log.info("session {}: rerun not started: {}", session.id(), e.getMessage());
                    }
                }
            }
        }
    }

    /** The results of a done job, else a STATUS saying why not; after the reply to the Segment that started it. */
    private void sendOutcome(Job job, Reply r, IgtlSession session, String out) {
        synchronized (r.state().replyOrder) {
            if (job.state() == Job.State.DONE && session.isOpen()) {
                long t0 = System.nanoTime();
                try {
                    sendResults(job, r);
                    audit.record("igtl-result-sent", "job", job.id(), "session", session.id(), "remote",
                            AuditEvents.text(session.remoteAddress()));
                } catch (RuntimeException e) {
                    log.warn("job {}: sending results failed: {}", job.id(), e.toString(), e);
                    send(session, StatusMessage.of(Envelope.v1(out), StatusCode.UNKNOWN_ERROR,
                            "sending results failed: " + e.getMessage()));
                }
                job.timing("send", (System.nanoTime() - t0) / 1_000_000);
            } else if (session.isOpen()) {
                send(session, StatusMessage.of(Envelope.v1(out), StatusCode.UNKNOWN_ERROR,
                        "segmentation failed: " + job.error()));
            }
        }
    }

    private void sendResults(Job job, Reply r) {
        IgtlSession session = r.session();
        Segmentation seg = job.result();
        ModelSpec spec = r.spec();
        String out = device(r.output());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lesionlink.model", spec.name());
        meta.put("lesionlink.modelVersion", spec.version());
        meta.put("lesionlink.labels", toJson(labels(spec)));
        meta.put("lesionlink.sourceTimestamp", Long.toUnsignedString(r.sourceTimestamp()));
        meta.put("lesionlink.job", job.id());
        Volume labels = seg.labelMap();
        ImageMessage img = ImageVolumes.fromVolume(Envelope.v2(out, meta).withTimestamp(r.sourceTimestamp()), labels);
        metrics.igtlBytesOut.addAndGet(img.pixels().remaining());
        send(session, img);
        resultListener.segmented(session, labels, spec);

        int[] dims = labels.geometry().dims();
        List<LabelMetaMessage.Element> elements = new ArrayList<>();
        for (ModelSpec.Label l : spec.labels()) {
            Color c = Color.decode(l.colour());
            elements.add(new LabelMetaMessage.Element(fixed(l.name(), 64), out, l.value(),
                    new Rgba(c.getRed(), c.getGreen(), c.getBlue(), 255), new Extent(dims[0], dims[1], dims[2]), out));
        }
        send(session, new LabelMetaMessage(Envelope.v1(out).withTimestamp(r.sourceTimestamp()), elements));

        List<String> skipped = new ArrayList<>();
        for (ModelSpec.Label l : spec.labels()) {
            MarchingCubes.Surface s = MarchingCubes.surface(labels, l.value(), smoothing, MAX_SURFACE_TRIANGLES);
            if (s == null) {
                skipped.add(l.name());
                log.warn("job {}: surface of label {} skipped: over {} triangles (a scattered label map)", job.id(), l.name(),
                        MAX_SURFACE_TRIANGLES);
                continue;
            }
            if (s.triangleCount() == 0) {
                continue;
            }
            int[] t = s.triangles();
            int[][] cells = new int[t.length / 3][];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = new int[] {t[3 * i], t[3 * i + 1], t[3 * i + 2]};
            }
            PolyDataMessage pd = PolyDataMessage.surface(Envelope.v1(device(r.output() + "_" + l.name()))
                    .withTimestamp(r.sourceTimestamp()), s.points(), CellArray.of(cells));
            metrics.igtlBytesOut.addAndGet(4L * s.points().length + 16L * cells.length);
            send(session, pd);
        }
        String report = toJson(job.report());
        if (report.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            // A STRING holds 65535 bytes: send the report without its lesion table (GetJob and HTTP have it all).
            Map<String, Object> shortened = new LinkedHashMap<>(job.report());
            shortened.remove("lesions");
            shortened.put("lesionsOmitted", "the lesion table does not fit one STRING; GetJob or /jobs/" + job.id() + " has it");
            report = toJson(shortened);
        }
        metrics.igtlBytesOut.addAndGet(report.length());
        // Every result carries the source frame's timestamp, so a streaming client can match it to its frame.
        send(session, StringMessage.of(Envelope.v1(device(r.refDevice() + "_report")).withTimestamp(r.sourceTimestamp()), report));
        send(session, StatusMessage.of(Envelope.v1(out).withTimestamp(r.sourceTimestamp()), StatusCode.OK,
                "done: " + seg.lesions().size() + " lesions in " + job.elapsedMs() + " ms"
                        + (skipped.isEmpty() ? "" : "; surfaces skipped (over " + MAX_SURFACE_TRIANGLES + " triangles): " + skipped)));
    }

    private static List<Map<String, Object>> labels(ModelSpec spec) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelSpec.Label l : spec.labels()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", l.value());
            m.put("name", l.name());
            m.put("color", l.colour());
            out.add(m);
        }
        return out;
    }

    /** Handles one command (either form); the reply fields of section 5. */
    Map<String, Object> command(IgtlSession session, CaseState state, String name, String argText) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("command", name);
        ObjectNode args;
        try {
            JsonNode n = argText == null || argText.isBlank() ? JSON.createObjectNode() : JSON.readTree(argText);
            if (!(n instanceof ObjectNode o)) {
                return fail(reply, "arguments must be a JSON object, got: " + argText);
            }
            args = o;
        } catch (JsonProcessingException e) {
            return fail(reply, "arguments are not JSON: " + e.getOriginalMessage());
        }
        switch (name) {
            case "GetModels" -> {
                List<Object> models = new ArrayList<>();
                for (ModelPackage p : catalog.packages()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", p.spec().name());
                    m.put("version", p.spec().version());
                    m.put("task", p.spec().task().id());
                    m.put("channels", ModelCatalog.channels(p.spec()));
                    m.put("labels", labels(p.spec()));
                    m.put("capabilities", CAPABILITIES);
                    models.add(m);
                }
                reply.put("models", models);
            }
            case "Model" -> {
                String model = args.path("model").asText(null);
                if (model == null || catalog.find(model).isEmpty()) {
                    return fail(reply, "unknown model '" + model + "'; installed: " + names());
                }
                synchronized (state) {
                    state.model = model;
                }
                reply.put("model", model);
            }
            case "Auto", "Stream" -> {
                if (!args.path("enabled").isBoolean()) {
                    return fail(reply, name + " needs {\"enabled\": true|false}");
                }
                boolean on = args.get("enabled").asBoolean();
                synchronized (state) {
                    if (name.equals("Auto")) {
                        state.auto = on;
                    } else {
                        state.stream = on;
                    }
                }
                reply.put("enabled", on);
            }
            case "Segment" -> {
                String model = args.has("model") ? args.get("model").asText() : null;
                Optional<ModelPackage> pkg = resolveModel(state, model);
                if (pkg.isEmpty()) {
                    if (model != null) {
                        return fail(reply, "unknown model '" + model + "'; installed: " + names());
                    }
                    Set<String> have;
                    synchronized (state) {
                        have = state.images.keySet();
                    }
                    return fail(reply, catalog.packages().isEmpty() ? "no models installed"
                            : "no model takes the channels received " + have + "; choose one with Model or Segment {\"model\": ...}");
                }
                List<String> missing = missing(state, pkg.get());
                if (!missing.isEmpty()) {
                    String msg = "not ready: model " + pkg.get().spec().name() + " still needs channel(s) " + missing;
                    send(session, StatusMessage.of(Envelope.v1("LesionLink"), StatusCode.NOT_READY, msg));
                    return fail(reply, msg);
                }
                if (args.has("tta") && args.get("tta").asBoolean() != catalog.options().tta()) {
                    return fail(reply, "tta is a server setting here (tta=" + catalog.options().tta()
                            + " in the configuration); models stay loaded with it");
                }
                String output = args.has("output") ? args.get("output").asText() : null;
                try {
                    String id = submit(session, state, pkg.get(), output, true);
                    reply.put("job", id);
                } catch (IllegalStateException e) {
                    return fail(reply, e.getMessage());
                }
            }
            case "GetJob" -> {
                String id = args.path("job").asText(null);
                Optional<Job> job = id == null ? Optional.empty() : queue.find(id);
                if (job.isEmpty()) {
                    return fail(reply, "unknown job '" + id + "'");
                }
                reply.put("job", id);
                reply.put("state", job.get().state().id());
                if (job.get().report() != null) {
                    reply.put("report", job.get().report());
                }
                if (job.get().error() != null) {
                    reply.put("error", job.get().error());
                }
            }
            default -> {
                return fail(reply, "unknown command '" + name + "' (GetModels, Model, Segment, Auto, Stream, GetJob)");
            }
        }
        reply.put("status", "SUCCESS");
        return reply;
    }

    private List<String> names() {
        return catalog.packages().stream().map(p -> p.spec().name()).toList();
    }

    private static Map<String, Object> fail(Map<String, Object> reply, String error) {
        reply.put("status", "FAIL");
        reply.put("error", error);
        return reply;
    }

    private void send(IgtlSession session, IgtlMessage m) {
        session.send(m);
    }

    /** Device names hold at most 20 characters: longer names are cut. */
    static String device(String name) {
        return fixed(name, 20);
    }

    private static String fixed(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }

    static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Used by tests: runs between a STRING command's execution and its reply (a slow reply, made on purpose). */
    volatile Runnable beforeReplyForTest = () -> { };

    /** Used by tests: how many connections hold a case. */
    int caseCount() {
        return cases.size();
    }

}
