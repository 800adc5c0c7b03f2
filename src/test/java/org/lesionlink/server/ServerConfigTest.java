package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path tmp;

    private Path file(String json) throws Exception {
        Path f = tmp.resolve("serve.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void jsonKeysAndOverrides() throws Exception {
        ServerConfig c = ServerConfig.load(file("{\"igtlPort\": 0, \"aeTitle\": \"LL\", \"dicomDestinations\": [\"PACS@localhost:4242\"],"
                + " \"studyQuietSeconds\": 2.5, \"workers\": 2}"));
        assertEquals(0, c.igtlPort());
        assertEquals("LL", c.aeTitle());
        assertEquals(8080, c.httpPort());
        assertEquals(new ServerConfig.Destination("PACS", "localhost", 4242), c.destinations().get(0));
        assertEquals(2.5, c.studyQuietSeconds());
        ServerConfig o = c.with(Map.of("igtlPort", 19000, "dicomDestinations", List.of()));
        assertEquals(19000, o.igtlPort());
        assertTrue(o.destinations().isEmpty());
        assertEquals(2, o.workers());
    }

    @Test
    void problemsNameTheKey() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{\"igtlport\": 1}")))
                .getMessage().contains("unknown key 'igtlport'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{\"igtlPort\": 70000}")))
                .getMessage().contains("igtlPort"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{\"httpPort\": \"80\"}")))
                .getMessage().contains("httpPort: must be an integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{\"dicomDestinations\": [\"PACS\"]}")))
                .getMessage().contains("dicomDestinations"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{\"aeTitle\": \"WAY_TOO_LONG_AE_TITLE\"}")))
                .getMessage().contains("aeTitle"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{\"device\": \"tpu\"}")))
                .getMessage().contains("device"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("[1]")))
                .getMessage().contains("JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("{oops")))
                .getMessage().contains("not valid JSON"));
    }
}
