package org.lesionlink.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.server.IgtlServer;
import org.lesionlink.igtl.server.IgtlServerConfig;
import org.lesionlink.inference.LoadedModel;
import org.lesionlink.security.AuditLog;
import org.lesionlink.security.Pseudonyms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lesionlink serve}: the models, the job queue and workers, and the listeners (OpenIGTLink, HTTP, DICOM),
 * started in that order and closed in reverse. The only class that knows both the protocols and inference.
 */
public final class LesionLinkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LesionLinkServer.class);

    private final ServerConfig config;
    private final ModelCatalog catalog;
    private final Metrics metrics = new Metrics();
    private final JobQueue queue;
    private final SegmentationRunner runner;
    private final IgtlSegmentationService igtlService;
    private final IgtlServer igtl;
    private final HttpApi http;
    private final DicomFlow dicom;
    private final AuditLog audit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LesionLinkServer(ServerConfig config, ModelCatalog catalog) throws IOException {
        this.config = config;
        this.catalog = catalog;
        Files.createDirectories(config.storage());
        // security: UID pseudonyms for logs and audit (a stable key under storage), then the audit log
        SecurityConfig sec = config.security();
        Pseudonyms pseudonyms = Pseudonyms.loadOrCreate(sec.pseudonymKeyFile(config.storage()));
        Pseudonyms.useForLogs(pseudonyms);
        this.audit = sec.auditEnabled() ? AuditLog.open(sec.auditLogFile(config.storage()), pseudonyms)
                : AuditLog.disabled(pseudonyms);
        this.runner = new SegmentationRunner(catalog, config.storage());
        this.queue = new JobQueue(config.queueCapacity(), config.workers(), 1000, AuditEvents.jobs(runner, audit), metrics);
        AtomicLong counter = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);
        this.igtlService = new IgtlSegmentationService(catalog, queue, metrics, config.smoothingIterations(), counter, audit);
        IgtlAblationService ablation = new IgtlAblationService(igtlService, org.lesionlink.ablation.DeviceTable.builtIn());
        igtlService.resultListener(ablation::segmented); // section 7: a segmentation can be the ablation target
        IgtlServer ig = null;
        HttpApi h = null;
        DicomFlow d = null;
        try {
            ServerLimits limits = config.limits();
            ig = IgtlServer.start(IgtlServerConfig.builder().bindAddress(config.bindAddress()).port(config.igtlPort())
                    .workerThreads(Math.max(2, config.workers() + 1))
                    .maxBodySize(limits.igtlMaxMessageBytes()).maxClients(limits.igtlMaxConnections())
                    .idleTimeout(limits.igtlIdleTimeout())
                    .tls(sec.igtl().tls() == null ? null : sec.igtl().tls().serverContext())
                    .clientFilter(sec.igtl().allowList()::allows).monitor(AuditEvents.igtl(audit)).build(), ablation);
            log.info("OpenIGTLink listening on {}:{}{}", config.bindAddress(), ig.port(), sec.igtl().tls() == null ? "" : " (TLS)");
            if (config.httpPort() >= 0) {
                h = new HttpApi(config.bindAddress(), config.httpPort(), queue, metrics, config.storage().resolve("jobs"),
                        this::health, this::metricsText, sec.http().bearerToken(), audit,
                        sec.http().tls() == null ? null : sec.http().tls().serverContext());
                log.info("HTTP listening on {}:{}", config.bindAddress(), h.port());
            }
            if (config.dicomPort() >= 0 || sec.dicom().tlsPort() >= 0) {
                d = new DicomFlow(config, catalog, queue, metrics, counter, audit);
                log.info("DICOM {} listening on {}:{}{}; SEG destinations {}", config.aeTitle(), config.bindAddress(), d.port(),
                        d.tlsPort() < 0 ? "" : ", TLS on " + d.tlsPort(),
                        config.dicomDestinations().isEmpty() && sec.dicom().tlsDestinations().isEmpty() ? "none"
                                : config.dicomDestinations() + (sec.dicom().tlsDestinations().isEmpty() ? ""
                                        : " and over TLS " + sec.dicom().tlsDestinations()));
            }
        } catch (IOException | RuntimeException e) {
            if (d != null) {
                d.close();
            }
            if (h != null) {
                h.close();
            }
            if (ig != null) {
                ig.close();
            }
            queue.shutdown(0);
            audit.close();
            throw e;
        }
        this.igtl = ig;
        this.http = h;
        this.dicom = d;
        audit.record("server-started", "igtlPort", ig.port(), "igtlTls", sec.igtl().tls() != null, "igtlAllowList",
                sec.igtl().allowList().toString(), "httpPort", httpPort(), "httpToken", sec.http().bearerTokenFile() != null,
                "httpTls", sec.http().tls() != null, "dicomPort", dicomPort(), "dicomTlsPort", dicomTlsPort(), "callingAeAllowList",
                sec.dicom().allowedCallingAeTitles().isEmpty() ? "everyone" : String.join(", ", sec.dicom().allowedCallingAeTitles()));
    }

    /** Scans the models and starts every listener; fails (closing what started) when one cannot start. */
    public static LesionLinkServer start(ServerConfig config) throws IOException {
        Path models = config.models() != null ? config.models() : Path.of("models");
        LoadedModel.Options options = LoadedModel.Options.defaults().withDevice(config.device()).withTta(config.tta())
                .withThreads(config.threadsPerWorker()).withWarmUp(true);
        ModelCatalog catalog = ModelCatalog.scan(models, options);
        try {
            // Before any listener opens: the first job must not pay the model load and warm-up.
            long t0 = System.nanoTime();
            catalog.preload(config.workers());
            if (!catalog.packages().isEmpty()) {
                log.info("models ready in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, catalog.status());
            }
            return new LesionLinkServer(config, catalog);
        } catch (IOException | RuntimeException e) {
            catalog.close();
            throw e;
        }
    }

    public ServerConfig config() {
        return config;
    }

    public int igtlPort() {
        return igtl.port();
    }

    /** -1 when DICOM is off. */
    public int dicomPort() {
        return dicom == null ? -1 : dicom.port();
    }

    /** The DICOM TLS port; -1 when there is none. */
    public int dicomTlsPort() {
        return dicom == null ? -1 : dicom.tlsPort();
    }

    /** The audit log file, or null when auditing is off. */
    public Path auditLog() {
        return audit.file();
    }

    /** -1 when HTTP is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public JobQueue queue() {
        return queue;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /**
     * {@code /health}: each listener (port, and whether it accepts connections; a listener configured off
     * says so), each model (see {@link ModelCatalog#status()}) and the queue. {@code status} is {@code up}
     * when every configured listener accepts and no model failed to load, {@code degraded} otherwise, and
     * {@code stopping} once a shutdown began; HTTP answers 200 only for {@code up}.
     */
    Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        Map<String, Object> listeners = new LinkedHashMap<>();
        listeners.put("igtl", listener(igtl == null ? -1 : igtl.port(), igtl != null && igtl.isListening()));
        listeners.put("http", listener(httpPort(), http != null)); // it answers this request
        listeners.put("dicom", listener(dicomPort(), dicom != null && dicom.isListening()));
        boolean listening = listeners.values().stream().map(l -> (Map<?, ?>) l)
                .allMatch(l -> !"down".equals(l.get("status")));
        h.put("status", closed.get() ? "stopping" : listening && !catalog.anyFailed() ? "up" : "degraded");
        h.put("listeners", listeners);
        h.put("models", catalog.status());
        h.put("queueDepth", queue.depth());
        h.put("running", queue.runningCount());
        return h;
    }

    private static Map<String, Object> listener(int port, boolean up) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("port", port);
        l.put("status", port < 0 ? "off" : up ? "up" : "down");
        return l;
    }

    String metricsText() {
        return metrics.render(queue, () -> igtl == null ? 0 : igtl.sessions().size());
    }

    /** Blocks until {@link #close()} (e.g. from the shutdown hook). */
    public void awaitClose() throws InterruptedException {
        igtl.awaitClose();
    }

    /**
     * Graceful stop: first no new connections or associations (OpenIGTLink and DICOM stop accepting; HTTP
     * stays up and {@code /health} says {@code stopping}) and no new jobs; running jobs finish (up to 60 s)
     * and send their results over the connections already open; queued interventional jobs are answered
     * with STATUS 19 (shutting down), queued PACS jobs stay in the DICOM journal and run after the next
     * start; then DICOM, HTTP, OpenIGTLink and the models close, in reverse start order.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("shutting down: no new connections; finishing running jobs");
        igtl.stopAccepting();
        if (dicom != null) {
            dicom.stopAccepting();
        }
        Collection<Job> left = queue.shutdown(60_000);
        List<String> ids = new ArrayList<>();
        for (Job j : left) {
            j.failed("server shutting down before the job started");
            ids.add(j.id());
        }
        if (!ids.isEmpty()) {
            log.warn("jobs not run because of the shutdown: {}", ids);
            for (var s : igtl.sessions()) {
                s.send(StatusMessage.of(Envelope.v1("LesionLink"), StatusCode.SHUTTING_DOWN, "server shutting down"));
            }
        }
        if (dicom != null) {
            dicom.close();
        }
        if (http != null) {
            http.close();
        }
        igtl.close();
        catalog.close();
        audit.record("server-stopped");
        audit.close();
        log.info("stopped");
    }

    // used by tests
    IgtlSegmentationService igtlSegmentationForTest() {
        return igtlService;
    }
}
