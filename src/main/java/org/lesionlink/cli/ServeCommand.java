package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lesionlink.server.LesionLinkServer;
import org.lesionlink.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lesionlink serve}: runs the OpenIGTLink and HTTP listeners until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the installed models over OpenIGTLink (3D Slicer, PLUS, scanners) and HTTP (health, metrics, reports).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "JSON or YAML (.yaml, .yml) configuration (keys: see README, `serve`).")
    Path config;

    @Option(names = {"--igtl-port", "--port"}, paramLabel = "PORT", description = "OpenIGTLink port (default 18944; 0 = any free port).")
    Integer igtlPort;

    @Option(names = "--dicom-port", paramLabel = "PORT", description = "DICOM storage SCP port (default 11112; -1 = off).")
    Integer dicomPort;

    @Option(names = "--ae-title", paramLabel = "AET", description = "DICOM AE title (default LESIONLINK).")
    String aeTitle;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (default 8080; 0 = any free port; -1 = off).")
    Integer httpPort;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default 0.0.0.0).")
    String bind;

    @Option(names = "--models", paramLabel = "DIR",
            description = "Models directory (default: models/ next to the jar if it exists, else ./models).")
    Path models;

    @Option(names = "--storage", paramLabel = "DIR", description = "Where job reports go (default ./lesionlink-data).")
    Path storage;

    @Option(names = "--dicom-destination", paramLabel = "AET@HOST:PORT", description = "Where DICOM SEG results are sent (repeatable).")
    List<String> destinations;

    @Option(names = "--workers", paramLabel = "N", description = "Segmentation workers (default 1).")
    Integer workers;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "Where the networks run (default auto).")
    String device;

    @Mixin
    SecurityOptions security = new SecurityOptions();

    @Override
    public Integer call() throws Exception {
        ServerConfig base = config != null ? ServerConfig.load(config) : ServerConfig.defaults();
        Map<String, Object> o = new HashMap<>();
        put(o, "igtlPort", igtlPort);
        put(o, "dicomPort", dicomPort);
        put(o, "aeTitle", aeTitle);
        put(o, "httpPort", httpPort);
        put(o, "bindAddress", bind);
        put(o, "storage", storage);
        put(o, "dicomDestinations", destinations);
        put(o, "workers", workers);
        put(o, "device", device);
        o.put("security", security.applyTo(base.security()));
        o.put("models", models != null ? models : base.models() != null ? base.models() : Cli.modelsDir(null));
        ServerConfig cfg = base.with(o);
        LesionLinkServer server = LesionLinkServer.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "lesionlink-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.awaitClose();
        stopped.await();
        return 0;
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }
}
