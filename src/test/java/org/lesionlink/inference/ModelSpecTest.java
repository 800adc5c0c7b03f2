package org.lesionlink.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSpecTest {

    /** A BraTS-METS style region model (sigmoid over WT, TC, ET). */
    static final String BRATS = """
            {
              "name": "brats-mets",
              "version": "1.0.0",
              "task": "brain-metastases",
              "inputs": [
                {"name": "t1c", "normalization": "zscore-nonzero"},
                {"name": "t1n", "normalization": "zscore-nonzero"},
                {"name": "t2f", "normalization": "zscore-nonzero"},
                {"name": "t2w", "normalization": "zscore-nonzero"}
              ],
              "targetSpacing": [1.0, 1.0, 1.0],
              "patchSize": [128, 128, 128],
              "dims": {"kind": "3d"},
              "activation": "sigmoid",
              "labels": [
                {"value": 1, "name": "NETC", "colour": "#ff0000", "snomedCode": "86049000"},
                {"value": 2, "name": "SNFH", "colour": "#00ff00"},
                {"value": 3, "name": "ET", "colour": "#0000ff"}
              ],
              "regions": [
                {"name": "WT", "labels": [1, 2, 3]},
                {"name": "TC", "labels": [1, 3]},
                {"name": "ET", "labels": [3]}
              ],
              "regionClassOrder": [2, 1, 3],
              "mirrorAxes": [0, 1, 2],
              "postprocessing": {"minComponentVoxels": 3},
              "folds": ["fold0.pt", "fold1.pt"],
              "engine": "torchscript"
            }
            """;

    @Test
    void parsesARegionModel() {
        ModelSpec s = ModelSpec.parse(BRATS, "model.json");
        assertEquals("brats-mets", s.name());
        assertEquals(ModelSpec.Task.BRAIN_METASTASES, s.task());
        assertEquals(4, s.networkInputChannels());
        assertEquals(3, s.networkOutputChannels());
        assertArrayEquals(new int[] {2, 1, 3}, s.regionClassOrder());
        assertEquals(0.5, s.step());
        assertEquals(3, s.postprocessing().minComponentVoxels());
        assertEquals("86049000", s.label(1).snomedCode());
        assertTrue(s.regions().get(1).contains(3));
        assertEquals(s, ModelSpec.parse(s.toJson(), "round trip"));
    }

    @Test
    void optionalPostprocessingKeysRoundTripAndStayOutWhenUnset() {
        ModelSpec plain = ModelSpec.parse(BRATS, "model.json");
        assertFalse(plain.toJson().contains("minComponentMm3"), plain.toJson());
        assertFalse(plain.toJson().contains("thresholds"), plain.toJson());
        ModelSpec tuned = ModelSpec.parse(BRATS.replace("{\"minComponentVoxels\": 3}",
                "{\"minComponentVoxels\": 3, \"minComponentMm3\": 32.0, \"thresholds\": [0.7, 0.5, 0.4]}"), "model.json");
        assertEquals(32.0, tuned.postprocessing().minComponentMm3());
        assertEquals(0.7, tuned.postprocessing().threshold(0));
        assertEquals(0.4, tuned.postprocessing().threshold(2));
        assertEquals(tuned, ModelSpec.parse(tuned.toJson(), "round trip"));
        assertEquals(tuned, plain.withPostprocessing(tuned.postprocessing()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one threshold for three regions | \"thresholds\": [0.7]           | model.json: postprocessing.thresholds: needs one probability per output region",
        "threshold of 1                  | \"thresholds\": [1.0, 0.5, 0.5] | model.json: postprocessing.thresholds: probabilities must lie in (0, 1)",
        "negative volume                 | \"minComponentMm3\": -1         | model.json: postprocessing",
    })
    void badPostprocessingIsNamed(String what, String key, String expected) {
        String json = BRATS.replace("{\"minComponentVoxels\": 3}", "{\"minComponentVoxels\": 3, " + key.strip() + "}");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelSpec.parse(json, "model.json"));
        assertTrue(e.getMessage().startsWith(expected.strip()), what + ": got '" + e.getMessage() + "'");
    }

    @Test
    void djlPackageCarriesItsArchitecture() {
        String json = BRATS.replace("\"engine\": \"torchscript\"",
                "\"engine\": \"djl\", \"architecture\": {\"name\": \"segresnet\", \"parameters\": {\"initFilters\": 16, \"norm\": \"group\"}}");
        ModelSpec s = ModelSpec.parse(json, "model.json");
        assertEquals(ModelSpec.Engine.DJL, s.engine());
        assertEquals("segresnet", s.architecture().name());
        assertEquals(16, s.architecture().parameters().get("initFilters"));
        assertEquals(s, ModelSpec.parse(s.toJson(), "round trip"));
    }

    @Test
    void twoDimensionalDescriptorIsModelled() {
        String json = BRATS.replace("\"dims\": {\"kind\": \"3d\"}", "\"dims\": {\"kind\": \"2d\", \"sliceAxis\": 2, \"neighbourSlices\": 1}")
                .replace("[128, 128, 128]", "[128, 128, 1]").replace("\"mirrorAxes\": [0, 1, 2]", "\"mirrorAxes\": [0, 1]");
        ModelSpec s = ModelSpec.parse(json, "model.json");
        assertEquals(12, s.networkInputChannels()); // 4 inputs x 3 slices
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown key            | \"engine\": \"torchscript\"          | \"engine\": \"torchscript\", \"colour\": 1 | model.json: colour: unknown key",
        "bad normalization      | \"t1n\", \"normalization\": \"zscore-nonzero\" | \"t1n\", \"normalization\": \"minmax\" | model.json: inputs[1].normalization: unknown normalization 'minmax'",
        "ct without stats       | \"t1n\", \"normalization\": \"zscore-nonzero\" | \"t1n\", \"normalization\": \"ct\" | model.json: inputs[1].ct: normalization 'ct' needs",
        "patch of two values    | [128, 128, 128]                  | [128, 128]                     | model.json: patchSize: needs 3 values",
        "bad engine             | \"engine\": \"torchscript\"          | \"engine\": \"tensorflow\"        | model.json: engine: unknown engine 'tensorflow'",
        "djl without network    | \"engine\": \"torchscript\"          | \"engine\": \"djl\"               | model.json: architecture: engine 'djl' needs the network description",
        "network for torchscript| \"engine\": \"torchscript\"          | \"engine\": \"torchscript\", \"architecture\": {\"name\": \"unet\"} | model.json: architecture: only engine 'djl' takes one",
        "region of unknown label| \"labels\": [1, 3]}               | \"labels\": [1, 4]}             | model.json: regions[1].labels: label 4 is not declared",
        "class order too short  | [2, 1, 3]                        | [2, 1]                         | model.json: regionClassOrder: needs one label per region",
        "bad colour             | \"#00ff00\"                        | \"green\"                        | model.json: labels[1].colour: must look like #rrggbb",
        "mirror axis 3          | \"mirrorAxes\": [0, 1, 2]          | \"mirrorAxes\": [0, 3]          | model.json: mirrorAxes: needs distinct voxel axes",
        "fold with a path       | \"fold1.pt\"                       | \"../fold1.pt\"                  | model.json: folds[1]: '../fold1.pt' must be a distinct plain file name",
        "missing task           | \"task\": \"brain-metastases\",     | ''                             | model.json: task: missing",
        "spacing zero           | [1.0, 1.0, 1.0]                  | [1.0, 0, 1.0]                  | model.json: targetSpacing: needs 3 positive",
        "not json               | {                                | [                              | model.json: ",
    })
    void messagesNameTheBadKey(String what, String from, String to, String expected) {
        String json = BRATS.replaceFirst(java.util.regex.Pattern.quote(from.strip()),
                java.util.regex.Matcher.quoteReplacement(to.strip()));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelSpec.parse(json, "model.json"));
        assertTrue(e.getMessage().startsWith(expected.strip()), what + ": got '" + e.getMessage() + "'");
    }

    @Test
    void repositoryListsValidPackagesAndReportsBrokenOnes(@TempDir Path dir) throws Exception {
        Path good = Files.createDirectories(dir.resolve("b-good"));
        Files.writeString(good.resolve("model.json"), BRATS);
        Files.write(good.resolve("fold0.pt"), new byte[] {1});
        Files.write(good.resolve("fold1.pt"), new byte[] {1});
        Path noWeights = Files.createDirectories(dir.resolve("a-no-weights"));
        Files.writeString(noWeights.resolve("model.json"), BRATS.replace("brats-mets", "other"));
        Files.createDirectories(dir.resolve("c-not-a-model"));

        ModelRepository repo = ModelRepository.scan(dir);
        assertEquals(1, repo.packages().size());
        assertEquals("brats-mets", repo.packages().get(0).spec().name());
        assertEquals(good.resolve("fold1.pt"), repo.find("brats-mets").orElseThrow().weights().get(1));
        assertEquals(1, repo.problems().size());
        assertTrue(repo.problems().get(0).contains("folds[0]: weights file fold0.pt not found"), repo.problems().get(0));
    }
}
