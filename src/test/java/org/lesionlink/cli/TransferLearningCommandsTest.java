package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.testing.Peers;
import org.lesionlink.training.TaskDefaults;

/** Argument handling of {@code finetune}, {@code study}, {@code train --scratch} and {@code phantom --domain}. */
class TransferLearningCommandsTest {

    /** A package of the given engine with a placeholder weights file (enough for the checks before loading). */
    static Path fakePackage(Path dir, ModelSpec.Engine engine) throws Exception {
        Files.createDirectories(dir);
        ModelSpec.Architecture arch = engine == ModelSpec.Engine.DJL
                ? new ModelSpec.Architecture("unet", Map.of("stages", 3, "initFilters", 4, "maxFilters", 320, "norm", "instance",
                        "groups", 0))
                : null;
        String fold = engine == ModelSpec.Engine.ONNX ? "fold0.onnx" : engine == ModelSpec.Engine.DJL ? "fold0.params" : "fold0.pt";
        ModelSpec spec = TaskDefaults.BRAIN.spec("fake", List.of("t1c", "flair"), new int[] {16, 16, 16}, 1.5, engine, arch,
                List.of(fold));
        Files.writeString(dir.resolve(ModelSpec.FILE_NAME), spec.toJson());
        Files.write(dir.resolve(fold), new byte[] {1, 2, 3});
        return dir;
    }

    static void assertError(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertTrue(r.exitCode() != 0, String.join(" ", args));
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    @Test
    void finetuneNamesBadArguments(@TempDir Path dir) throws Exception {
        Path djl = fakePackage(dir.resolve("djl"), ModelSpec.Engine.DJL);
        Path onnx = fakePackage(dir.resolve("onnx"), ModelSpec.Engine.ONNX);
        String data = dir.toString();
        String out = dir.resolve("out").toString();
        assertError("no such model folder", "finetune", "--from", dir.resolve("missing/").toString(), "--data", data, "--out", out);
        assertError("ONNX models cannot be fine-tuned", "finetune", "--from", onnx.toString(), "--data", data, "--out", out);
        assertError("--from-fold 3: " + djl + " has 1 fold(s)", "finetune", "--from", djl.toString(), "--from-fold", "3",
                "--data", data, "--out", out);
        assertError("--lr must be a positive number, got -1.0", "finetune", "--from", djl.toString(), "--lr", "-1", "--data", data,
                "--out", out);
        assertError("--loss must be one of tversky-bce, dice-ce, got 'focal'", "finetune", "--from", djl.toString(), "--loss",
                "focal", "--data", data, "--out", out);
        assertError("--from-fold must be >= 0", "finetune", "--from", djl.toString(), "--from-fold", "-1", "--data", data,
                "--out", out);
        CliRun help = CliRun.of("finetune", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--freeze-encoder") && help.out().contains("--from"), help.out());
    }

    @Test
    void studyNamesBadArguments(@TempDir Path dir) throws Exception {
        Path djl = fakePackage(dir.resolve("djl"), ModelSpec.Engine.DJL);
        Path ts = fakePackage(dir.resolve("ts"), ModelSpec.Engine.TORCHSCRIPT);
        String d = dir.toString();
        assertError("--losses: each must be tversky-bce or dice-ce, got 'focal'", "study", "--pretrained", djl.toString(), "--data", d,
                "--test", d, "--out", d, "--losses", "focal");
        assertError("--folds must be at least 2, got 1", "study", "--pretrained", djl.toString(), "--data", d, "--test", d, "--out",
                d, "--folds", "1");
        assertError("names a loss twice", "study", "--pretrained", djl.toString(), "--data", d, "--test", d, "--out", d,
                "--losses", "dice-ce,dice-ce");
        assertError("a study needs a LesionLink (djl) model", "study", "--pretrained", ts.toString(), "--data", d, "--test", d,
                "--out", d.concat("/o"));
    }

    @Test
    void trainSaysScratchAndMainListsTheNewCommands() {
        CliRun help = CliRun.of("train", "--help");
        assertTrue(help.out().contains("--scratch"), help.out());
        CliRun main = CliRun.of("--help");
        for (String cmd : new String[] {"finetune", "study"}) {
            assertTrue(main.out().lines().anyMatch(l -> l.strip().startsWith(cmd + " ")), cmd + " missing in\n" + main.out());
        }
    }

    @Test
    void phantomWritesAShiftedDomainAndNamesBadOptions(@TempDir Path dir) throws Exception {
        String template = Peers.testResource("fixtures/colin27-2mm").toString();
        CliRun r = CliRun.of("phantom", "--kind", "brain", "--cases", "1", "--seed", "3", "--spacing", "3", "--template", template,
                "--domain", "shifted", "--noise", "0.05,0.06", "--out", dir.resolve("s").toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<?, ?> json = new ObjectMapper().readValue(dir.resolve("s/case000/lesions.json").toFile(), Map.class);
        assertEquals("shifted+custom", json.get("domain"));
        double noise = ((Number) ((Map<?, ?>) json.get("scanner")).get("noiseSigmaRelative")).doubleValue();
        assertTrue(noise >= 0.05 && noise <= 0.06, "noise " + noise);
        assertError("--domain must be standard or shifted, got 'mri'", "phantom", "--kind", "brain", "--cases", "1", "--domain", "mri",
                "--template", template, "--out", dir.resolve("x").toString());
        assertError("noise range must be LOW,HIGH", "phantom", "--kind", "brain", "--cases", "1", "--noise", "0.5,0.1",
                "--template", template, "--out", dir.resolve("x").toString());
        assertError("--contrast and --enhancement are for --kind brain only", "phantom", "--kind", "spine", "--cases", "1",
                "--contrast", "0.9", "--out", dir.resolve("x").toString());
    }
}
