package org.lesionlink.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.cli.Main;
import org.lesionlink.training.Pretrained;
import org.lesionlink.training.TrainingFixtures;

/**
 * The whole transfer-learning workflow in miniature, through the command line: pretrain a tiny U-Net
 * ({@code train --scratch}), then {@code study} with both losses, 2 folds, one short epoch, on 4 training
 * and 3 test cases of 24^3 voxels. Proves the plumbing, not that fine-tuning helps.
 */
class MiniStudyTest {

    static int run(String... args) {
        return Main.run(args);
    }

    @Test
    void miniatureStudyRunsEndToEndAndResumes(@TempDir Path dir) throws Exception {
        Path pretrainData = TrainingFixtures.brainCasesFrom(dir.resolve("public"), 0, 3, "t1c", "flair");
        Path local = TrainingFixtures.brainCasesFrom(dir.resolve("local"), 10, 4, "t1c", "flair");
        Path test = TrainingFixtures.brainCasesFrom(dir.resolve("test"), 20, 3, "t1c", "flair");
        Path pretrained = dir.resolve("pretrained");
        assertEquals(0, run("train", "--scratch", "--data", pretrainData.toString(), "--out", pretrained.toString(), "--task", "brain",
                "--arch", "unet", "--loss", "tversky-bce", "--channels", "t1c,flair", "--folds", "3", "--fold", "0", "--epochs", "1",
                "--iterations", "3", "--batch", "1", "--patch", "16", "--spacing", "1.5", "--filters", "4", "--seed", "1",
                "--device", "cpu", "--threads", "1", "--no-augment", "--validate-every", "0"));

        Path out = dir.resolve("study");
        String[] study = {"study", "--pretrained", pretrained.toString(), "--data", local.toString(), "--test", test.toString(),
            "--out", out.toString(), "--losses", "tversky-bce,dice-ce", "--folds", "2", "--epochs", "1", "--iterations", "2",
            "--batch", "1", "--seed", "5", "--device", "cpu", "--threads", "1", "--no-augment", "--no-tta"};
        assertEquals(0, run(study));

        // every file parses, with one row per model x region x metric and per loss x region x metric
        List<String> summary = Files.readAllLines(out.resolve("study_summary.csv"));
        assertEquals("model,region,metric,n,mean,sd,ci95_low,ci95_high", summary.get(0));
        assertEquals(5 * 3 * StudyReport.METRICS.size(), summary.size() - 1); // 4 arms + pretrained baseline, ET/TC/WT
        Set<String> models = new TreeSet<>();
        summary.stream().skip(1).forEach(l -> models.add(l.split(",")[0]));
        assertEquals(Set.of("tversky-bce-finetuned", "tversky-bce-scratch", "dice-ce-finetuned", "dice-ce-scratch", "pretrained"),
                models);
        for (String l : summary.subList(1, summary.size())) {
            String[] f = l.split(",");
            assertEquals("3", f[3], l); // all three test cases counted for Dice-like metrics at least
            if (f[2].equals("dice")) {
                double mean = Double.parseDouble(f[4]);
                assertTrue(mean >= 0 && mean <= 1, l);
                assertTrue(Double.parseDouble(f[6]) <= mean && mean <= Double.parseDouble(f[7]), "CI around the mean: " + l);
            }
        }
        List<String> tests = Files.readAllLines(out.resolve("study_tests.csv"));
        assertEquals(2 * 3 * StudyReport.METRICS.size(), tests.size() - 1);
        long finite = tests.stream().skip(1).map(l -> l.split(",")[8]).filter(p -> !p.equals("NaN")).peek(p -> {
            double v = Double.parseDouble(p);
            assertTrue(v >= 0 && v <= 1, "p = " + v);
        }).count();
        assertTrue(finite >= 6, "Mann-Whitney p-values computed: " + finite); // at least Dice and sensitivity of each loss
        assertTrue(tests.stream().skip(1).allMatch(l -> l.split(",")[3].equals(l.split(",")[2].startsWith("hd") ? "less" : "greater")));
        List<String> challenging = Files.readAllLines(out.resolve("study_challenging.csv"));
        assertTrue(challenging.size() > 1, "challenging cases listed");
        assertTrue(challenging.get(1).startsWith("1,case02"), challenging.get(1));

        JsonNode json = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        String sha = Pretrained.sha256(pretrained.resolve("fold0.params"));
        assertEquals(sha, json.get("pretrained").get("sha256").asText());
        // fine-tuned models started from the pretrained weights, scratch ones did not
        for (String loss : List.of("tversky-bce", "dice-ce")) {
            JsonNode ft = new ObjectMapper().readTree(out.resolve("models/" + loss + "-finetuned/init.json").toFile());
            assertEquals("fine-tune", ft.get("mode").asText());
            assertEquals(sha, ft.get("sha256").asText());
            JsonNode sc = new ObjectMapper().readTree(out.resolve("models/" + loss + "-scratch/init.json").toFile());
            assertEquals("scratch", sc.get("mode").asText());
            assertEquals(List.of("fold0.params", "fold1.params"),
                    org.lesionlink.inference.ModelPackage.open(out.resolve("models/" + loss + "-scratch")).spec().folds());
        }
        assertEquals(30, json.get("tests").size());
        String md = Files.readString(out.resolve("study.md"));
        assertTrue(md.contains("## Fine-tuned vs scratch: one-sided Mann-Whitney U") && md.contains("| tversky-bce | ET | dice |"), md);
        assertTrue(Files.isRegularFile(out.resolve("evaluation/summary.md")));

        // re-running resumes: nothing is trained or segmented again
        Path prediction = out.resolve("predictions/dice-ce-scratch/case020.nii.gz");
        FileTime before = Files.getLastModifiedTime(prediction);
        FileTime paramsBefore = Files.getLastModifiedTime(out.resolve("models/dice-ce-scratch/fold1/checkpoint.bin"));
        assertEquals(0, run(study));
        assertEquals(before, Files.getLastModifiedTime(prediction));
        assertEquals(paramsBefore, Files.getLastModifiedTime(out.resolve("models/dice-ce-scratch/fold1/checkpoint.bin")));
        assertEquals(summary, Files.readAllLines(out.resolve("study_summary.csv")));
    }
}
