package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's configuration as YAML: the same keys and checks as JSON, and problems name the key. */
class ServerConfigYamlTest {
    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void yamlKeys() throws Exception {
        ServerConfig c = ServerConfig.load(file("serve.yaml", """
                # LesionLink serve
                igtlPort: 0
                aeTitle: LL
                dicomDestinations:
                  - PACS@localhost:4242
                  - ARCHIVE@10.0.0.2:104
                studyQuietSeconds: 2.5
                tta: true
                """));
        assertEquals(0, c.igtlPort());
        assertEquals("LL", c.aeTitle());
        assertEquals(8080, c.httpPort());
        assertEquals(List.of(new ServerConfig.Destination("PACS", "localhost", 4242),
                new ServerConfig.Destination("ARCHIVE", "10.0.0.2", 104)), c.destinations());
        assertEquals(2.5, c.studyQuietSeconds());
        assertTrue(c.tta());
        assertEquals(ServerConfig.load(file("serve.json", "{\"igtlPort\": 0, \"aeTitle\": \"LL\", \"dicomDestinations\": "
                + "[\"PACS@localhost:4242\", \"ARCHIVE@10.0.0.2:104\"], \"studyQuietSeconds\": 2.5, \"tta\": true}")), c);
        assertEquals(0, ServerConfig.load(file("serve.yml", "igtlPort: 0\n")).igtlPort());
    }

    @Test
    void yamlProblemsNameTheKey() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("a.yaml", "igtlport: 1\n")))
                .getMessage().contains("unknown key 'igtlport'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("b.yaml", "workers: 0\n")))
                .getMessage().contains("workers: must be 1..64"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("c.yaml", "httpPort: eighty\n")))
                .getMessage().contains("httpPort: must be an integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("d.yaml", "tta: maybe\n")))
                .getMessage().contains("tta: must be true or false"));
        String bad = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file("e.yaml", "igtlPort: [1\n")))
                .getMessage();
        assertTrue(bad.contains("e.yaml: not valid YAML"), bad);
    }
}
