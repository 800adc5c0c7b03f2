package org.lesionlink.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.PeerModels;

/**
 * Shared pieces of the server tests: the hand-built threshold models (make_threshold_model.py, Debian's
 * torch), a bright-sphere case with its truth, and a server on ephemeral ports.
 */
final class ServerFixtures {
    static final Path MODELS = Path.of("target", "test-models-server");
    private static boolean generated;

    private ServerFixtures() {}

    /** The models folder with threshold-1ch and threshold-2ch (skips without torch, fails on CI). */
    static synchronized Path models() throws IOException {
        PeerModels.requireTorch();
        if (!generated || !Files.isDirectory(MODELS.resolve("threshold-2ch"))) {
            Files.createDirectories(MODELS);
            PeerModels.script("make_threshold_model.py", MODELS.toString());
            generated = true;
        }
        return MODELS;
    }

    /** A sphere case on a 2 mm grid: background 100, sphere 400; {@code truth} 1 inside. */
    record SphereCase(Volume image, byte[] truth) {}

    static SphereCase sphere(int nx, int ny, int nz, double[] centreIjk, double radiusVoxels) {
        Geometry g = Geometry.axisAligned(new int[] {nx, ny, nz}, new double[] {2, 2, 2}, new double[] {-40, -30, -20});
        float[] v = new float[nx * ny * nz];
        byte[] truth = new byte[v.length];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double dx = i - centreIjk[0], dy = j - centreIjk[1], dz = k - centreIjk[2];
                    int idx = i + nx * (j + ny * k);
                    boolean in = dx * dx + dy * dy + dz * dz <= radiusVoxels * radiusVoxels;
                    v[idx] = in ? 400 : 100;
                    truth[idx] = (byte) (in ? 1 : 0);
                }
            }
        }
        return new SphereCase(Volume.ofFloats(g, v), truth);
    }

    static double dice(byte[] a, byte[] b) {
        long inter = 0, sa = 0, sb = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] != 0, y = b[i] != 0;
            if (x) sa++;
            if (y) sb++;
            if (x && y) inter++;
        }
        return sa + sb == 0 ? 1 : 2.0 * inter / (sa + sb);
    }

    static ServerConfig config(Path storage, Path models) {
        return new ServerConfig("127.0.0.1", 0, -1, "LESIONLINK", 0, models, storage, List.of(), 1, 4, "cpu", false, 1,
                5.0, 10, ServerLimits.defaults(), SecurityConfig.defaults());
    }

    /** The next message matching {@code p}, skipping others (keep-alive STATUS and the like). */
    @SuppressWarnings("unchecked")
    static <T extends IgtlMessage> T next(IgtlClient c, Class<T> type, Predicate<T> p, Duration timeout)
            throws InterruptedException, TimeoutException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no " + type.getSimpleName() + " matching within " + timeout);
            }
            Object o = c.receive(Duration.ofNanos(left));
            if (type.isInstance(o) && p.test((T) o)) {
                return (T) o;
            }
        }
    }

    /** {@code lesionlink serve --config CONFIG} in a child JVM on the test class path, output into {@code log}. */
    static Process serveProcess(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.lesionlink.cli.Main", "serve",
                "--config", config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code log} contains {@code text}; fails with the log after {@code timeoutMs}. */
    static void awaitLog(Path log, String text, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            org.junit.jupiter.api.Assertions.assertTrue(System.currentTimeMillis() < deadline,
                    "serve did not log '" + text + "':\n" + (Files.exists(log) ? Files.readString(log) : ""));
            Thread.sleep(100);
        }
    }
}
