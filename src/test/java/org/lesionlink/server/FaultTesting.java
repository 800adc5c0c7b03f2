package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.image.Geometry;
import org.lesionlink.testing.Peers;
import org.slf4j.LoggerFactory;

/**
 * Pieces of the fault and load tests (issue 12): hashes of what was sent and what is on disk, dcmtk's storescu with
 * its per-file answers, a serve child process that can be killed with SIGKILL, a Netty leak watch that turns leak
 * reports into failures, and a used-heap sampler.
 */
final class FaultTesting {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultTesting() {}

    // ---------------------------------------------------------------- data

    /**
     * SHA-256 of the data set of a PS3.10 file: everything after the File Meta Information (whose group length
     * (0002,0000) is its first element, PS3.10 section 7.1). The SCP writes its own meta header in front of the
     * bytes it received, so the data set is what must match what was sent.
     */
    static String datasetSha256(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < 144 || b[128] != 'D' || b[129] != 'I' || b[130] != 'C' || b[131] != 'M') {
            throw new IOException(file + ": not a PS3.10 file");
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (bb.getShort(132) != 0x0002 || bb.getShort(134) != 0x0000 || b[136] != 'U' || b[137] != 'L') {
            throw new IOException(file + ": File Meta Information does not start with its group length");
        }
        long start = 144L + Integer.toUnsignedLong(bb.getInt(140));
        if (start > b.length) {
            throw new IOException(file + ": meta group length beyond the end of the file");
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, (int) start, b.length - (int) start);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A small MR series (sphere of 400 in 100, 32 x 28 x 16, 2 mm) with UIDs from {@code seed}, written to {@code dir};
     * {@code padBytes} extra bytes in a private element make each instance larger (0 = none).
     */
    static List<Path> series(Path dir, String seed, int padBytes) throws IOException {
        int nx = DicomFlowOrthancTest.NX, ny = DicomFlowOrthancTest.NY, nz = DicomFlowOrthancTest.NZ;
        Geometry g = Geometry.axisAligned(new int[] {nx, ny, nz}, new double[] {2, 2, 2}, new double[] {-30, -30, -10});
        SyntheticMrSeries s = SyntheticMrSeries.of(g, seed);
        for (int k = 0; k < nz; k++) {
            Attributes a = s.slices().get(k);
            ByteBuffer px = ByteBuffer.allocate(nx * ny * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    px.putShort((short) (DicomFlowOrthancTest.inside(i, j, k) ? 400 : 100));
                }
            }
            a.setBytes(Tag.PixelData, VR.OW, px.array());
            if (padBytes > 0) {
                a.setString(0x00090010, VR.LO, "LESIONLINK TEST");
                byte[] pad = new byte[padBytes];
                new java.util.Random(seed.hashCode() * 31L + k).nextBytes(pad);
                a.setBytes(0x00091000, VR.OB, pad);
            }
        }
        Files.createDirectories(dir);
        return s.write(dir);
    }

    /** Every regular file under {@code dir}, sorted; walks again when a file vanishes under a running server. */
    static List<Path> filesUnder(Path dir) throws IOException {
        for (int attempt = 0;; attempt++) {
            if (!Files.exists(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(Files::isRegularFile).sorted().toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 20) {
                    throw e.getCause();
                }
            }
        }
    }

    // ---------------------------------------------------------------- storescu

    /** What one storescu run reported: per file the status text of its C-STORE-RSP ("Success", ...), if any. */
    record StoreRun(int exitCode, Map<Path, String> responses, String output) {
        List<Path> succeeded() {
            return responses.entrySet().stream().filter(e -> e.getValue().equals("Success")).map(Map.Entry::getKey).toList();
        }

        boolean associationRejected() {
            return output.contains("Association Rejected");
        }
    }

    /**
     * dcmtk's storescu, one association for all {@code files}, verbose; the per-file answers are read from its log
     * ("Sending file: F" ... "Received Store Response (STATUS)").
     */
    static StoreRun storescu(int port, String calledAe, List<Path> files, long timeoutSeconds) throws IOException {
        Path storescu = Peers.requireCommand("storescu");
        List<String> cmd = new ArrayList<>(List.of(storescu.toString(), "-v", "-aet", "LOADTEST", "-aec", calledAe,
                "127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        Peers.Result r = Peers.run(cmd, timeoutSeconds);
        String out = r.stdout() + r.stderr();
        Map<Path, String> responses = new LinkedHashMap<>();
        Path current = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("I: Sending file: ")) {
                current = Path.of(line.substring("I: Sending file: ".length()).strip());
            } else if (line.contains("Received Store Response (") && current != null) {
                String s = line.substring(line.indexOf("Received Store Response (") + 25);
                responses.put(current, s.substring(0, s.lastIndexOf(')')));
                current = null;
            }
        }
        return new StoreRun(r.exitCode(), responses, out);
    }

    // ---------------------------------------------------------------- serve as a child process

    /** {@code lesionlink serve} in a child JVM (optionally behind a wrapper such as unshare), logging to a file. */
    static final class ServeProcess implements AutoCloseable {
        final Process process;
        final Path log;

        private ServeProcess(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** The java command line of serve with {@code config}. */
        static List<String> command(Path config) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.lesionlink.cli.Main", "serve",
                    "--config", config.toString());
        }

        static ServeProcess start(List<String> command, Path log) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            return new ServeProcess(p, log);
        }

        static ServeProcess start(Path config, Path log) throws IOException {
            return start(command(config), log);
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }

        void awaitLog(String text, long timeoutMs) throws Exception {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!log().contains(text)) {
                assertTrue(process.isAlive(), "serve exited with " + (process.isAlive() ? "" : process.exitValue()) + ":\n" + log());
                assertTrue(System.currentTimeMillis() < deadline, "serve did not log '" + text + "':\n" + log());
                Thread.sleep(50);
            }
        }

        /** SIGKILL: no shutdown hook, no flush, nothing graceful. */
        void kill9() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "serve did not die");
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: graceful
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill9();
                }
            }
        }
    }

    /** Writes a serve configuration file. */
    static Path serveConfig(Path file, Map<String, Object> settings) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(settings));
        return file;
    }

    // ---------------------------------------------------------------- leaks and memory

    /**
     * Collects Netty's leak reports (logger {@code io.netty.util.ResourceLeakDetector}, level ERROR, "LEAK: ...")
     * while installed, so that a leak fails the test instead of being a line in a log. The test runs use
     * {@code -Dio.netty.leakDetection.level=paranoid} (pom.xml): every buffer is tracked.
     */
    static final class LeakWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        final List<String> reports = new CopyOnWriteArrayList<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);

        /** Starts watching after letting Netty report what earlier tests in this JVM leaked (to the log, not here). */
        LeakWatch() throws InterruptedException {
            pollLeaks();
            setName("leak-watch");
            setContext(logger.getLoggerContext());
            start();
            logger.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getFormattedMessage().contains("LEAK")) {
                reports.add(e.getFormattedMessage());
            }
        }

        /**
         * Collects garbage, then allocates tracked buffers: Netty reports a leak (a buffer collected without
         * release) only when a later allocation polls its reference queue. Fails with the reports.
         */
        void assertNoLeaks() throws InterruptedException {
            assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                    "run with -Dio.netty.leakDetection.level=paranoid (pom.xml sets it) so that every buffer is tracked");
            pollLeaks();
            assertTrue(reports.isEmpty(), reports.size() + " Netty leak report(s):\n" + String.join("\n\n", reports));
        }

        private static void pollLeaks() throws InterruptedException {
            for (int round = 0; round < 3; round++) {
                System.gc();
                Thread.sleep(200);
                for (int i = 0; i < 100; i++) {
                    ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                    a.release();
                    ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                    b.release();
                }
            }
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }

    /** Used heap after a full collection, sampled while a load runs. */
    static final class HeapSampler {
        final List<long[]> samples = new CopyOnWriteArrayList<>(); // {millis since start, bytes}
        private final long t0 = System.nanoTime();

        void sample() {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000, used});
        }

        /** Least-squares slope of used heap over time, bytes per minute. */
        double slopeBytesPerMinute() {
            int n = samples.size();
            double mt = 0, mu = 0;
            for (long[] s : samples) {
                mt += s[0];
                mu += s[1];
            }
            mt /= n;
            mu /= n;
            double num = 0, den = 0;
            for (long[] s : samples) {
                num += (s[0] - mt) * (s[1] - mu);
                den += (s[0] - mt) * (s[0] - mt);
            }
            return den == 0 ? 0 : num / den * 60_000;
        }

        /** Median of the first and the last third of the samples. */
        long[] firstAndLastThirdMedians() {
            int n = samples.size();
            int third = Math.max(1, n / 3);
            return new long[] {median(samples.subList(0, third)), median(samples.subList(n - third, n))};
        }

        private static long median(List<long[]> l) {
            long[] v = l.stream().mapToLong(s -> s[1]).sorted().toArray();
            return v[v.length / 2];
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            for (long[] s : samples) {
                b.append(String.format("%.1f s: %.1f MiB%n", s[0] / 1000.0, s[1] / 1048576.0));
            }
            return b.toString();
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            fail(message);
        }
    }
}
