package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.training.TrainingFixtures;

class TrainCommandTest {

    @TempDir
    static Path data;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown arch   | --task brain --arch vnet             | --arch must be one of segresnet, unet, got 'vnet'",
        "unknown loss   | --task brain --loss focal            | --loss must be one of tversky-bce, dice-ce, got 'focal'",
        "unknown task   | --task liver                         | --task must be one of brain, spine, got 'liver'",
        "fold too large | --task brain --folds 3 --fold 3      | --fold 3 is not in 0..2",
        "fold not int   | --task brain --fold first            | --fold must be a fold number or all, got 'first'",
        "one fold       | --task brain --folds 1               | --folds must be at least 2, got 1",
        "patch of two   | --task brain --patch 16,16           | --patch takes one size or three (X,Y,Z)",
        "odd patch      | --task brain --patch 20 --arch segresnet | --patch sizes must be multiples of 8 for segresnet",
        "bad device     | --task brain --device tpu            | unknown device 'tpu'",
        "zero epochs    | --task brain --epochs 0              | --epochs, --iterations and --batch must be at least 1",
        "no data        | --task brain                         | --data",
    })
    void argumentErrorsNameTheProblem(String what, String args, String expected, @TempDir Path out) {
        String dataDir = what.equals("no data") ? out.resolve("missing").toString() : data.toString();
        String[] argv = ("train --data " + dataDir + " --out " + out.resolve("model") + " " + args.strip()).split("\\s+");
        CliRun r = CliRun.of(argv);
        assertTrue(r.exitCode() != 0, what);
        assertTrue(r.err().contains(expected.strip()), what + ": " + r.err());
    }

    @Test
    void missingRequiredOptionIsNamed() {
        CliRun r = CliRun.of("train", "--task", "brain");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--data") && r.err().contains("--out"), r.err());
    }

    @Test
    void trainsATinyModelPackage(@TempDir Path dir) throws Exception {
        Path cases = TrainingFixtures.brainCases(dir.resolve("cases"), 2, "t1c", "flair");
        Path out = dir.resolve("tiny-brain");
        CliRun r = CliRun.of("train", "--data", cases.toString(), "--out", out.toString(), "--task", "brain",
                "--arch", "unet", "--loss", "dice-ce", "--channels", "t1c,flair", "--folds", "2", "--fold", "1",
                "--epochs", "1", "--iterations", "1", "--batch", "1", "--patch", "16", "--spacing", "1.5",
                "--filters", "4", "--seed", "3", "--device", "cpu", "--threads", "1", "--no-augment");
        assertEquals(0, r.exitCode(), r.err());
        ModelPackage pkg = ModelPackage.open(out);
        assertEquals("tiny-brain", pkg.spec().name());
        assertEquals("unet", pkg.spec().architecture().name());
        assertTrue(Files.isRegularFile(out.resolve("fold1.params")));
        assertTrue(Files.isRegularFile(out.resolve("fold1/checkpoint.bin")));
        assertTrue(Files.readString(out.resolve("splits.json")).contains("case000"));
    }
}
