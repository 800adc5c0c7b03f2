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
        IgtlServer ig = null;
        HttpApi h = null;
        DicomFlow d = null;
        try {
            ig = IgtlServer.start(IgtlServerConfig.builder().bindAddress(config.bindAddress()).port(config.igtlPort())
                    .workerThreads(Math.max(2, config.workers() + 1))
                    .tls(sec.igtl().tls() == null ? null : sec.igtl().tls().serverContext())
                    .clientFilter(sec.igtl().allowList()::allows).monitor(AuditEvents.igtl(audit)).build(), igtlService);
            log.info("OpenIGTLink listening on {}:{}{}", config.bindAddress(), ig.port(), sec.igtl().tls() == null ? "" : " (TLS)");
            if (config.httpPort() >= 0) {
                h = new HttpApi(config.bindAddress(), config.httpPort(), queue, metrics, config.storage().resolve("jobs"),
                        this::health, this::metricsText, sec.http().bearerToken(), audit);
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
                "dicomPort", dicomPort(), "dicomTlsPort", dicomTlsPort(), "callingAeAllowList",
                sec.dicom().allowedCallingAeTitles().isEmpty() ? "everyone" : String.join(", ", sec.dicom().allowedCallingAeTitles()));
    }

    /** Scans the models and starts every listener; fails (closing what started) when one cannot start. */
    public static LesionLinkServer start(ServerConfig config) throws IOException {
        Path models = config.models() != null ? config.models() : Path.of("models");
        LoadedModel.Options options = LoadedModel.Options.defaults().withDevice(config.device()).withTta(config.tta())
                .withThreads(config.threadsPerWorker()).withWarmUp(true);
        ModelCatalog catalog = ModelCatalog.scan(models, options);
        try {
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

    Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        boolean up = !closed.get();
        h.put("status", up ? "up" : "down");
        Map<String, Object> listeners = new LinkedHashMap<>();
        listeners.put("igtl", igtl == null ? -1 : igtl.port());
        listeners.put("http", httpPort());
        listeners.put("dicom", dicomPort());
        h.put("listeners", listeners);
        h.put("models", catalog.packages().stream().map(p -> p.spec().name()).toList());
        h.put("queueDepth", queue.depth());
        h.put("running", queue.runningCount());
        return h;
    }

    String metricsText() {
        return metrics.render(queue, () -> igtl == null ? 0 : igtl.sessions().size());
    }

    /** Blocks until {@link #close()} (e.g. from the shutdown hook). */
    public void awaitClose() throws InterruptedException {
        igtl.awaitClose();
    }

    /**
     * Graceful stop: no new jobs; running jobs finish (up to 60 s) and send their results; queued
     * interventional jobs are answered with STATUS 19 (shutting down), queued PACS jobs stay in the DICOM
     * journal and run after the next start; then DICOM, HTTP, OpenIGTLink and the models close, in reverse
     * start order.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("shutting down: finishing running jobs");
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
}
