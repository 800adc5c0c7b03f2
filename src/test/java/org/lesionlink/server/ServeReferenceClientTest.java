package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.testing.Peers;

/**
 * End to end with the real reference library: {@code src/test/cpp/igtl_segment_client.cxx}, built with g++
 * against Debian's libOpenIGTLink 1.11 (header version 1), sends a bright-sphere IMAGE and STRING
 * {@code CMD_1 Segment} to a running server and receives the labelmap with the library's CRC check; the
 * labelmap must equal the truth (Dice 1: the hand-built threshold model segments the sphere exactly; the
 * point is the plumbing, not the model).
 */
@Timeout(240)
class ServeReferenceClientTest {
    private static final Path SOURCE = Path.of("src/test/cpp/igtl_segment_client.cxx");

    @TempDir
    Path tmp;

    @Test
    void referenceClientSegmentsASphere() throws Exception {
        Peers.requireFile(Path.of("/usr/include/openigtlink/igtlMessageBase.h"), "libopenigtlink-dev 1.11 headers");
        Path gxx = Peers.requireCommand("g++");
        Path models = ServerFixtures.models();
        Path dir = Path.of("target", "igtl-segment-client");
        Files.createDirectories(dir);
        Path client = dir.resolve("igtl_segment_client");
        if (!Files.exists(client) || Files.getLastModifiedTime(client).compareTo(Files.getLastModifiedTime(SOURCE)) < 0) {
            Peers.run(List.of(gxx.toString(), "-std=c++11", "-O1", "-I/usr/include/openigtlink", SOURCE.toString(), "-o",
                    client.toString(), "-lOpenIGTLink"), 180).stdoutOrFail(List.of("g++", SOURCE.toString()));
        }
        int nx = 28, ny = 24, nz = 20;
        double[] c = {12, 10, 9};
        double r = 5;
        ServerFixtures.SphereCase truth = ServerFixtures.sphere(nx, ny, nz, c, r);
        Path raw = tmp.resolve("seg.raw");
        try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(tmp.resolve("storage"), models))) {
            Peers.Result res = Peers.run(List.of(client.toString(), "127.0.0.1", String.valueOf(server.igtlPort()),
                    "" + nx, "" + ny, "" + nz, "" + c[0], "" + c[1], "" + c[2], "" + r, raw.toString()), 120);
            String out = res.stdoutOrFail(List.of(client.toString()));
            String summary = out.lines().filter(l -> l.startsWith("SUMMARY")).findFirst().orElse("");
            assertTrue(summary.contains(" crcfail=0 "), out);
            assertTrue(summary.contains("\"status\":\"SUCCESS\""), out);
            assertTrue(summary.contains(" image=" + nx + "x" + ny + "x" + nz + " type=3 "), "uint8 labelmap:\n" + out);
            assertTrue(summary.contains(" status_code=1 status=done: 1 lesions"), out);
            // Results in the spec's order: IMAGE, LBMETA, POLYDATA, STRING report, STATUS.
            List<String> order = out.lines().filter(l -> l.startsWith("RECV") && !l.contains("STATUS  ") && !l.contains(" ACK_1 "))
                    .map(l -> l.split(" ")[1] + " " + l.split(" ")[2]).filter(l -> !l.equals("STATUS ")).toList();
            int img = order.indexOf("IMAGE T1c_seg");
            assertTrue(img >= 0, out);
            assertEquals(List.of("IMAGE T1c_seg", "LBMETA T1c_seg", "POLYDATA T1c_seg_lesion", "STRING T1c_report",
                    "STATUS T1c_seg"), order.subList(img, img + 5), out);
        }
        byte[] labels = Files.readAllBytes(raw);
        assertEquals(nx * ny * nz, labels.length);
        assertEquals(1.0, ServerFixtures.dice(labels, truth.truth()), 1e-9);
    }
}
