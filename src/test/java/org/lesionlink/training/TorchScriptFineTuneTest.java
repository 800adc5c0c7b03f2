package org.lesionlink.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.Segmenter;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlModel;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.testing.Peers;

/**
 * Fine-tuning an imported TorchScript model: a tiny scripted U-Net with BatchNorm made by PyTorch
 * ({@code peers/tiny_trainable_unet.py}), trained through DJL, written back as TorchScript and compared
 * with the original by PyTorch itself.
 */
class TorchScriptFineTuneTest {

    static Path pretrainedPackage(Path dir) throws Exception {
        Peers.requirePythonModule("torch");
        Path pt = dir.resolve("fold0.pt");
        Peers.Result r = Peers.run(List.of(Peers.python3().toString(), "src/test/resources/peers/tiny_trainable_unet.py", "make",
                pt.toString()), 120);
        assertEquals(0, r.exitCode(), r.stderr());
        ModelSpec spec = TaskDefaults.BRAIN.spec("tiny-scripted", List.of("t1c", "flair"), new int[] {16, 16, 16}, 1.5,
                ModelSpec.Engine.TORCHSCRIPT, null, List.of("fold0.pt"));
        Files.writeString(dir.resolve(ModelSpec.FILE_NAME), spec.toJson());
        return dir;
    }

    @Test
    void aScriptedModuleIsFineTunedAndWrittenBackAsTorchScript(@TempDir Path data, @TempDir Path pre, @TempDir Path out)
            throws Exception {
        pretrainedPackage(pre);
        TrainingFixtures.brainCases(data, 3, "t1c", "flair");
        List<Float> losses = new ArrayList<>();
        TrainingConfig config = new TrainingConfig(data, out, "torchscript", "tversky-bce", TaskDefaults.BRAIN,
                List.of("t1c", "flair"), 3, List.of(0), 2, 4, 2, new int[] {16, 16, 16}, 1.5, 1, 42, DeviceChoice.CPU, false,
                false, false, 1, new TrainingConfig.FineTune(pre, 0, false), 0, 1, null);
        new Trainer(config, new Trainer.Listener() {
            @Override
            public void iteration(int fold, int epoch, int iteration, float loss, int liveArrays) {
                losses.add(loss);
            }
        }, null).run();
        assertEquals(8, losses.size());
        assertTrue(losses.stream().allMatch(Float::isFinite), losses.toString());

        ModelPackage pkg = ModelPackage.open(out);
        assertEquals(ModelSpec.Engine.TORCHSCRIPT, pkg.spec().engine());
        assertEquals(List.of("fold0.pt"), pkg.spec().folds());
        JsonNode init = new ObjectMapper().readTree(out.resolve("init.json").toFile());
        assertEquals("torchscript", init.get("engine").asText());

        // PyTorch reads the written module; its parameters and BatchNorm statistics moved, so do its outputs
        Peers.Result r = Peers.run(List.of(Peers.python3().toString(), "src/test/resources/peers/tiny_trainable_unet.py",
                "compare", pre.resolve("fold0.pt").toString(), out.resolve("fold0.pt").toString()), 120);
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode cmp = new ObjectMapper().readTree(r.stdout());
        assertEquals(16, cmp.get("parameters").asInt());
        assertTrue(cmp.get("maxParameterChange").asDouble() > 1e-6, r.stdout());
        assertTrue(cmp.get("maxRunningMeanChange").asDouble() > 1e-6, r.stdout());
        assertTrue(cmp.get("maxOutputChange").asDouble() > 1e-6, r.stdout());

        // and the fine-tuned package segments through the ordinary inference path
        NiftiReader reader = new NiftiReader();
        List<Volume> inputs = List.of(reader.readVolume(data.resolve("case000/t1c.nii.gz")),
                reader.readVolume(data.resolve("case000/flair.nii.gz")));
        try (DjlModel model = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.CPU, 1, 1))) {
            Volume labels = new Segmenter(pkg.spec(), model.folds(), new Segmenter.Options(false, 1, false)).segment(inputs).labelMap();
            assertEquals(inputs.get(0).geometry().dims()[0], labels.geometry().dims()[0]);
        }
    }

    @Test
    void frozenEncoderAndResumeAreRefusedForTorchScript(@TempDir Path data, @TempDir Path pre, @TempDir Path out) throws Exception {
        pretrainedPackage(pre);
        TrainingFixtures.brainCases(data, 3, "t1c", "flair");
        TrainingConfig frozen = new TrainingConfig(data, out, "torchscript", "tversky-bce", TaskDefaults.BRAIN,
                List.of("t1c", "flair"), 3, List.of(0), 1, 1, 1, new int[] {16, 16, 16}, 1.5, 1, 42, DeviceChoice.CPU, false,
                false, false, 1, new TrainingConfig.FineTune(pre, 0, true), 0, 0, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(frozen, null, null));
        assertTrue(e.getMessage().contains("--freeze-encoder"), e.getMessage());
    }
}
