package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.inference.PeerModels;

/** {@code lesionlink models}: installed packages and broken folders, as text and JSON. */
class ModelsCommandTest {

    @TempDir
    Path dir;

    private Path modelsDir() throws IOException {
        Path src = PeerModels.folder("tiny-unet");
        Path good = Files.createDirectories(dir.resolve("tiny-unet"));
        for (String f : List.of("model.json", "fold0.pt", "fold1.pt")) {
            Files.copy(src.resolve(f), good.resolve(f));
        }
        Path twoD = Files.createDirectories(dir.resolve("tiny-unet2d"));
        for (String f : List.of("model.json", "fold0.pt")) {
            Files.copy(PeerModels.folder("tiny-unet2d").resolve(f), twoD.resolve(f));
        }
        Path noWeights = Files.createDirectories(dir.resolve("no-weights"));
        Files.writeString(noWeights.resolve("model.json"), Files.readString(src.resolve("model.json")).replace("tiny-unet", "other"));
        Path badJson = Files.createDirectories(dir.resolve("bad-json"));
        Files.writeString(badJson.resolve("model.json"), "{\"name\": ");
        Files.createDirectories(dir.resolve("notes")); // no model.json: not a model folder, not listed
        return dir;
    }

    @Test
    void listsModelsAndBrokenFoldersAsJson() throws IOException {
        CliRun run = CliRun.of("models", "--models", modelsDir().toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(dir.toString(), r.get("modelsDir").asText());
        List<String> names = new ArrayList<>();
        r.get("models").forEach(m -> names.add(m.get("name").asText()));
        assertEquals(List.of("tiny-unet", "tiny-unet2d"), names);
        JsonNode m = r.get("models").get(0);
        assertEquals("0.0.1-test", m.get("version").asText());
        assertEquals("brain-metastases", m.get("task").asText());
        assertEquals("[\"t1c\",\"t2f\"]", m.get("channels").toString());
        assertEquals("torchscript", m.get("engine").asText());
        assertEquals(2, m.get("folds").asInt());
        assertEquals("3d", m.get("dims").asText());
        assertEquals("2d", r.get("models").get(1).get("dims").asText());
        assertEquals(2, r.get("broken").size());
        JsonNode bad = r.get("broken").get(0);
        assertEquals(dir.resolve("bad-json").toString(), bad.get("folder").asText());
        assertTrue(bad.get("problem").asText().contains("not valid JSON"), bad.toString());
        assertTrue(r.get("broken").get(1).get("problem").asText().contains("weights file fold0.pt not found"), r.toString());
    }

    @Test
    void listsModelsAsText() throws IOException {
        CliRun run = CliRun.of("models", "--models", modelsDir().toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("models directory: " + dir, lines.get(0));
        assertTrue(lines.get(1).startsWith("NAME"), lines.get(1));
        assertTrue(lines.get(2).matches("tiny-unet +0\\.0\\.1-test +brain-metastases +t1c,t2f +torchscript +2 +3d"), lines.get(2));
        assertTrue(lines.get(4).startsWith("broken: " + dir.resolve("bad-json")), lines.get(4));
        assertEquals(6, lines.size(), run.out());
    }

    @Test
    void emptyAndMissingDirectories() throws IOException {
        CliRun empty = CliRun.of("models", "--models", dir.toString());
        assertEquals(0, empty.exitCode());
        assertTrue(empty.out().contains("no models installed"), empty.out());

        CliRun missing = CliRun.of("models", "--models", dir.resolve("nope").toString());
        assertEquals(Main.EXIT_FAILURE, missing.exitCode());
        assertEquals("lesionlink models: error: models directory " + dir.resolve("nope") + " does not exist (give --models DIR)",
                missing.err().strip());
    }
}
