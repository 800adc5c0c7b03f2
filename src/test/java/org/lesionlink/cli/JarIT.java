package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.testing.Peers;

/** The packaged jar as a user runs it: {@code java -jar target/lesionlink.jar ...} in its own JVM. */
class JarIT {

    private static final Path JAR = Path.of(System.getProperty("lesionlink.jar", "target/lesionlink.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void helpListsCommands() throws IOException {
        Peers.Result r = Peers.run(List.of(JAVA.toString(), "-jar", JAR.toString(), "--help"), 60);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("info") && r.stdout().contains("resample"), r.stdout());
    }

    @Test
    void quickStartCommandPrintsJson() throws IOException {
        Path fixture = Peers.testResource("fixtures/colin27-2mm/ch2.nii.gz");
        Peers.Result r = Peers.run(List.of(JAVA.toString(), "-jar", JAR.toString(), "info", "--json", fixture.toString()), 60);
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode info = new ObjectMapper().readTree(r.stdout());
        assertEquals(91, info.get("dims").get(0).asInt());
        assertEquals("uint8", info.get("datatype").asText());
        assertEquals(4, info.get("ijkToRas").size());
    }
}
