package org.lesionlink.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.Wire;
import org.lesionlink.igtl.server.IgtlServer;
import org.lesionlink.igtl.server.IgtlServerConfig;
import org.lesionlink.igtl.server.IgtlService;
import org.lesionlink.igtl.server.IgtlSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lesionlink igtl-echo [--port 18944]}: an OpenIGTLink server that sends every IMAGE, STRING and
 * STATUS straight back to its sender, renamed {@code <name>_echo}. A diagnostic for a Slicer, PLUS or
 * scanner connection (is the network path open, are CRCs and geometry intact, how fast is the round
 * trip), and the LesionLink side of {@code bench/igtl-echo/}.
 *
 * <p>Each message is decoded (CRC checked, content parsed) and encoded again, as any LesionLink service
 * reply would be: IMAGE keeps its geometry, scalar type, endianness, pixels, timestamp and v3 metadata.
 * The new name matters for Slicer: a volume echoed under its own name would overwrite the node it came
 * from, and an outgoing node that is updated is sent again.
 */
@Command(name = "igtl-echo", mixinStandardHelpOptions = true,
        description = {
                "Run an OpenIGTLink server that echoes every IMAGE, STRING and STATUS back to its sender, renamed "
                        + "<name>_echo (the name cut so that it fits 20 characters). Use it to test a 3D Slicer, PLUS or "
                        + "scanner connection: in Slicer's OpenIGTLinkIF module connect as a client to this host and "
                        + "port and send a volume; it comes back as <volume>_echo with the same geometry and voxels.",
                "Messages are decoded (CRC-checked) and re-encoded, replies go out in the header version the peer "
                        + "uses. GET_STATUS is answered with STATUS OK; other types are counted and ignored. "
                        + "Stops on Ctrl-C (or after --duration) and prints what it echoed."})
final class IgtlEchoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "18944", paramLabel = "PORT",
            description = "TCP port to listen on (default 18944, the OpenIGTLink port; 0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address to listen on (default all interfaces; 127.0.0.1 for this machine only).")
    String bind;

    @Option(names = "--suffix", defaultValue = "_echo", paramLabel = "TEXT",
            description = "Appended to the device name of each echo (default _echo; \"\" keeps the name).")
    String suffix;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default 0: run until Ctrl-C).")
    double duration;

    @Option(names = "--workers", paramLabel = "N",
            description = "Threads that run the echo (default: the server's usual worker pool, max(2, cores), as in "
                    + "the application). 0 runs it on the network I/O threads instead, which a service that never "
                    + "blocks may do (no hand-off per message).")
    Integer workers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Wire.checkFixed("--suffix", suffix, 20);
        if (duration < 0) {
            throw new IllegalArgumentException("--duration must not be negative, got " + duration);
        }
        if (workers != null && workers < 0) {
            throw new IllegalArgumentException("--workers must be 0 (I/O threads) or more, got " + workers);
        }
        PrintWriter out = spec.commandLine().getOut();
        Echo echo = new Echo(suffix);
        // The server's defaults, as the application runs it (worker pool included), unless --workers says
        // otherwise; bench/igtl-echo measures this configuration.
        IgtlServerConfig.Builder builder = IgtlServerConfig.builder().bindAddress(bind).port(port);
        if (workers != null) {
            builder.workerThreads(workers);
        }
        IgtlServerConfig config = builder.build();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C (SIGINT) runs shutdown hooks: let this thread close the server and report, then exit.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "igtl-echo-shutdown");
        IgtlServer server = IgtlServer.start(config, echo);
        try {
            out.println("igtl-echo: listening on " + server.localAddress().getAddress().getHostAddress() + ":" + server.port()
                    + "; echoing IMAGE, STRING and STATUS as <name>" + suffix + (duration > 0
                    ? String.format(Locale.ROOT, " for %.1f s", duration) : "; Ctrl-C stops"));
            out.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            if (duration > 0) {
                stop.await((long) (duration * 1e9), TimeUnit.NANOSECONDS);
            } else {
                stop.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop as for Ctrl-C, and keep the interrupt for the caller
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverAdded) {
                // the JVM is exiting (Ctrl-C)
            }
            out.println("igtl-echo: stopped; " + echo.summary());
            out.flush();
            stopped.countDown();
        }
        return 0;
    }

    /** The service: echo IMAGE, STRING, STATUS under a new name, count the rest. */
    static final class Echo implements IgtlService {
        private final String suffix;
        final AtomicLong images = new AtomicLong();
        final AtomicLong imageBytes = new AtomicLong();
        final AtomicLong strings = new AtomicLong();
        final AtomicLong statuses = new AtomicLong();
        final AtomicLong ignored = new AtomicLong();
        final AtomicLong connections = new AtomicLong();

        Echo(String suffix) {
            this.suffix = suffix;
        }

        /** {@code name + suffix}, the name cut so that the result fits the 20-byte device name field. */
        String echoName(String name) {
            int keep = Math.min(name.length(), 20 - suffix.length());
            return name.substring(0, keep) + suffix;
        }

        @Override
        public void onConnect(IgtlSession session) {
            connections.incrementAndGet();
        }

        @Override
        public void onMessage(IgtlSession session, IgtlMessage message) {
            if (message instanceof ImageMessage || message instanceof StringMessage || message instanceof StatusMessage) {
                session.send(message.withEnvelope(message.envelope().withDeviceName(echoName(message.deviceName()))));
                if (message instanceof ImageMessage image) {
                    images.incrementAndGet();
                    imageBytes.addAndGet(image.pixels().remaining());
                } else if (message instanceof StringMessage) {
                    strings.incrementAndGet();
                } else {
                    statuses.incrementAndGet();
                }
            } else {
                ignored.incrementAndGet();
            }
        }

        String summary() {
            return String.format(Locale.ROOT, "%d connection(s); echoed %d IMAGE (%.1f MB of pixels), %d STRING, %d STATUS;"
                            + " ignored %d other message(s)", connections.get(), images.get(), imageBytes.get() / 1e6,
                    strings.get(), statuses.get(), ignored.get());
        }
    }
}
