package org.lesionlink.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.Segmentation;
import org.lesionlink.inference.Segmenter;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlModel;
import org.lesionlink.inference.window.TilePredictor;
import org.lesionlink.io.nifti.NiftiReader;

/** Tiny end-to-end training runs: 3 synthetic 24^3 cases, 16^3 patches, 4 filters. */
class TrainerTest {

    @TempDir
    static Path data;

    @BeforeAll
    static void cases() throws Exception {
        TrainingFixtures.brainCases(data, 3, "t1c", "flair");
    }

    static TrainingConfig config(Path out, String arch, String loss, int epochs, int iterations, boolean resume, boolean augment) {
        return new TrainingConfig(data, out, arch, loss, TaskDefaults.BRAIN, List.of("t1c", "flair"), 3, List.of(0), epochs,
                iterations, 2, new int[] {16, 16, 16}, 1.5, 4, 42, DeviceChoice.CPU, resume, false, augment, 1);
    }

    @Test
    void aFewIterationsReduceTheLossAndKeepMemoryFlat(@TempDir Path out) throws Exception {
        List<Float> losses = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        Trainer.Listener l = new Trainer.Listener() {
            @Override
            public void iteration(int fold, int epoch, int iteration, float loss, int liveArrays) {
                losses.add(loss);
                live.add(liveArrays);
            }
        };
        List<Trainer.EpochResult> r = new Trainer(config(out, "unet", "tversky-bce", 2, 8, false, false), l, null).run();
        assertEquals(2, r.size());
        double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
        int n = losses.size();
        double last = (losses.get(n - 1) + losses.get(n - 2) + losses.get(n - 3)) / 3;
        assertTrue(last < first, "loss " + first + " -> " + last + ": " + losses);
        // the same number of live arrays after every iteration: parameters + optimizer state only
        assertEquals(1, live.stream().skip(1).distinct().count(), live.toString());
        assertTrue(Files.isRegularFile(out.resolve("fold0.params")));
        List<String> log = Files.readAllLines(out.resolve("training_log.csv"));
        assertEquals("fold,epoch,lr,train_loss,val_dice_WT,val_dice_TC,val_dice_ET,seconds", log.get(0));
        assertEquals(3, log.size());
    }

    @Test
    void resumingAfterAnInterruptionContinuesExactly(@TempDir Path straight, @TempDir Path interrupted) throws Exception {
        new Trainer(config(straight, "segresnet", "dice-ce", 2, 3, false, true), null, null).run();
        Trainer.Listener crash = new Trainer.Listener() {
            @Override
            public void epoch(Trainer.EpochResult result) {
                throw new IllegalStateException("simulated crash after epoch " + result.epoch());
            }
        };
        assertThrows(IllegalStateException.class,
                () -> new Trainer(config(interrupted, "segresnet", "dice-ce", 2, 3, false, true), crash, null).run());
        assertTrue(Files.notExists(interrupted.resolve("fold0.params")));
        List<Trainer.EpochResult> resumed = new Trainer(config(interrupted, "segresnet", "dice-ce", 2, 3, true, true), null, null).run();
        assertEquals(1, resumed.size());
        assertEquals(1, resumed.get(0).epoch());
        assertArrayEquals(Files.readAllBytes(straight.resolve("fold0.params")), Files.readAllBytes(interrupted.resolve("fold0.params")));
        assertEquals(Files.readAllLines(straight.resolve("training_log.csv")).size(),
                Files.readAllLines(interrupted.resolve("training_log.csv")).size());
    }

    @Test
    void savedPackageSegmentsLikeTheInMemoryNetwork(@TempDir Path out) throws Exception {
        NiftiReader reader = new NiftiReader();
        Path case0 = data.resolve("case000");
        List<Volume> inputs = List.of(reader.readVolume(case0.resolve("t1c.nii.gz")), reader.readVolume(case0.resolve("flair.nii.gz")));
        Segmenter.Options options = new Segmenter.Options(false, 1, true);
        List<Segmentation> inMemory = new ArrayList<>();
        Trainer trainer = new Trainer(config(out, "segresnet", "tversky-bce", 1, 2, false, true), new Trainer.Listener() {
            @Override
            public void foldTrained(int fold, TilePredictor network) {
                // the descriptor as it will be written, with this fold's file
                inMemory.add(new Segmenter(
                        new Trainer(config(out, "segresnet", "tversky-bce", 1, 2, false, true), null, null).spec(List.of("fold0.params")),
                        List.of(network), options).segment(inputs));
            }
        }, null);
        trainer.run();
        ModelPackage pkg = ModelPackage.open(out);
        assertEquals(List.of("fold0.params"), pkg.spec().folds());
        try (DjlModel model = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.CPU, 1, 1))) {
            Segmentation loaded = new Segmenter(pkg.spec(), model.folds(), options).segment(inputs);
            Volume a = inMemory.get(0).logits().orElseThrow();
            Volume b = loaded.logits().orElseThrow();
            assertEquals(a.channels(), b.channels());
            for (int c = 0; c < a.channels(); c++) {
                assertArrayEquals(a.toFloats(c), b.toFloats(c), 1e-5f);
            }
        }
    }
}
