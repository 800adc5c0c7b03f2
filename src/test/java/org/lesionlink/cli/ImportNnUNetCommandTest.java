package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.PeerModels;
import org.lesionlink.inference.SegmenterReferenceTestAccess;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;

/** {@code lesionlink import-nnunet}: fixtures shaped like nnU-Net v2's files, and a runnable round trip. */
class ImportNnUNetCommandTest {

    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "nnunet");

    @TempDir
    Path dir;

    private Path fakeWeights(String folder, String... names) throws IOException {
        Path w = Files.createDirectories(dir.resolve(folder));
        for (String n : names) {
            Files.write(w.resolve(n), new byte[] {1, 2, 3});
        }
        return w;
    }

    private CliRun importFixture(String dataset, Path weights, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("import-nnunet",
                "--plans", FIXTURES.resolve(dataset).resolve("plans.json").toString(),
                "--dataset", FIXTURES.resolve(dataset).resolve("dataset.json").toString(),
                "--weights", weights.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void bratsFixtureBecomesAPackage() throws IOException {
        Path weights = fakeWeights("weights", "fold_0.pt", "fold_1.pt", "checkpoint_final.pth");
        Files.writeString(weights.resolve("export.json"), "{\"inference_allowed_mirroring_axes\": [0, 2]}");
        Path out = dir.resolve("models").resolve("brats");
        Files.createDirectories(out.getParent());
        CliRun run = importFixture("brats-mets", weights, out, "--name", "brats-mets", "--label-names", "1=NETC,2=SNFH,3=ET");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("model brats-mets, 3d, sigmoid, channels t1n,t1c,t2w,t2f, 2 fold(s) (torchscript)"), run.out());

        ModelPackage p = ModelPackage.open(out);
        ModelSpec s = p.spec();
        assertEquals(List.of("fold_0.pt", "fold_1.pt"), s.folds());
        assertEquals(List.of("NETC", "SNFH", "ET"), s.labels().stream().map(ModelSpec.Label::name).toList());
        assertArrayEquals(new int[] {0, 2}, s.mirrorAxes(), "export.json axes 0, 2 are voxel axes k, i");
        assertTrue(Files.isRegularFile(out.resolve("nnunet-plans.json")));
        assertTrue(Files.isRegularFile(out.resolve("nnunet-dataset.json")));
        assertFalse(Files.exists(out.resolve("checkpoint_final.pth")));

        // listed by `models`
        CliRun models = CliRun.of("models", "--models", out.getParent().toString());
        assertTrue(models.out().contains("brats-mets"), models.out());

        Path onnx = dir.resolve("models").resolve("brats-onnx");
        Path weights2d = fakeWeights("weights-2d", "fold_0.pt", "fold_0.onnx");
        CliRun run2d = importFixture("brats-mets", weights2d, onnx, "--engine", "onnx", "--configuration", "2d");
        assertEquals(0, run2d.exitCode(), run2d.err());
        ModelSpec o = ModelPackage.open(onnx).spec();
        assertEquals(ModelSpec.Engine.ONNX, o.engine());
        assertEquals(ModelSpec.Dims.Kind.TWO_D, o.dims().kind());
        assertEquals("dataset501_bratsmets", o.name());
    }

    /** The tiny U-Net's two folds described the nnU-Net way segment exactly as its own package does. */
    @Test
    void importedPackageSegmentsLikeTheOriginal() throws IOException {
        Path src = PeerModels.folder("tiny-unet");
        Path weights = Files.createDirectories(dir.resolve("export"));
        Files.copy(src.resolve("fold0.pt"), weights.resolve("fold_0.pt"));
        Files.copy(src.resolve("fold1.pt"), weights.resolve("fold_1.pt"));
        Path plans = dir.resolve("plans.json");
        Files.writeString(plans, """
                {"dataset_name": "Dataset900_Tiny", "transpose_forward": [0, 1, 2], "transpose_backward": [0, 1, 2],
                 "configurations": {"3d_fullres": {"patch_size": [16, 16, 16], "spacing": [1.0, 1.0, 1.0],
                   "normalization_schemes": ["ZScoreNormalization", "ZScoreNormalization"], "use_mask_for_norm": [true, true]}},
                 "foreground_intensity_properties_per_channel": {}}""");
        Path dataset = dir.resolve("dataset.json");
        Files.writeString(dataset, """
                {"channel_names": {"0": "t1c", "1": "t2f"},
                 "labels": {"background": 0, "NETC": 1, "SNFH": 2, "ET": 3}, "numTraining": 1, "file_ending": ".nii.gz"}""");
        Path pkg = dir.resolve("tiny-imported");
        CliRun imp = CliRun.of("import-nnunet", "--plans", plans.toString(), "--dataset", dataset.toString(),
                "--weights", weights.toString(), "--out", pkg.toString(), "--min-component-voxels", "3");
        assertEquals(0, imp.exitCode(), imp.err());

        List<Volume> phantom = SegmenterReferenceTestAccess.phantom(new int[] {32, 28, 24}, 7);
        Path t1c = dir.resolve("t1c.nii");
        Path t2f = dir.resolve("t2f.nii");
        new NiftiWriter().write(phantom.get(0), t1c);
        new NiftiWriter().write(phantom.get(1), t2f);
        byte[][] maps = new byte[2][];
        String[] models = {pkg.toString(), src.toString()};
        for (int m = 0; m < 2; m++) {
            Path out = dir.resolve("labels" + m + ".nii");
            CliRun run = CliRun.of("segment", "--model", models[m], "--device", "cpu", "--no-tta", "--input", "t1c=" + t1c,
                    "--input", "t2f=" + t2f, "--output", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            Volume v = new NiftiReader().readVolume(out);
            maps[m] = new byte[v.voxelsPerChannel()];
            v.data(0).get(maps[m]);
        }
        assertArrayEquals(maps[1], maps[0]);
    }

    @Test
    void refusalsNameTheProblemAndLeaveNothing() throws IOException {
        Path weights = fakeWeights("weights", "fold_0.pt");
        Path out = dir.resolve("out-model");
        assertRefused(importFixture("brats-mets", weights, out, "--configuration", "3d_cascade_fullres"), out,
                FIXTURES.resolve("brats-mets").resolve("plans.json") + ": configurations.3d_cascade_fullres: a cascade stage");
        assertRefused(importFixture("brats-mets", weights, out, "--configuration", "3d_huge"), out,
                "no configuration '3d_huge' (available: 2d, 3d_fullres, 3d_lowres, 3d_cascade_fullres)");
        assertRefused(importFixture("brats-mets", fakeWeights("other", "fold_0.onnx.bak"), out), out, "no fold_*.pt files in");
        assertRefused(importFixture("ct-spine", weights, out, "--engine", "onnx"), out, "no fold_*.onnx files");
        assertRefused(importFixture("ct-spine", weights, out, "--task", "liver"), out, "unknown task 'liver'");
        assertRefused(importFixture("ct-spine", weights, out, "--label-names", "one=NETC"), out, "--label-names takes VALUE=NAME");
        Path bad = dir.resolve("bad-plans.json");
        Files.writeString(bad, "{\"configurations\": ");
        assertRefused(CliRun.of("import-nnunet", "--plans", bad.toString(),
                "--dataset", FIXTURES.resolve("ct-spine").resolve("dataset.json").toString(),
                "--weights", weights.toString(), "--out", out.toString()), out, bad + ": not valid JSON");
        Files.createDirectories(out);
        CliRun exists = importFixture("ct-spine", weights, out);
        assertEquals(Main.EXIT_FAILURE, exists.exitCode());
        assertTrue(exists.err().contains("--out " + out + " already exists"), exists.err());
    }

    private void assertRefused(CliRun run, Path out, String fragment) throws IOException {
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("lesionlink import-nnunet: error: "), lines.get(0));
        assertTrue(lines.get(0).contains(fragment), "'" + fragment + "' in: " + lines.get(0));
        assertFalse(Files.exists(out), "no package on failure");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary folder");
        }
    }
}
