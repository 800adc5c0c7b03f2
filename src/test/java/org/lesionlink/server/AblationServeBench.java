package org.lesionlink.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lesionlink.ablation.AblationMonitor;
import org.lesionlink.ablation.CriticalStructure;
import org.lesionlink.ablation.Point3;
import org.lesionlink.ablation.ProbePose;
import org.lesionlink.ablation.SafetyThresholds;
import org.lesionlink.ablation.TargetLesion;
import org.lesionlink.ablation.ZoneSpec;
import org.lesionlink.testing.Peers;

/**
 * Benchmark, not a test (bench/ablation/run.sh): pose in -> metrics out over loopback. A running {@code serve}
 * and the C++ reference-library client ({@code igtl_ablation_client}, closed loop: each TRANSFORM waits for its
 * STATUS) on the {@link AblationFixtures} phantom (60 mm at 1 mm, 15 mm zone), with and without the zone
 * labelmap IMAGE; next to it, in the same run, the in-process {@link AblationMonitor#update} on the same phantom
 * and poses. Writes {@code serve_latency.txt} in the output folder.
 *
 * <p>Usage: {@code AblationServeBench OUT_DIR CLIENT_BINARY [POSES]}
 */
public final class AblationServeBench {

    private AblationServeBench() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path client = Path.of(args[1]);
        int poses = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Files.createDirectories(out);
        // In process: the monitor alone, same lesion, canal, zone and poses as the client sends.
        TargetLesion lesion = TargetLesion.of(AblationFixtures.lesion(), 1);
        CriticalStructure canal = CriticalStructure.of("spinal canal", AblationFixtures.canal(3), 3);
        AblationMonitor monitor = new AblationMonitor(lesion, canal, ZoneSpec.manual(15, 15, 15, 0), new SafetyThresholds(10, 5),
                java.time.Duration.ofSeconds(10), System::nanoTime);
        double[] inProcess = new double[poses];
        for (int rep = 0; rep < 2; rep++) { // the first pass warms the JIT up
            for (int i = 0; i < poses; i++) {
                double y = -7.0 * i / (poses - 1);
                long t0 = System.nanoTime();
                monitor.update(new ProbePose(new Point3(0, y, 0), new Point3(0, 0, 1)), System.nanoTime());
                inProcess[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "in-process AblationMonitor.update: p50 %.0f us, p99 %.0f us (%d poses)%n",
                pct(inProcess, 50), pct(inProcess, 99), poses));
        for (String extra : new String[] {"\"labelmap\": true", "\"labelmap\": false"}) {
            Path storage = Files.createTempDirectory("lesionlink-ablation-bench");
            try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(storage, storage.resolve("no-models")))) {
                // Warm-up run (JIT), then the timed one.
                Peers.run(List.of(client.toString(), "127.0.0.1", "" + server.igtlPort(), "200", "-7", extra), 300);
                String res = Peers.run(List.of(client.toString(), "127.0.0.1", "" + server.igtlPort(), "" + poses, "-7", extra), 600)
                        .stdoutOrFail(List.of(client.toString()));
                List<Double> reportUs = new ArrayList<>();
                List<Double> statusUs = new ArrayList<>();
                for (String l : res.lines().filter(l -> l.startsWith("POSE")).toList()) {
                    Map<String, String> f = IgtlAblationReferenceClientTest.fields(l);
                    reportUs.add(Double.parseDouble(f.get("report_us")));
                    statusUs.add(Double.parseDouble(f.get("status_us")));
                }
                double[] r = reportUs.stream().mapToDouble(Double::doubleValue).toArray();
                double[] s = statusUs.stream().mapToDouble(Double::doubleValue).toArray();
                sb.append(String.format(Locale.ROOT, "loopback serve + C++ client (%s): TRANSFORM -> report STRING p50 %.0f us, p99 %.0f us;"
                        + " -> STATUS p50 %.0f us, p99 %.0f us, max %.0f us (%d poses)%n", extra, pct(r, 50), pct(r, 99), pct(s, 50),
                        pct(s, 99), pct(s, 100), s.length));
            }
        }
        System.out.print(sb);
        Files.writeString(out.resolve("serve_latency.txt"), sb.toString());
    }

    /** Nearest-rank percentile. */
    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }
}
