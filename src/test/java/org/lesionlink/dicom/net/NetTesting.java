package org.lesionlink.dicom.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.StoredInstance;

/** Shared helpers of the network tests: a loopback SCP on a free port storing into a temp directory. */
public final class NetTesting {

    public static final Path PYDICOM_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private NetTesting() {
    }

    /** A running storage SCP and what it stored. */
    public record Scp(DicomServer server, Path storage, List<StoredInstance> stored) implements AutoCloseable {
        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    public static Scp startScp(String aeTitle, Path storage, AcceptorPolicy policy) throws IOException {
        List<StoredInstance> stored = new CopyOnWriteArrayList<>();
        java.util.Set<String> classes = new java.util.HashSet<>(policy.presentationContexts().sopClasses());
        classes.remove(org.lesionlink.dicom.data.UID.Verification);
        CStoreScp store = new CStoreScp(storage, classes, stored::add);
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp()).register(store)
                .setStorageFallback(store);
        DicomServerConfig cfg = DicomServerConfig.of(aeTitle, 0).withBindAddress("127.0.0.1").withPolicy(policy);
        return new Scp(DicomServer.start(cfg, registry), storage, stored);
    }

    public static Scp startScp(String aeTitle, Path storage) throws IOException {
        return startScp(aeTitle, storage, AcceptorPolicy.defaults());
    }

    /** A TCP port free right now on loopback (for peers that must be told a port before they start). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Every regular file under {@code dir} (recursively), temp files included. */
    public static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
    }

    /** The data set of a file (meta information dropped). */
    public static Attributes dataset(Path file) throws IOException {
        return new DicomReader().read(file).dataset();
    }

    /**
     * The data set of a file in one canonical encoding (explicit VR LE, group lengths dropped, undefined-length
     * sequences): equal bytes mean equal content, whatever transfer syntax each file used. Data Set Trailing
     * Padding (FFFC,FFFC) is dropped: it has no content, and dcmtk's storescu does not send it (MR_small has some).
     */
    public static byte[] canonical(Path file) throws IOException {
        Attributes ds = dataset(file);
        ds.remove(0xFFFCFFFC);
        return org.lesionlink.dicom.io.DicomWriter.encode(ds,
                org.lesionlink.dicom.data.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    public static Set<String> storedSopInstances(List<StoredInstance> stored) {
        Set<String> s = new java.util.TreeSet<>();
        stored.forEach(i -> s.add(i.sopInstanceUid()));
        return s;
    }

    /**
     * A peer process running in the background (storescp, Orthanc): started with its output going to a log file,
     * stopped by its own PID (SIGTERM, then SIGKILL after a grace period).
     */
    public static final class BackgroundPeer implements AutoCloseable {
        private final Process process;
        private final Path log;

        private BackgroundPeer(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        public static BackgroundPeer start(List<String> command, Path log, java.util.Map<String, String> env)
                throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            return new BackgroundPeer(p, log);
        }

        /** Waits until {@code port} on loopback accepts connections; fails with the log when the process dies first. */
        public void awaitPort(int port, long timeoutMs) throws IOException, InterruptedException {
            long end = System.currentTimeMillis() + timeoutMs;
            while (System.currentTimeMillis() < end) {
                if (!process.isAlive()) {
                    throw new IOException("peer exited with " + process.exitValue() + ":\n" + log());
                }
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            throw new IOException("peer did not listen on " + port + " within " + timeoutMs + " ms:\n" + log());
        }

        public String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "<no log: " + e + ">";
            }
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Starts dcmtk's storescp on a free loopback port, writing into {@code dir}; extra options before the port. */
    public static BackgroundPeer storescp(Path storescp, String aeTitle, Path dir, int port, String... options)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(storescp.toString(), "-v", "--aetitle", aeTitle, "--output-directory",
                dir.toString()));
        cmd.addAll(List.of(options));
        cmd.add(String.valueOf(port));
        BackgroundPeer p = BackgroundPeer.start(cmd, dir.resolveSibling(dir.getFileName() + ".log"),
                java.util.Map.of("TCP_NODELAY", "1"));
        p.awaitPort(port, 20_000);
        return p;
    }

    /**
     * A small MR series (4 slices, 24 x 20 pixels) written with the test tree's synthetic generator, and a BINARY SEG
     * of it made by LesionLink's SegmentationWriter; returns the MR files followed by the SEG file.
     */
    public static List<Path> mrSeriesWithSeg(Path dir) throws IOException {
        org.lesionlink.dicom.SyntheticMrSeries mr = org.lesionlink.dicom.SyntheticMrSeries.oblique(24, 20, 4, "net-test");
        Files.createDirectories(dir.resolve("mr"));
        List<Path> files = new ArrayList<>(mr.write(dir.resolve("mr")));
        org.lesionlink.image.Geometry g = mr.geometry();
        byte[] v = new byte[(int) g.voxelCount()];
        for (int k = 1; k < 3; k++) {
            for (int j = 5; j < 12; j++) {
                for (int i = 6; i < 15; i++) {
                    v[i + g.dim(0) * (j + g.dim(1) * k)] = 1;
                }
            }
        }
        org.lesionlink.dicom.seg.SegmentationWriter w = new org.lesionlink.dicom.seg.SegmentationWriter(
                new org.lesionlink.dicom.seg.AlgorithmIdentification(
                        org.lesionlink.dicom.seg.AlgorithmIdentification.Type.AUTOMATIC,
                        org.lesionlink.dicom.seg.Code.ARTIFICIAL_INTELLIGENCE, "LesionLink test", "0.1.0"));
        Path seg = dir.resolve("seg.dcm");
        w.write(seg, org.lesionlink.image.Volume.ofBytes(g, v), mr.source(), List.of(
                org.lesionlink.dicom.seg.SegmentDescription.of(1, "Metastasis",
                        org.lesionlink.dicom.seg.Code.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                        org.lesionlink.dicom.seg.Code.NEOPLASM_SECONDARY)));
        files.add(seg);
        return files;
    }
}
