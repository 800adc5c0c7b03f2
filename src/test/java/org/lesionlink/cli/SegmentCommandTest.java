package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.PeerModels;
import org.lesionlink.inference.SegmenterReferenceTestAccess;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;

/**
 * {@code lesionlink segment} on the tiny generated models: a successful run with its report, and every
 * refusal with exit code 1, one line naming the problem and the file, and no output left behind.
 */
class SegmentCommandTest {

    @TempDir
    Path dir;

    Path models;
    Path t1c;
    Path t2f;
    Path out;
    Path report;

    @BeforeEach
    void caseFiles() throws IOException {
        models = PeerModels.folder("tiny-segresnet").getParent();
        List<Volume> phantom = SegmenterReferenceTestAccess.phantom(new int[] {32, 28, 24}, 42);
        t1c = write("t1c.nii.gz", phantom.get(0));
        t2f = write("t2f.nii.gz", phantom.get(1));
        out = dir.resolve("labels.nii.gz");
        report = dir.resolve("report.json");
    }

    private Path write(String name, Volume v) throws IOException {
        Path f = dir.resolve(name);
        new NiftiWriter().write(v, f);
        return f;
    }

    private CliRun segment(String... extra) {
        List<String> args = new ArrayList<>(List.of("segment", "--models", models.toString(), "--device", "cpu", "--no-tta"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Exit 1, a single error line containing every fragment, and only the case files left in the folder. */
    private void assertRefused(CliRun run, String... fragments) throws IOException {
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + run.err());
        assertTrue(lines.get(0).startsWith("lesionlink segment: error: "), lines.get(0));
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), "'" + f + "' in: " + lines.get(0));
        }
        assertNothingWritten();
    }

    private void assertNothingWritten() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.removeIf(n -> n.startsWith("in-"));
        assertEquals(Set.of("t1c.nii.gz", "t2f.nii.gz"), names, "no output, no temporary file");
    }

    @Test
    void segmentsByNameAndWritesTheReport() throws IOException {
        CliRun run = segment("--model", "tiny-segresnet", "--input", "t2f=" + t2f, "--input", "t1c=" + t1c,
                "--output", out.toString(), "--report", report.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("lesion(s)"), run.out());

        Volume labels = new NiftiReader().readVolume(out);
        assertEquals(DataType.UINT8, labels.type());
        Volume first = new NiftiReader().readVolume(t1c);
        assertTrue(labels.geometry().sameGrid(first.geometry(), 1e-5), "on the first channel's grid");
        long nonZero = 0;
        for (int v = 0; v < labels.voxelsPerChannel(); v++) {
            nonZero += labels.stored(0, v) != 0 ? 1 : 0;
        }
        assertTrue(nonZero > 0, "the random net labels something");

        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertEquals("tiny-segresnet", r.get("model").get("name").asText());
        assertEquals("0.0.1-test", r.get("model").get("version").asText());
        assertEquals(List.of("t1c", "t2f"), fieldNames(r.get("inputs")), "model order, whatever the command-line order");
        assertEquals(t2f.toString(), r.get("inputs").get("t2f").asText());
        assertEquals("cpu()", r.get("device").asText());
        assertEquals(false, r.get("tta").asBoolean());
        long voxels = 0;
        double ml = 0;
        for (JsonNode l : r.get("lesions")) {
            voxels += l.get("voxels").asLong();
            ml += l.get("volumeMl").asDouble();
            assertEquals(3, l.get("centroidRas").size());
            assertTrue(l.get("longestDiameterMm").asDouble() >= 0);
            assertEquals(List.of("NETC", "SNFH", "ET"), fieldNames(l.get("labelVolumesMl")));
            assertEquals(List.of("WT", "TC", "ET"), fieldNames(l.get("regionVolumesMl")));
        }
        assertEquals(nonZero, voxels, "every labelled voxel belongs to one lesion");
        assertEquals(r.get("lesions").size(), r.get("lesionCount").asInt());
        assertEquals(nonZero * 0.001, r.get("volumes").get("totalMl").asDouble(), 1e-9, "1 mm^3 voxels");
        assertEquals(ml, r.get("volumes").get("regionsMl").get("WT").asDouble(), 1e-9, "WT is every label");
        List<String> stages = fieldNames(r.get("timingsMs"));
        for (String s : List.of("read", "load-model", "check", "crop", "normalise", "resample", "inference", "labels",
                "postprocess", "lesions")) {
            assertTrue(stages.contains(s), s + " in " + stages);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary files");
        }
    }

    @Test
    void twoDModelByFolderWithAChannelOnAnotherGrid() throws IOException {
        // t2f at 1.5 mm over the same field of view: resampled onto t1c's grid
        Volume t2 = new NiftiReader().readVolume(t2f);
        Geometry coarse = t2.geometry().withSpacing(new double[] {1.5, 1.5, 1.5});
        Volume resampled = org.lesionlink.image.Resampler.of(org.lesionlink.image.Interpolation.LINEAR).resample(t2, coarse);
        Path t2coarse = write("in-t2f-coarse.nii.gz", resampled);
        CliRun run = segment("--model", PeerModels.folder("tiny-unet2d").toString(), "--input", "t1c=" + t1c,
                "--input", "t2f=" + t2coarse, "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        Volume labels = new NiftiReader().readVolume(out);
        assertArrayEquals(new int[] {32, 28, 24}, labels.geometry().dims());
        assertTrue(!Files.exists(report));
    }

    @Test
    void wrongChannelNamesListExpectedAndGiven() throws IOException {
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "flair=" + t2f,
                "--output", out.toString()), "expects channels t1c, t2f", "given t1c, flair", "missing t2f", "unknown flair");
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--output", out.toString(),
                "--report", report.toString()), "missing t2f");
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t1c=" + t2f,
                "--output", out.toString()), "channel t1c given twice");
        assertRefused(segment("--model", "tiny-segresnet", "--input", t1c.toString(), "--output", out.toString()),
                "--input takes CHANNEL=FILE");
    }

    @Test
    void emptyNonFiniteAnd4dImagesAreNamed() throws IOException {
        Geometry g = new NiftiReader().readHeader(t1c).geometry();
        int n = (int) g.voxelCount();
        Path empty = write("in-empty.nii.gz", Volume.ofFloats(g, new float[n]));
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t2f=" + empty,
                "--output", out.toString(), "--report", report.toString()), empty.toString(), "empty (every voxel is 0)");

        float[] values = new NiftiReader().readVolume(t2f).toFloats(0);
        values[5] = Float.NaN;
        values[7] = Float.POSITIVE_INFINITY;
        Path nan = write("in-nan.nii", Volume.ofFloats(g, values));
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + nan, "--input", "t2f=" + t2f,
                "--output", out.toString()), nan.toString(), "2 voxel(s) are NaN or infinite", "(5, 0, 0)");

        Volume.Builder b = Volume.allocate(g, DataType.FLOAT32, 2);
        b.set(0, 3, 1);
        Path fourD = write("in-4d.nii.gz", b.build());
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t2f=" + fourD,
                "--output", out.toString()), fourD.toString(), "2 channels");
    }

    @Test
    void disjointFieldsOfViewAreRefused() throws IOException {
        Volume t2 = new NiftiReader().readVolume(t2f);
        Geometry g = t2.geometry();
        Geometry far = Geometry.of(g.dims(), g.spacing(), new double[] {g.origin()[0] + 200, g.origin()[1], g.origin()[2]},
                g.direction());
        Path moved = write("in-far.nii.gz", t2.withGeometry(far));
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t2f=" + moved,
                "--output", out.toString(), "--report", report.toString()), moved.toString(), "does not overlap", t1c.toString());
    }

    @Test
    void badModelsDevicesAndPaths() throws IOException {
        assertRefused(segment("--model", "no-such-model", "--input", "t1c=" + t1c, "--input", "t2f=" + t2f,
                "--output", out.toString()), "no model named 'no-such-model'", "installed: ", "tiny-segresnet");
        assertRefused(segment("--model", dir.resolve("nowhere").toString(), "--input", "t1c=" + t1c,
                "--input", "t2f=" + t2f, "--output", out.toString()), "no such model folder");
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + dir.resolve("in-missing.nii.gz"),
                "--input", "t2f=" + t2f, "--output", out.toString()), "in-missing.nii.gz");
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t2f=" + t2f,
                "--output", dir.resolve("labels.nrrd").toString()), "--output must end in .nii or .nii.gz");
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t2f=" + t2f,
                "--output", dir.resolve("no/such/dir/l.nii.gz").toString()), "--output: folder");
        assertRefused(segment("--model", "tiny-segresnet", "--input", "t1c=" + t1c, "--input", "t2f=" + t2f,
                "--output", t1c.toString()), "would overwrite an input");
        assertRefused(CliRun.of("segment", "--models", models.toString(), "--device", "tpu", "--model", "tiny-segresnet",
                "--input", "t1c=" + t1c, "--input", "t2f=" + t2f, "--output", out.toString()), "unknown device 'tpu'");
        if (ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0) {
            assertRefused(CliRun.of("segment", "--models", models.toString(), "--device", "gpu", "--model", "tiny-segresnet",
                    "--input", "t1c=" + t1c, "--input", "t2f=" + t2f, "--output", out.toString()), "sees no GPU");
        }
    }

    @Test
    void brokenModelFolderIsNamed() throws IOException {
        Path m = Files.createDirectories(dir.resolve("in-models").resolve("broken"));
        Files.writeString(m.resolve("model.json"), Files.readString(PeerModels.folder("tiny-segresnet").resolve("model.json"))
                .replace("\"zscore-nonzero\"", "\"zscore-sometimes\""));
        CliRun byName = CliRun.of("segment", "--models", dir.resolve("in-models").toString(), "--model", "broken",
                "--input", "t1c=" + t1c, "--input", "t2f=" + t2f, "--output", out.toString());
        assertRefused(byName, "no model named 'broken'", "folder broken is broken", "unknown normalization 'zscore-sometimes'");
        CliRun byFolder = CliRun.of("segment", "--model", m.toString(), "--input", "t1c=" + t1c, "--input", "t2f=" + t2f,
                "--output", out.toString());
        assertRefused(byFolder, "inputs[0].normalization", "zscore-sometimes");
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
