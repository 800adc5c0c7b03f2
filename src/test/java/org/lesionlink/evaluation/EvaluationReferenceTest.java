package org.lesionlink.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/**
 * Every metric of {@link CaseEvaluator} against the independent numpy/scipy implementation in
 * {@code src/test/resources/peers/evaluation_reference.py} (scipy.ndimage.distance_transform_edt with
 * sampling = spacing, scipy.ndimage.label with 26-connectivity, the BraTS-METS 2023 lesion-wise
 * algorithm) on random label maps with anisotropic spacing: Dice within 1e-6, distances within 1e-3 mm,
 * counts exactly.
 */
class EvaluationReferenceTest {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void needScipy() {
        Peers.requirePythonModule("scipy.ndimage");
    }

    /** A random brain-like label map: lesions of nested labels 2 > 1 > 3, plus stray voxels. */
    static byte[] randomTruth(Random r, int nx, int ny, int nz, double[] s) {
        byte[] v = new byte[nx * ny * nz];
        int lesions = 2 + r.nextInt(6);
        for (int l = 0; l < lesions; l++) {
            double[] c = {r.nextDouble() * nx * s[0], r.nextDouble() * ny * s[1], r.nextDouble() * nz * s[2]};
            double rad = 1 + r.nextDouble() * 7;
            paint(v, nx, ny, nz, s, c, rad, 2);
            if (r.nextBoolean()) {
                paint(v, nx, ny, nz, s, c, rad * 0.7, 1);
            }
            paint(v, nx, ny, nz, s, new double[] {c[0] + r.nextGaussian(), c[1] + r.nextGaussian(), c[2]}, rad * 0.45, 3);
        }
        for (int i = 0; i < 6; i++) {
            v[r.nextInt(v.length)] = (byte) (1 + r.nextInt(3));
        }
        return v;
    }

    /** A plausible prediction: the truth moved and eroded or grown in places, some lesions lost, some invented. */
    static byte[] randomPrediction(Random r, byte[] truth, int nx, int ny, int nz, double[] s) {
        byte[] v = new byte[truth.length];
        int dx = r.nextInt(3) - 1;
        int dz = r.nextInt(2);
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int si = i - dx;
                    int sk = k - dz;
                    if (si >= 0 && si < nx && sk >= 0 && sk < nz) {
                        v[i + nx * (j + ny * k)] = truth[si + nx * (j + ny * sk)];
                    }
                }
            }
        }
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && r.nextDouble() < 0.08) {
                v[i] = (byte) (r.nextDouble() < 0.5 ? 0 : 1 + r.nextInt(3));
            }
        }
        int extra = r.nextInt(3);
        for (int l = 0; l < extra; l++) {
            paint(v, nx, ny, nz, s, new double[] {r.nextDouble() * nx * s[0], r.nextDouble() * ny * s[1], r.nextDouble() * nz * s[2]},
                    0.5 + r.nextDouble() * 4, 1 + r.nextInt(3));
        }
        if (r.nextInt(4) == 0) {
            java.util.Arrays.fill(v, (byte) 0); // a model that found nothing
        }
        return v;
    }

    private static void paint(byte[] v, int nx, int ny, int nz, double[] s, double[] c, double rad, int label) {
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double x = i * s[0] - c[0];
                    double y = j * s[1] - c[1];
                    double z = k * s[2] - c[2];
                    if (x * x + y * y + z * z <= rad * rad) {
                        v[i + nx * (j + ny * k)] = (byte) label;
                    }
                }
            }
        }
    }

    @Test
    void everyMetricMatchesTheScipyReference() throws Exception {
        Random r = new Random(2024);
        int nx = 48;
        int ny = 40;
        int nz = 22;
        double[][] spacings = {{0.9, 1.1, 2.5}, {1, 1, 1}, {0.5, 0.7, 3.3}};
        ArrayNode jobs = JSON.createArrayNode();
        List<List<Row>> mine = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        for (int c = 0; c < 14; c++) {
            double[] s = spacings[c % spacings.length];
            Task task = c % 5 == 4 ? Task.SPINE : Task.BRAIN;
            byte[] t = randomTruth(r, nx, ny, nz, s);
            byte[] p = c == 0 ? t.clone() : randomPrediction(r, t, nx, ny, nz, s);
            if (c == 1) {
                java.util.Arrays.fill(t, (byte) 0); // empty truth
            }
            Path tf = dir.resolve("t" + c + ".raw");
            Path pf = dir.resolve("p" + c + ".raw");
            Files.write(tf, t);
            Files.write(pf, p);
            ObjectNode job = jobs.addObject();
            job.putArray("dims").add(nx).add(ny).add(nz);
            job.putArray("spacing").add(s[0]).add(s[1]).add(s[2]);
            job.put("truth", tf.toString()).put("pred", pf.toString());
            ObjectNode regions = job.putObject("regions");
            for (Region reg : task.regions()) {
                ArrayNode labels = regions.putArray(reg.name());
                reg.labels().forEach(labels::add);
            }
            Geometry g = Geometry.axisAligned(new int[] {nx, ny, nz}, s, new double[3]);
            mine.add(CaseEvaluator.of(task).evaluate("case" + c, "m", Volume.ofBytes(g, t), Volume.ofBytes(g, p)));
            tasks.add(task);
        }
        Path jobsFile = dir.resolve("jobs.json");
        JSON.writeValue(jobsFile.toFile(), jobs);
        JsonNode answers = JSON.readTree(Peers.runPythonScript("peers/evaluation_reference.py", List.of(jobsFile.toString()), 600));

        int compared = 0;
        double worstDice = 0;
        double worstDistance = 0;
        for (int c = 0; c < mine.size(); c++) {
            for (Row row : mine.get(c)) {
                JsonNode expectedNode = answers.get(c).get(row.region()).get(row.metric().id());
                assertTrue(expectedNode != null, "reference lacks " + row.metric().id());
                double expected = expectedNode.asDouble();
                String what = "case " + c + " (" + tasks.get(c) + ") " + row.region() + " " + row.metric().id();
                if (Double.isNaN(expected)) {
                    assertTrue(Double.isNaN(row.value()), what + ": expected NaN, got " + row.value());
                    continue;
                }
                double tol = switch (row.metric()) {
                    case HD, HD95, LESION_HD95 -> 1e-3;
                    case DICE, LESION_DICE -> 1e-6;
                    default -> 1e-9;
                };
                assertEquals(expected, row.value(), tol, what);
                double diff = Math.abs(expected - row.value());
                switch (row.metric()) {
                    case HD, HD95, LESION_HD95 -> worstDistance = Math.max(worstDistance, diff);
                    case DICE, LESION_DICE -> worstDice = Math.max(worstDice, diff);
                    default -> { }
                }
                compared++;
            }
        }
        System.out.printf("compared %d values; worst Dice difference %.3g, worst distance difference %.3g mm%n",
                compared, worstDice, worstDistance);
        assertTrue(compared > 500);
    }
}
