package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.testing.Peers;

/**
 * A Slicer-like Python client (src/test/resources/peers/igtl_slicer_like_client.py: standard library and
 * numpy, header version 1, its own CRC-64) against serve: GetModels, an IMAGE, Segment, the report.
 * Stands in for the Slicer module's LesionLinkLib until that is merged.
 */
@Timeout(180)
class PythonClientTest {
    @TempDir
    Path tmp;

    /** The Slicer module's own protocol library (LesionLinkLib, plain Python) against serve. */
    @Test
    void slicerModuleLibrarySegments() throws Exception {
        Peers.requirePythonModule("numpy");
        Path lib = Path.of("slicer-module", "LesionLink").toAbsolutePath();
        Peers.requireFile(lib.resolve("LesionLinkLib").resolve("client.py"), "the Slicer module's LesionLinkLib");
        Path models = ServerFixtures.models();
        try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(tmp.resolve("lib"), models))) {
            String out = Peers.runPythonScript("peers/lesionlinklib_segment.py", List.of(lib.toString(), "127.0.0.1",
                    String.valueOf(server.igtlPort()), "threshold-2ch"), 180);
            JsonNode r = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
            assertEquals("[\"threshold-1ch\",\"threshold-2ch\"]", r.get("models").toString(), out);
            assertEquals("t1c_seg", r.get("device").asText(), out);
            assertEquals("[24,40,40]", r.get("shape").toString(), out);
            assertEquals("uint8", r.get("dtype").asText());
            assertTrue(r.get("geometryError").asDouble() < 1e-3, out);
            assertEquals(1, r.get("lesionCount").asInt(), out);
            // Resampled to the model's 2 mm and back: close to, not exactly, the ball.
            assertTrue(r.get("dice").asDouble() > 0.8, out);
        }
    }

    @Test
    void slicerLikeClientSegments() throws Exception {
        Peers.requirePythonModule("numpy");
        Path models = ServerFixtures.models();
        try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(tmp, models))) {
            String out = Peers.runPythonScript("peers/igtl_slicer_like_client.py", List.of("127.0.0.1",
                    String.valueOf(server.igtlPort()), "24", "20", "16", "10", "9", "7", "4"), 120);
            JsonNode r = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
            assertEquals("SUCCESS", r.at("/models/status").asText(), out);
            assertEquals(2, r.at("/models/models").size(), out);
            assertEquals("SUCCESS", r.at("/ack/status").asText(), out);
            assertEquals(3, r.get("scalarType").asInt(), "uint8");
            assertEquals("[24,20,16]", r.get("dims").toString());
            assertEquals(1.0, r.get("dice").asDouble(), 1e-9);
            assertEquals(1, r.at("/report/lesionCount").asInt(), out);
            assertEquals(1, r.at("/status/code").asInt(), out);
            assertTrue(r.get("messages").toString().contains("POLYDATA T1c_seg_lesion"), out);
        }
    }
}
