package org.lesionlink.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.AcceptorPolicy;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomClient;
import org.lesionlink.dicom.net.DicomServer;
import org.lesionlink.dicom.net.DicomServerConfig;
import org.lesionlink.dicom.net.PresentationContextPolicy;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.StoreScu;
import org.lesionlink.dicom.net.dimse.StorageJournal;
import org.lesionlink.dicom.net.dimse.StoredInstance;
import org.lesionlink.dicom.net.dimse.StudyLimits;
import org.lesionlink.dicom.seg.AlgorithmIdentification;
import org.lesionlink.dicom.seg.Code;
import org.lesionlink.dicom.seg.SegmentDescription;
import org.lesionlink.dicom.seg.SegmentationWriter;
import org.lesionlink.dicom.volume.AssembledSeries;
import org.lesionlink.dicom.volume.ChannelRules;
import org.lesionlink.dicom.volume.ChannelSelection;
import org.lesionlink.dicom.volume.ChannelSelectionException;
import org.lesionlink.dicom.volume.ChannelSelector;
import org.lesionlink.dicom.volume.DicomScanner;
import org.lesionlink.dicom.volume.SeriesResult;
import org.lesionlink.dicom.volume.VolumeAssembler;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.security.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PACS side of {@code lesionlink serve}. Instances arrive at the storage SCP (durable on disk before
 * success is answered) under {@code storage/dicom/incoming/<study>/<series>/}; a study is complete after
 * {@code studyQuietSeconds} without a new instance. Then the channel rules of each model (in catalog order)
 * pick its series, the first model whose rules succeed runs as a (lower priority) job, and the result is
 * written as a DICOM SEG (deterministic UIDs: derived from the source series, the labelmap, the segments
 * and the algorithm name and version, so a re-run of the same study with the same model gives the same SOP
 * Instance UID) plus the JSON/HTML report, and the SEG is sent by C-STORE to every destination with
 * retries and exponential backoff.
 *
 * <p><b>Journal and delivery guarantee.</b> {@code storage/dicom/journal.jsonl} records, each line fsynced,
 * {@code queued} (study, instance count), {@code segmented} (SEG file and UID), {@code sent} (per
 * destination, written only after the C-STORE succeeded), {@code failed}. After a crash at any point, the
 * server resumes on start: a study without {@code segmented} is segmented again (after the quiet period);
 * a study segmented but not sent to some destination is sent from the stored SEG file. A crash between a
 * successful C-STORE and its {@code sent} line sends the same SEG again: delivery is <em>at least once</em>,
 * and a repeated delivery carries the same SOP Instance UID, so the receiver recognises (Orthanc: replaces)
 * it. A study with new instances after it was sent is processed again.
 *
 * <p><b>Security.</b> A second storage SCP with TLS runs on {@code security.dicom.tlsPort} (same services, same
 * storage); both apply the calling-AE allow-list. SEGs go over TLS to {@code security.dicom.tlsDestinations}. Logs
 * name studies and SEGs by pseudonym only; the audit log records associations, studies received and results sent.
 */
final class DicomFlow implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomFlow.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final ServerConfig config;
    private final ModelCatalog catalog;
    private final JobQueue queue;
    private final Metrics metrics;
    private final AtomicLong counter;
    private final Path incoming;
    private final Path results;
    private final Journal journal;
    /**
     * Makes received instances durable (write-ahead; none on a file system in memory); replayed before
     * {@link #resume} counts the studies.
     */
    private final StorageJournal storeJournal;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lesionlink-dicom-flow");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lesionlink-dicom-send");
        t.setDaemon(true);
        return t;
    });
    /** Study UID to the time (nanos) of its newest instance, for studies waiting for processing. */
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final Map<String, StudyRecord> records = new ConcurrentHashMap<>();
    private final DicomServer server;
    private final DicomServer tlsServer;
    private final DicomClient client;
    private final DicomClient tlsClient;
    private final AuditLog audit;
    /** Plain destinations then TLS ones; the journal keys them by {@code toString()}. */
    private final List<ServerConfig.Destination> destinations;
    private final Set<ServerConfig.Destination> tlsDestinations;

    /** What the journal says about a study. */
    static final class StudyRecord {
        int instances = -1;
        String segFile;
        String segUid;
        String model;
        final Set<String> sentTo = new HashSet<>();
    }

    DicomFlow(ServerConfig config, ModelCatalog catalog, JobQueue queue, Metrics metrics, AtomicLong counter, AuditLog audit)
            throws IOException {
        this.config = config;
        this.audit = audit;
        SecurityConfig.Dicom sec = config.security().dicom();
        this.tlsDestinations = Set.copyOf(sec.destinations());
        List<ServerConfig.Destination> all = new ArrayList<>(config.destinations());
        all.addAll(sec.destinations());
        this.destinations = List.copyOf(all);
        this.catalog = catalog;
        this.queue = queue;
        this.metrics = metrics;
        this.counter = counter;
        Path root = config.storage().resolve("dicom");
        this.incoming = root.resolve("incoming");
        this.results = root.resolve("results");
        Files.createDirectories(incoming);
        Files.createDirectories(results);
        int stale = CStoreScp.deleteStaleTemporaryFiles(incoming);
        if (stale > 0) {
            log.info("deleted {} partial instance(s) of associations cut off by the last stop (never acknowledged)", stale);
        }
        replay(Journal.read(root.resolve("journal.jsonl")));
        this.journal = new Journal(root.resolve("journal.jsonl"));
        this.client = new DicomClient(AssociationSettings.of(config.aeTitle()));
        ServerLimits limits = config.limits();
        this.tlsClient = tlsDestinations.isEmpty() ? null : new DicomClient(AssociationSettings.of(config.aeTitle()),
                sec.destinationTls() != null ? sec.destinationTls().clientContext()
                        : new org.lesionlink.security.TlsSettings(null, null, null, "none").clientContext());
        this.storeJournal = StorageJournal.worthwhile(incoming)
                ? StorageJournal.open(root.resolve("incoming-journal"), incoming) : null;
        CStoreScp store = new CStoreScp(incoming, PresentationContextPolicy.DEFAULT_STORAGE, this::onStored,
                new StudyLimits(limits.maxInstancesPerStudy(), limits.maxStudyBytes()), storeJournal);
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp()).register(store)
                .setStorageFallback(store);
        DicomServerConfig cfg = DicomServerConfig.of(config.aeTitle(), Math.max(0, config.dicomPort()))
                .withBindAddress(config.bindAddress())
                .withPolicy(AcceptorPolicy.defaults().withMaxAssociations(limits.dicomMaxAssociations())
                        .withCallingAeFilter(sec.callingAeAllowList()))
                .withSettings(AssociationSettings.of(config.aeTitle()).withMaxPduLength(limits.dicomMaxPduBytes())
                        .withMaxDataSetLength(limits.dicomMaxDataSetBytes()))
                .withIdleTimeout(limits.dicomIdleTimeout())
                .withMonitor(AuditEvents.dicom(audit));
        DicomServer plain = null;
        try {
            plain = config.dicomPort() >= 0 ? DicomServer.start(cfg, registry) : null;
            this.tlsServer = sec.tlsPort() >= 0
                    ? DicomServer.start(cfg.withPort(sec.tlsPort()).withTls(sec.tls().serverContext()), registry) : null;
        } catch (IOException | RuntimeException e) {
            if (plain != null) {
                plain.close();
            }
            if (storeJournal != null) {
                storeJournal.close();
            }
            throw e;
        }
        this.server = plain;
        resume();
        scheduler.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** The plain port, -1 when there is none. */
    int port() {
        return server == null ? -1 : server.port();
    }

    /** The TLS port, -1 when there is none. */
    int tlsPort() {
        return tlsServer == null ? -1 : tlsServer.port();
    }

    /** A UID's pseudonym, for logs and the audit log. */
    private String p(String uid) {
        return audit.pseudonyms().uid(uid);
    }

    /** Whether the storage SCP accepts new associations. */
    boolean isListening() {
        return server.isListening();
    }

    /** Graceful stop, first step: no new associations; studies already received stay pending or queued. */
    void stopAccepting() {
        server.stopAccepting();
    }

    Path journalFile() {
        return journal.file();
    }

    private void replay(List<Map<String, Object>> entries) {
        for (Map<String, Object> e : entries) {
            String study = (String) e.get("study");
            if (study == null) {
                continue;
            }
            StudyRecord r = records.computeIfAbsent(study, s -> new StudyRecord());
            switch (String.valueOf(e.get("event"))) {
                case "queued" -> {
                    r.instances = ((Number) e.get("instances")).intValue();
                    r.segFile = null;
                    r.segUid = null;
                    r.sentTo.clear();
                }
                case "segmented" -> {
                    r.segFile = (String) e.get("file");
                    r.segUid = (String) e.get("seg");
                    r.model = (String) e.get("model");
                }
                case "sent" -> r.sentTo.add((String) e.get("destination"));
                default -> { }
            }
        }
    }

    /** On start: every stored study not fully delivered goes back to pending (or straight to sending). */
    private void resume() throws IOException {
        try (Stream<Path> studies = Files.list(incoming)) {
            for (Path dir : studies.filter(Files::isDirectory).toList()) {
                String study = studyUidOf(dir);
                if (study == null) {
                    continue;
                }
                StudyRecord r = records.get(study);
                int count = countInstances(dir);
                if (r != null && r.instances == count && r.segFile != null && Files.exists(Path.of(r.segFile))) {
                    if (!unsent(r).isEmpty()) {
                        log.info("resuming study {}: SEG {} not yet sent to {}", p(study), p(r.segUid), unsent(r));
                        inProgress.add(study);
                        sendAll(study, r, 0);
                    }
                } else {
                    log.info("resuming study {}: {} instance(s), not yet segmented", p(study), count);
                    pending.put(study, System.nanoTime());
                }
            }
        }
    }

    private List<String> unsent(StudyRecord r) {
        List<String> out = new ArrayList<>();
        for (ServerConfig.Destination d : destinations) {
            if (!r.sentTo.contains(d.toString())) {
                out.add(d.toString());
            }
        }
        return out;
    }

    private static String studyUidOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).limit(1).toList()) {
                return new DicomReader().read(f).dataset().getString(Tag.StudyInstanceUID);
            }
        }
        return null;
    }

    private static int countInstances(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(".dcm")).count();
        }
    }

    private void onStored(StoredInstance i) {
        metrics.dicomBytesIn.addAndGet(i.fileSize());
        pending.put(i.studyInstanceUid(), System.nanoTime());
    }

    private void tick() {
        long quiet = (long) (config.studyQuietSeconds() * 1e9);
        long now = System.nanoTime();
        for (Map.Entry<String, Long> e : pending.entrySet()) {
            String study = e.getKey();
            if (now - e.getValue() < quiet || inProgress.contains(study)) {
                continue;
            }
            pending.remove(study, e.getValue());
            inProgress.add(study);
            try {
                process(study);
            } catch (java.io.IOException ex) {
                inProgress.remove(study);
                if (ex instanceof org.lesionlink.dicom.io.DicomException || ex instanceof java.nio.file.NoSuchFileException) {
                    log.warn("study {}: {}", study, ex.getMessage(), ex);
                    journalQuietly(Map.of("study", study, "event", "failed", "error", String.valueOf(ex.getMessage())));
                } else {
                    // the disk (full, failing): the instances are safe; try again in 30 s rather than wait for a restart
                    log.warn("study {}: {}; trying again in 30 s", study, ex.toString());
                    pending.putIfAbsent(study, System.nanoTime() - quiet + 30_000_000_000L);
                }
            } catch (Exception ex) {
                log.warn("study {}: {}", p(study), ex.getMessage(), ex);
                inProgress.remove(study);
                journalQuietly(Map.of("study", study, "event", "failed", "error", String.valueOf(ex.getMessage())));
            }
        }
    }

    private void process(String study) throws Exception {
        Path dir = incoming.resolve(CStoreScp.safeName(study));
        int count = countInstances(dir);
        audit.record("dicom-study-received", "study", p(study), "instances", count);
        StudyRecord r = records.get(study);
        if (r != null && r.instances == count && r.segFile != null && Files.exists(Path.of(r.segFile))) {
            if (unsent(r).isEmpty()) {
                log.info("study {}: already segmented and sent (SEG {}); nothing to do", p(study), p(r.segUid));
                inProgress.remove(study);
            } else {
                sendAll(study, r, 0);
            }
            return;
        }
        List<SeriesResult> series = new VolumeAssembler().assembleAll(DicomScanner.scan(dir).instances());
        series = series.stream().filter(s -> !"SEG".equals(s.info().modality())).toList();
        ModelPackage chosen = null;
        ChannelSelection selection = null;
        List<String> why = new ArrayList<>();
        for (ModelPackage p : catalog.packages()) {
            try {
                selection = ChannelSelector.select(series, ChannelRules.defaults(ModelCatalog.channels(p.spec())));
                chosen = p;
                break;
            } catch (ChannelSelectionException | IllegalArgumentException e) {
                why.add(p.spec().name() + ": " + e.getMessage());
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("no model's channel rules match the study" + (why.isEmpty() ? " (no models)" : ": " + why));
        }
        List<Volume> inputs = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        AssembledSeries reference = null;
        for (String channel : ModelCatalog.channels(chosen.spec())) {
            AssembledSeries a = selection.pick(channel).orElseThrow().series().volume();
            if (reference == null) {
                reference = a;
            }
            inputs.add(a.volume());
            names.put(channel, a.info().seriesInstanceUid() + " (" + a.info().seriesDescription() + ")");
        }
        String id = "dicom-" + counter.incrementAndGet();
        AssembledSeries ref = reference;
        ModelPackage pkg = chosen;
        Job job = new Job(id, Job.Source.DICOM, pkg.spec().name(), names, inputs, "SEG", j -> finished(j, study, count, pkg, ref));
        journal.append(Map.of("study", study, "event", "queued", "job", id, "model", pkg.spec().name(), "instances", count));
        StudyRecord rec = records.computeIfAbsent(study, s -> new StudyRecord());
        synchronized (rec) {
            rec.instances = count;
            rec.segFile = null;
            rec.segUid = null;
            rec.sentTo.clear();
        }
        try {
            queue.submit(job);
        } catch (QueueFullException e) {
            log.warn("study {}: {}; retrying in 5 s", p(study), e.getMessage());
            inProgress.remove(study);
            pending.put(study, System.nanoTime() - (long) (config.studyQuietSeconds() * 1e9) + 5_000_000_000L);
        }
    }

    private void finished(Job job, String study, int count, ModelPackage pkg, AssembledSeries ref) {
        if (job.state() != Job.State.DONE) {
            inProgress.remove(study);
            journalQuietly(Map.of("study", study, "event", "failed", "job", job.id(), "error", String.valueOf(job.error())));
            return;
        }
        try {
            long t0 = System.nanoTime();
            ModelSpec spec = pkg.spec();
            List<SegmentDescription> segments = new ArrayList<>();
            for (ModelSpec.Label l : spec.labels()) {
                segments.add(SegmentDescription.of(l.value(), l.name(), Code.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                        Code.NEOPLASM_SECONDARY));
            }
            SegmentationWriter writer = new SegmentationWriter(new AlgorithmIdentification(AlgorithmIdentification.Type.AUTOMATIC,
                    Code.ARTIFICIAL_INTELLIGENCE, spec.name(), spec.version())).withDeterministicUids(true);
            Path dir = results.resolve(CStoreScp.safeName(study));
            Files.createDirectories(dir);
            Path file = dir.resolve("seg-" + spec.name() + ".dcm");
            Attributes seg = writer.write(file, job.result().labelMap(), ref.sourceSeries(), segments);
            String uid = seg.getString(Tag.SOPInstanceUID);
            Path jobDir = config.storage().resolve("jobs").resolve(job.id());
            Files.createDirectories(jobDir);
            Files.copy(file, jobDir.resolve("seg.dcm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            job.timing("dicom-seg", (System.nanoTime() - t0) / 1_000_000);
            journal.append(Map.of("study", study, "event", "segmented", "job", job.id(), "model", spec.name(),
                    "file", file.toString(), "seg", uid));
            StudyRecord r = records.computeIfAbsent(study, s -> new StudyRecord());
            synchronized (r) {
                r.instances = count;
                r.segFile = file.toString();
                r.segUid = uid;
                r.model = spec.name();
            }
            log.info("study {}: job {} wrote SEG {} ({} lesions)", p(study), job.id(), p(uid), job.result().lesions().size());
            sendAll(study, r, 0);
        } catch (Exception e) {
            log.warn("study {}: writing the SEG failed: {}", p(study), e.toString(), e);
            inProgress.remove(study);
            journalQuietly(Map.of("study", study, "event", "failed", "job", job.id(), "error", String.valueOf(e.getMessage())));
        }
    }

    /** Sends the study's SEG to every destination it has not reached; retries with backoff on the sender thread. */
    private void sendAll(String study, StudyRecord r, int attempt) {
        sender.execute(() -> {
            List<String> left = new ArrayList<>();
            for (ServerConfig.Destination d : destinations) {
                synchronized (r) {
                    if (r.sentTo.contains(d.toString())) {
                        continue;
                    }
                }
                try {
                    send(Path.of(r.segFile), d);
                    journal.append(Map.of("study", study, "event", "sent", "destination", d.toString(), "seg", r.segUid));
                    synchronized (r) {
                        r.sentTo.add(d.toString());
                    }
                    log.info("study {}: SEG {} sent to {}", p(study), p(r.segUid), d);
                    audit.record("dicom-result-sent", "study", p(study), "seg", p(r.segUid), "destination", d.toString(),
                            "tls", tlsDestinations.contains(d));
                } catch (IOException e) {
                    log.warn("study {}: sending SEG to {} failed (attempt {}): {}", p(study), d, attempt + 1, e.getMessage());
                    audit.record("dicom-result-send-failed", "study", p(study), "seg", p(r.segUid), "destination",
                            d.toString(), "tls", tlsDestinations.contains(d), "attempt", attempt + 1, "reason", e.getMessage());
                    left.add(d.toString());
                }
            }
            if (left.isEmpty()) {
                inProgress.remove(study);
            } else {
                // A destination that is down gets the SEG when it returns: retries never stop (the SEG is on disk and
                // in the journal, so nothing is lost meanwhile); after MAX_ATTEMPTS the log says so once.
                if (attempt + 1 == MAX_ATTEMPTS) {
                    log.error("study {}: sending to {} failed {} times; retrying every {} s until it succeeds", study, left,
                            MAX_ATTEMPTS, MAX_BACKOFF_MS / 1000);
                }
                long delay = Math.min(MAX_BACKOFF_MS, 1000L << Math.min(attempt, 20));
                sender.schedule(() -> sendAll(study, r, attempt + 1), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    private void send(Path segFile, ServerConfig.Destination d) throws IOException {
        StoreScu.Instance inst = StoreScu.probe(segFile);
        DicomClient c = tlsDestinations.contains(d) ? tlsClient : client;
        Association as = c.open(d.host(), d.port(), d.aeTitle(), StoreScu.presentationContexts(List.of(inst)));
        try {
            DimseResponse rsp = StoreScu.store(as, inst);
            if (rsp.status() != 0) {
                throw new IOException("C-STORE status 0x" + Integer.toHexString(rsp.status()) + " " + rsp.errorComment());
            }
            metrics.dicomBytesOut.addAndGet(Files.size(segFile));
        } finally {
            try {
                as.release();
            } catch (IOException e) {
                as.abort();
            }
        }
    }

    private void journalQuietly(Map<String, Object> e) {
        try {
            journal.append(e);
        } catch (IOException ex) {
            log.error("journal write failed: {}", ex.toString());
        }
    }

    /** Stops receiving; pending and unsent studies stay on disk and in the journal for the next start. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (tlsServer != null) {
            tlsServer.close();
        }
        if (storeJournal != null) {
            storeJournal.close();
        }
        scheduler.shutdownNow();
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
        client.close();
        if (tlsClient != null) {
            tlsClient.close();
        }
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("journal close: {}", e.toString());
        }
    }

}
