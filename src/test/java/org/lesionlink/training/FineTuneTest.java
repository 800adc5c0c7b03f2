package org.lesionlink.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.djl.DeviceChoice;

/** Fine-tuning LesionLink's own networks: weights start from the pretrained fold, not at random. */
class FineTuneTest {

    @TempDir
    static Path data;
    @TempDir
    static Path pretrained;

    @BeforeAll
    static void pretrain() throws Exception {
        TrainingFixtures.brainCases(data, 3, "t1c", "flair");
        new Trainer(scratch(pretrained, 1, 3, 99), null, null).run();
    }

    static TrainingConfig scratch(Path out, int epochs, int iterations, long seed) {
        return new TrainingConfig(data, out, "unet", "tversky-bce", TaskDefaults.BRAIN, List.of("t1c", "flair"), 3, List.of(0),
                epochs, iterations, 2, new int[] {16, 16, 16}, 1.5, 4, seed, DeviceChoice.CPU, false, false, false, 1);
    }

    static TrainingConfig fineTune(Path out, String loss, boolean freeze, boolean resume) {
        return new TrainingConfig(data, out, "unet", loss, TaskDefaults.BRAIN, List.of("t1c", "flair"), 3, List.of(0), 2, 2, 2,
                new int[] {16, 16, 16}, 1.5, 4, 42, DeviceChoice.CPU, resume, false, false, 1,
                new TrainingConfig.FineTune(pretrained, 0, freeze), 0, 0, null);
    }

    /** Parameter name to values, copied at the start of training. */
    static Map<String, float[]> snapshot(PairList<String, Parameter> params) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : params) {
            m.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return m;
    }

    static Map<String, float[]> initialWeights(TrainingConfig config) throws IOException {
        Map<String, float[]> start = new LinkedHashMap<>();
        new Trainer(config, new Trainer.Listener() {
            @Override
            public void initialized(int fold, PairList<String, Parameter> parameters) {
                start.putAll(snapshot(parameters));
            }
        }, null).run();
        return start;
    }

    @Test
    void fineTuningStartsFromThePretrainedWeightsAndScratchDoesNot(@TempDir Path tuned, @TempDir Path fresh) throws Exception {
        Map<String, float[]> tunedStart = initialWeights(fineTune(tuned, "tversky-bce", false, false));
        Map<String, float[]> scratchStart = initialWeights(scratch(fresh, 1, 1, 42));
        assertEquals(scratchStart.keySet(), tunedStart.keySet());
        int same = 0;
        for (String k : scratchStart.keySet()) {
            if (java.util.Arrays.equals(scratchStart.get(k), tunedStart.get(k))) {
                same++;
            }
        }
        // biases and norm parameters start at 0/1 in both; weights must differ
        assertTrue(same < scratchStart.size() / 2, same + " of " + scratchStart.size() + " parameters equal the random start");

        JsonNode init = new ObjectMapper().readTree(tuned.resolve("init.json").toFile());
        assertEquals("fine-tune", init.get("mode").asText());
        assertEquals(Pretrained.sha256(pretrained.resolve("fold0.params")), init.get("sha256").asText());
        assertEquals("scratch", new ObjectMapper().readTree(fresh.resolve("init.json").toFile()).get("mode").asText());
        ModelPackage pkg = ModelPackage.open(tuned);
        assertEquals(ModelPackage.open(pretrained).spec().architecture(), pkg.spec().architecture());
        assertNotEquals(Files.readAllBytes(pretrained.resolve("fold0.params")).length, 0);
        // validation off: the log's Dice columns are NaN
        assertTrue(Files.readAllLines(tuned.resolve("training_log.csv")).get(1).contains("NaN"));
    }

    @Test
    void pretrainedWeightsAreTheLoadedPackagesWeights(@TempDir Path tuned) throws Exception {
        Map<String, float[]> start = initialWeights(fineTune(tuned, "tversky-bce", false, false));
        Map<String, float[]> loaded = new LinkedHashMap<>();
        try (ai.djl.ndarray.NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager(ai.djl.Device.cpu());
                java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(pretrained.resolve("fold0.params")))) {
            org.lesionlink.training.nets.Networks.Network net = Trainer.network(ModelPackage.open(pretrained).spec(), 3);
            net.block().loadParameters(m, in);
            loaded.putAll(snapshot(net.block().getParameters()));
        }
        assertEquals(loaded.keySet(), start.keySet());
        for (String k : loaded.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(loaded.get(k), start.get(k), k);
        }
    }

    @Test
    void frozenEncoderKeepsItsWeights(@TempDir Path tuned) throws Exception {
        Map<String, float[]> start = new LinkedHashMap<>();
        Map<String, float[]> end = new LinkedHashMap<>();
        PairList<String, Parameter>[] live = new PairList[1];
        new Trainer(fineTune(tuned, "tversky-bce", true, false), new Trainer.Listener() {
            @Override
            public void initialized(int fold, PairList<String, Parameter> parameters) {
                start.putAll(snapshot(parameters));
                live[0] = parameters;
            }

            @Override
            public void foldTrained(int fold, org.lesionlink.inference.window.TilePredictor network) {
                end.putAll(snapshot(live[0]));
            }
        }, null).run();
        int frozen = 0;
        int changed = 0;
        for (String k : start.keySet()) {
            boolean encoder = k.split("_", 2)[0].replaceFirst("^\\d+", "").startsWith("down");
            boolean same = java.util.Arrays.equals(start.get(k), end.get(k));
            if (encoder) {
                assertTrue(same, k + " is in the encoder but changed");
                frozen++;
            } else if (!same) {
                changed++;
            }
        }
        assertTrue(frozen > 0, "no encoder parameters in " + start.keySet());
        assertTrue(changed > 0, "the decoder did not train");
    }

    @Test
    void checkpointsRefuseToResumeARunStartedDifferently(@TempDir Path out) throws Exception {
        new Trainer(scratch(out, 1, 1, 42), null, null).run();
        IOException e = assertThrows(IOException.class, () -> new Trainer(fineTune(out, "tversky-bce", false, true), null, null).run());
        assertTrue(e.getMessage().contains("scratch") && e.getMessage().contains("fine-tune:"), e.getMessage());
    }
}
