package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.testing.Peers;

/**
 * The contract for {@code lesionlink info --json}, checked against nibabel on every NIfTI file in
 * nibabel's test data and the Colin27 templates: dims, spacing, ijkToRas, datatype, channels and the voxel
 * checksum all equal what nibabel reads (Method 1 substituted where both xform codes are 0, see
 * nibabel_dump.py).
 */
class InfoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
    static final Path NIBABEL_DATA = Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data");
    static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");

    @TestFactory
    Stream<DynamicTest> infoMatchesNibabel() throws IOException {
        Peers.requirePythonModule("nibabel");
        Peers.requireFile(NIBABEL_DATA, "nibabel's test data, shipped with python3-nibabel");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(NIBABEL_DATA)) {
            s.filter(p -> p.toString().endsWith(".nii") || p.toString().endsWith(".nii.gz")).sorted().forEach(files::add);
        }
        for (String name : List.of("ch2.nii.gz", "ch2bet.nii.gz", "ch2better.nii.gz")) {
            files.add(Peers.requireFile(TEMPLATES.resolve(name), "the Colin27 MRI template from mricron-data"));
        }
        JsonNode dumps = JSON.readTree(Peers.runPythonScript("peers/nibabel_dump.py",
                files.stream().map(Path::toString).toList(), 300));
        Map<String, JsonNode> byPath = new java.util.HashMap<>();
        dumps.forEach(n -> byPath.put(n.get("path").asText(), n));
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            JsonNode nib = byPath.get(f.toString());
            CliRun run = CliRun.of("info", "--json", "--checksum", f.toString());
            assertEquals(0, run.exitCode(), run.err());
            JsonNode info = JSON.readTree(run.out());

            JsonNode shape = nib.get("shape");
            for (int a = 0; a < 3; a++) {
                assertEquals(a < shape.size() ? shape.get(a).asInt() : 1, info.get("dims").get(a).asInt(), "dims");
            }
            long channels = 1;
            for (int d = 3; d < shape.size(); d++) {
                channels *= shape.get(d).asLong();
            }
            assertEquals(channels, info.get("channels").asLong(), "channels");
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    double want = nib.get("affine").get(r).get(c).asDouble();
                    assertEquals(want, info.get("ijkToRas").get(r).get(c).asDouble(), 1e-5, "ijkToRas[" + r + "][" + c + "]");
                }
            }
            for (int a = 0; a < 3; a++) {
                double col = Math.sqrt(sq(nib, 0, a) + sq(nib, 1, a) + sq(nib, 2, a));
                assertEquals(col, info.get("spacing").get(a).asDouble(), 1e-5, "spacing");
            }
            String sha = nib.has("sha256_lesionlink") ? nib.get("sha256_lesionlink").asText() : nib.get("sha256").asText();
            assertEquals(sha, info.get("sha256").asText(), "voxel checksum");
            assertTrue(info.get("datatype").asText().matches("[a-z0-9]+"), info.toString());
        }));
    }

    @Test
    void plainTextOutputAndDatatype(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("v.nii.gz");
        org.lesionlink.image.Volume v = org.lesionlink.image.Volume.ofBytes(
                org.lesionlink.image.Geometry.axisAligned(new int[] {2, 3, 4}, new double[] {1, 2, 3}, new double[] {0, 0, 0}),
                new byte[24]);
        new org.lesionlink.io.nifti.NiftiWriter().write(v, f);
        CliRun run = CliRun.of("info", f.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("dims: [2, 3, 4]"), run.out());
        assertTrue(run.out().contains("datatype: uint8"), run.out());
        assertTrue(run.out().contains("spacing: [1.0, 2.0, 3.0]"), run.out());
    }

    @Test
    void missingAndBadFilesFailWithOneLine(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.of("info", dir.resolve("nope.nii").toString());
        assertEquals(Main.EXIT_FAILURE, missing.exitCode());
        assertTrue(missing.err().contains("nope.nii"), missing.err());

        Path bad = Files.write(dir.resolve("bad.nii"), new byte[400]);
        CliRun garbage = CliRun.of("info", "--json", bad.toString());
        assertEquals(Main.EXIT_FAILURE, garbage.exitCode());
        assertEquals("", garbage.out(), "nothing on stdout when it fails");
        assertEquals(1, garbage.err().strip().lines().count(), garbage.err());
        assertTrue(garbage.err().contains("bad.nii"), garbage.err());
    }

    private static double sq(JsonNode nib, int r, int c) {
        double v = nib.get("affine").get(r).get(c).asDouble();
        return v * v;
    }
}
