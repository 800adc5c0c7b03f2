package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.ablation.AblationMetrics;
import org.lesionlink.ablation.AblationResult;
import org.lesionlink.ablation.CriticalStructure;
import org.lesionlink.ablation.PlacedZone;
import org.lesionlink.ablation.Point3;
import org.lesionlink.ablation.ProbePose;
import org.lesionlink.ablation.SafetyThresholds;
import org.lesionlink.ablation.TargetLesion;
import org.lesionlink.ablation.ZoneSpec;
import org.lesionlink.testing.Peers;

/**
 * Section 7 with a real peer: {@code src/test/cpp/igtl_ablation_client.cxx}, built with g++ against Debian's
 * libOpenIGTLink 1.11 (header version 1), sends the lesion and canal label IMAGEs and a plan, then streams
 * {@code NeedleToReference} TRANSFORMs towards the canal, reading every reply with the library's CRC check. Each
 * pose's status, coverage, margin and distance must equal the in-process figures; the status goes WARN to STOP.
 */
@Timeout(240)
class IgtlAblationReferenceClientTest {
    private static final Path SOURCE = Path.of("src/test/cpp/igtl_ablation_client.cxx");

    @TempDir
    Path tmp;

    /** Builds the client into target/ (once per source change); also used by bench/ablation. */
    static Path client() throws Exception {
        Peers.requireFile(Path.of("/usr/include/openigtlink/igtlMessageBase.h"), "libopenigtlink-dev 1.11 headers");
        Path gxx = Peers.requireCommand("g++");
        Path dir = Path.of("target", "igtl-ablation-client");
        Files.createDirectories(dir);
        Path client = dir.resolve("igtl_ablation_client");
        if (!Files.exists(client) || Files.getLastModifiedTime(client).compareTo(Files.getLastModifiedTime(SOURCE)) < 0) {
            Peers.run(List.of(gxx.toString(), "-std=c++11", "-O1", "-I/usr/include/openigtlink", SOURCE.toString(), "-o",
                    client.toString(), "-lOpenIGTLink"), 180).stdoutOrFail(List.of("g++", SOURCE.toString()));
        }
        return client;
    }

    @Test
    void referenceClientStreamsPosesTowardsTheCanal() throws Exception {
        Path client = client();
        int poses = 8;
        double yEnd = -7;
        String out;
        try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(tmp.resolve("storage"), tmp.resolve("no-models")))) {
            out = Peers.run(List.of(client.toString(), "127.0.0.1", String.valueOf(server.igtlPort()), "" + poses, "" + yEnd), 120)
                    .stdoutOrFail(List.of(client.toString()));
        }
        String summary = out.lines().filter(l -> l.startsWith("SUMMARY")).findFirst().orElse("");
        assertTrue(summary.contains("poses=" + poses + " crcfail=0 "), out);
        assertTrue(summary.contains("\"status\":\"SUCCESS\""), out);
        TargetLesion lesion = TargetLesion.of(AblationFixtures.lesion(), 1);
        CriticalStructure canal = CriticalStructure.of("spinal canal", AblationFixtures.canal(3), 3);
        List<String> lines = out.lines().filter(l -> l.startsWith("POSE")).toList();
        assertEquals(poses, lines.size(), out);
        for (int i = 0; i < poses; i++) {
            Map<String, String> f = fields(lines.get(i));
            double y = yEnd * i / (poses - 1);
            AblationResult want = AblationMetrics.evaluate(lesion, List.of(new PlacedZone(ZoneSpec.manual(15, 15, 15, 0),
                    new ProbePose(new Point3(0, (float) y, 0), new Point3(0, 0, 1)))), canal, new SafetyThresholds(10, 5));
            assertEquals(want.status().name(), f.get("status"), lines.get(i));
            assertEquals(want.status().name().equals("STOP") ? "3" : "1", f.get("code"), lines.get(i));
            assertEquals(want.margins().coveragePercent(), Double.parseDouble(f.get("coverage")), 1e-3, lines.get(i));
            assertEquals(want.margins().minMarginMm(), Double.parseDouble(f.get("margin")), 1e-3, lines.get(i));
            assertEquals(want.critical().zoneDistanceMm(), Double.parseDouble(f.get("critical")), 1e-3, lines.get(i));
            // The zone labelmap's grid: the lesion's 20-voxel box grown by 30 mm on each side.
            assertEquals("80x80x80", f.get("zone"), lines.get(i));
        }
        assertEquals("WARN", fields(lines.get(0)).get("status"));
        assertEquals(100.0, Double.parseDouble(fields(lines.get(0)).get("coverage")), 1e-9);
        assertEquals("STOP", fields(lines.get(poses - 1)).get("status"));
    }

    static Map<String, String> fields(String line) {
        Map<String, String> m = new HashMap<>();
        for (String t : line.split(" ")) {
            int eq = t.indexOf('=');
            if (eq > 0) {
                m.put(t.substring(0, eq), t.substring(eq + 1));
            }
        }
        return m;
    }
}
