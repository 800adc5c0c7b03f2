package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.training.TrainingFixtures;

/** tune-postprocessing on a tiny trained package: it runs, reports, and --write changes only postprocessing. */
class TunePostprocessingCommandTest {

    @Test
    void choosesAndWritesPostprocessingOnly(@TempDir Path dir) throws Exception {
        Path cases = TrainingFixtures.brainCases(dir.resolve("cases"), 2, "t1c", "flair");
        Path model = dir.resolve("tiny-brain");
        CliRun train = CliRun.of("train", "--data", cases.toString(), "--out", model.toString(), "--task", "brain",
                "--arch", "unet", "--loss", "dice-ce", "--channels", "t1c,flair", "--folds", "2", "--fold", "0",
                "--epochs", "1", "--iterations", "1", "--batch", "1", "--patch", "16", "--spacing", "1.5",
                "--filters", "4", "--seed", "3", "--device", "cpu", "--threads", "1", "--no-augment");
        assertEquals(0, train.exitCode(), train.err());
        ModelSpec before = ModelPackage.open(model).spec();

        CliRun dry = CliRun.of("tune-postprocessing", "--model", model.toString(), "--data", cases.toString(),
                "--task", "brain", "--no-tta", "--device", "cpu");
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("case001: segmented in"), dry.out());
        assertTrue(dry.out().contains("baseline: no minimum volume, thresholds 0.5: score"), dry.out());
        assertTrue(dry.out().contains("chosen:"), dry.out());
        assertEquals(before, ModelPackage.open(model).spec(), "without --write model.json stays as it is");

        CliRun write = CliRun.of("tune-postprocessing", "--model", model.toString(), "--data", cases.toString(),
                "--task", "brain", "--no-tta", "--device", "cpu", "--write");
        assertEquals(0, write.exitCode(), write.err());
        ModelSpec after = ModelPackage.open(model).spec();
        assertEquals(before.withPostprocessing(after.postprocessing()), after);
        assertTrue(write.out().contains("wrote " + model.resolve("model.json")), write.out());
    }

    @Test
    void missingModelIsReportedOnOneLine(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun r = CliRun.of("tune-postprocessing", "--model", dir.resolve("nothing").toString(), "--data", empty.toString());
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().startsWith("lesionlink tune-postprocessing: error:"), r.err());
    }
}
