package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.evaluation.CaseEvaluator;
import org.lesionlink.evaluation.Metric;
import org.lesionlink.evaluation.Row;
import org.lesionlink.evaluation.Task;
import org.lesionlink.evaluation.stats.Alternative;
import org.lesionlink.evaluation.stats.MannWhitneyU;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;

class EvaluateCommandTest {

    private static final int NX = 32;
    private static final int NY = 28;
    private static final int NZ = 14;
    private static final Geometry GRID = Geometry.axisAligned(new int[] {NX, NY, NZ}, new double[] {0.9, 1.1, 2.5}, new double[] {-10, 5, 3});
    private static final int CASES = 6;

    @TempDir
    Path dir;

    private final List<byte[]> truths = new ArrayList<>();
    private final List<byte[]> predsA = new ArrayList<>();
    private final List<byte[]> predsB = new ArrayList<>();

    @BeforeEach
    void writeCases() throws Exception {
        Random r = new Random(5);
        NiftiWriter w = new NiftiWriter();
        for (int c = 0; c < CASES; c++) {
            String id = String.format("case%03d", c);
            byte[] t = blobs(r, 3);
            byte[] a = perturb(r, t, 0.05);
            byte[] b = perturb(r, t, 0.25);
            truths.add(t);
            predsA.add(a);
            predsB.add(b);
            // truth as CASE/seg.nii.gz, model A as CASE.nii.gz, model B mixed
            Files.createDirectories(dir.resolve("truth").resolve(id));
            w.write(Volume.ofBytes(GRID, t), dir.resolve("truth").resolve(id).resolve("seg.nii.gz"));
            Files.createDirectories(dir.resolve("a"));
            w.write(Volume.ofBytes(GRID, a), dir.resolve("a").resolve(id + ".nii.gz"));
            Path pb = c % 2 == 0 ? dir.resolve("b").resolve(id).resolve("seg.nii.gz") : dir.resolve("b").resolve(id + ".nii");
            Files.createDirectories(pb.getParent());
            w.write(Volume.ofBytes(GRID, b), pb);
        }
    }

    private static byte[] blobs(Random r, int n) {
        byte[] v = new byte[NX * NY * NZ];
        for (int l = 0; l < n; l++) {
            int ci = 4 + r.nextInt(NX - 8);
            int cj = 4 + r.nextInt(NY - 8);
            int ck = 2 + r.nextInt(NZ - 4);
            int rad = 2 + r.nextInt(3);
            for (int k = 0; k < NZ; k++) {
                for (int j = 0; j < NY; j++) {
                    for (int i = 0; i < NX; i++) {
                        double d2 = (i - ci) * (i - ci) + (j - cj) * (j - cj) + 4.0 * (k - ck) * (k - ck);
                        if (d2 <= rad * rad) {
                            v[i + NX * (j + NY * k)] = (byte) (d2 <= rad * rad / 4.0 ? 3 : d2 <= rad * rad / 2.0 ? 1 : 2);
                        }
                    }
                }
            }
        }
        return v;
    }

    private static byte[] perturb(Random r, byte[] t, double p) {
        byte[] v = t.clone();
        for (int i = 0; i < v.length; i++) {
            if (r.nextDouble() < p && (v[i] != 0 || (i > 0 && v[i - 1] != 0))) {
                v[i] = (byte) r.nextInt(4);
            }
        }
        return v;
    }

    private CliRun evaluate(String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--truth", dir.resolve("truth").toString(),
                "--pred", "A=" + dir.resolve("a"), "--pred", "B=" + dir.resolve("b"), "--out", dir.resolve("out").toString()));
        args.addAll(Arrays.asList(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void writesEveryReportWithTheDocumentedShape() throws Exception {
        CliRun run = evaluate();
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("6/6 cases"), "progress bar on stderr: " + run.err());
        Path out = dir.resolve("out");

        List<String> cases = Files.readAllLines(out.resolve("cases.csv"));
        assertEquals("case,model,region,metric,value", cases.get(0));
        int metrics = Metric.values().length;
        assertEquals(1 + CASES * 2 * 3 * metrics, cases.size());
        assertTrue(cases.contains("case000,A,ET,dice," + value(0, "A", "ET", Metric.DICE)), "dice row of case000/A/ET");

        // every value equals a direct evaluation of the same volumes (on the grid as stored: float32 spacing)
        Geometry stored = new NiftiReader().readHeader(dir.resolve("a").resolve("case000.nii.gz")).geometry();
        for (int c = 0; c < CASES; c++) {
            List<Row> direct = new ArrayList<>(CaseEvaluator.of(Task.BRAIN).evaluate(String.format("case%03d", c), "A",
                    Volume.ofBytes(stored, truths.get(c)), Volume.ofBytes(stored, predsA.get(c))));
            direct.addAll(CaseEvaluator.of(Task.BRAIN).evaluate(String.format("case%03d", c), "B",
                    Volume.ofBytes(stored, truths.get(c)), Volume.ofBytes(stored, predsB.get(c))));
            for (Row row : direct) {
                assertTrue(cases.contains(row.caseId() + "," + row.model() + "," + row.region() + "," + row.metric().id() + ","
                        + Double.toString(row.value())), "row " + row);
            }
        }

        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("model,region,metric,n,mean,sd,ci95_low,ci95_high,median,q1,q3,iqr,shapiro_w,shapiro_p", summary.get(0));
        assertEquals(1 + 2 * 3 * metrics, summary.size());

        List<String> tests = Files.readAllLines(out.resolve("tests.csv"));
        assertEquals("test,model_a,model_b,region,metric,alternative,n_a,n_b,statistic,p_value,method", tests.get(0));
        assertEquals(1 + 3 * (metrics - 2) * 2 * 2, tests.size());
        // the Mann-Whitney p of A vs B on ET Dice is that of the cases.csv values
        double[] a = new double[CASES];
        double[] b = new double[CASES];
        for (int c = 0; c < CASES; c++) {
            a[c] = Double.parseDouble(value(c, "A", "ET", Metric.DICE));
            b[c] = Double.parseDouble(value(c, "B", "ET", Metric.DICE));
        }
        var mwu = MannWhitneyU.test(a, b, Alternative.GREATER);
        String expectedPrefix = "mann-whitney-u,A,B,ET,dice,greater,6,6," + mwu.statistic() + "," + mwu.p() + ",";
        assertTrue(tests.stream().anyMatch(l -> l.startsWith(expectedPrefix)), "MWU row " + expectedPrefix);
        assertTrue(tests.stream().anyMatch(l -> l.startsWith("wilcoxon-signed-rank,B,A,WT,hd95,less,6,6,")));

        List<String> challenging = Files.readAllLines(out.resolve("challenging.csv"));
        assertEquals("rank,case,count,marked_by", challenging.get(0));
        assertTrue(challenging.size() > 1);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| A | dice | 6 |"));

        for (String chart : List.of("bar_dice.png", "box_dice.png", "bar_hd.png", "box_hd.png")) {
            BufferedImage img = ImageIO.read(out.resolve("plots").resolve(chart).toFile());
            assertTrue(img.getWidth() > 600 && img.getHeight() > 300, chart);
        }
    }

    private String value(int c, String model, String region, Metric metric) throws Exception {
        String prefix = String.format("case%03d", c) + "," + model + "," + region + "," + metric.id() + ",";
        return Files.readAllLines(dir.resolve("out").resolve("cases.csv")).stream().filter(l -> l.startsWith(prefix))
                .findFirst().orElseThrow().substring(prefix.length());
    }

    @Test
    void customRegionsReplaceTheTaskRegions() throws Exception {
        CliRun run = evaluate("--region", "necrosis=1", "--region", "tumour=1,2,3", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        List<String> cases = Files.readAllLines(dir.resolve("out").resolve("cases.csv"));
        assertTrue(cases.stream().skip(1).allMatch(l -> l.split(",")[2].equals("necrosis") || l.split(",")[2].equals("tumour")));
    }

    @Test
    void aMissingPredictionIsNamed() throws Exception {
        Files.delete(dir.resolve("a").resolve("case003.nii.gz"));
        CliRun run = evaluate();
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("model A, case case003"), run.err());
    }

    @Test
    void aPredictionOnAnotherGridIsNamed() throws Exception {
        Geometry other = Geometry.axisAligned(new int[] {NX, NY, NZ}, new double[] {0.9, 1.1, 3.0}, new double[] {-10, 5, 3});
        Path bad = dir.resolve("b").resolve("case002").resolve("seg.nii.gz");
        new NiftiWriter().write(Volume.ofBytes(other, predsB.get(2)), bad);
        CliRun run = evaluate();
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("geometry mismatch") && run.err().contains(bad.toString()), run.err());
    }

    @Test
    void anEmptyTruthFolderIsAnError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("none"));
        CliRun run = CliRun.of("evaluate", "--truth", empty.toString(), "--pred", "A=" + dir.resolve("a"), "--out", dir.resolve("o").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no cases"), run.err());
    }
}
