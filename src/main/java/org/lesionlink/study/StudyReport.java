package org.lesionlink.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lesionlink.evaluation.Analysis;
import org.lesionlink.evaluation.Metric;
import org.lesionlink.evaluation.stats.MannWhitneyU;
import org.lesionlink.evaluation.stats.Summary;
import org.lesionlink.training.Pretrained;

/**
 * The comparison of a {@link Study}, laid out like seed 2's results: {@code study.md} (tables),
 * {@code study_summary.csv}, {@code study_tests.csv}, {@code study_challenging.csv} and {@code study.json}
 * (all of it, with the configuration and each model's {@code init.json}).
 *
 * <ul>
 *   <li><b>Summary</b>: per model and region the mean, SD and 95% CI (Student t) of Dice, HD95, HD,
 *       sensitivity and specificity over the test cases.
 *   <li><b>Tests</b>: per loss, region and metric, the one-sided Mann-Whitney U test that the fine-tuned
 *       model's scores are stochastically better than the scratch model's (greater for Dice, sensitivity,
 *       specificity; less for HD, HD95), as in the paper (independent samples, significance 0.05).
 *   <li><b>Challenging cases</b> (paper section 3.2): for each trained model, region and metric the case
 *       with the lowest Dice, sensitivity or specificity or the highest HD is marked; cases are ranked by
 *       marks and the top three are listed with the model that did best on each (highest Dice, lowest HD)
 *       per region. The pretrained baseline is not part of the tests or the marks.
 * </ul>
 */
public final class StudyReport {

    /** The metrics of the paper's tables (HD95 added: HD alone is dominated by single voxels). */
    public static final List<Metric> METRICS = List.of(Metric.DICE, Metric.HD95, Metric.HD, Metric.SENSITIVITY, Metric.SPECIFICITY);
    static final double ALPHA = 0.05;
    static final int TOP_CHALLENGING = 3;

    /** One summary cell. */
    public record SummaryRow(String model, String region, Metric metric, Summary summary) {}

    /** Fine-tuned vs scratch for one loss, region and metric. */
    public record TestRow(String loss, String region, Metric metric, String alternative, double meanFineTuned, double meanScratch,
            int n, double u, double p) {
        public boolean fineTunedBetter() {
            return p < ALPHA;
        }
    }

    /** A challenging case's best model in one region. */
    public record ChallengingRow(int rank, String caseId, int marks, String region, String bestDiceModel, double bestDice,
            String bestHdModel, double bestHd) {}

    private final StudyConfig config;
    private final Pretrained pretrained;
    private final List<Study.Arm> arms;
    private final Map<String, Map<String, Object>> inits;
    private final int trainCases;
    private final int testCases;
    private final List<SummaryRow> summary = new ArrayList<>();
    private final List<TestRow> tests = new ArrayList<>();
    private final List<ChallengingRow> challenging = new ArrayList<>();

    StudyReport(StudyConfig config, Pretrained pretrained, List<Study.Arm> arms, Analysis all, Analysis studied,
            Map<String, Map<String, Object>> inits, int trainCases, int testCases) {
        this.config = config;
        this.pretrained = pretrained;
        this.arms = List.copyOf(arms);
        this.inits = inits;
        this.trainCases = trainCases;
        this.testCases = testCases;
        for (Analysis.SummaryRow r : all.summaries()) {
            if (METRICS.contains(r.metric())) {
                summary.add(new SummaryRow(r.model(), r.region(), r.metric(), r.summary()));
            }
        }
        for (Analysis.Comparison c : studied.comparisons()) {
            if (!c.result().test().equals(MannWhitneyU.NAME) || !METRICS.contains(c.metric())) {
                continue;
            }
            for (String loss : config.losses()) {
                if (c.modelA().equals(new Study.Arm(loss, true).name()) && c.modelB().equals(new Study.Arm(loss, false).name())) {
                    tests.add(new TestRow(loss, c.region(), c.metric(), c.alternative().id(),
                            mean(studied, c.modelA(), c.region(), c.metric()), mean(studied, c.modelB(), c.region(), c.metric()),
                            Math.min(c.nA(), c.nB()), c.result().statistic(), c.result().p()));
                }
            }
        }
        List<Analysis.ChallengingCase> marked = studied.challengingCases();
        for (int i = 0; i < Math.min(TOP_CHALLENGING, marked.size()); i++) {
            Analysis.ChallengingCase cc = marked.get(i);
            for (String region : studied.regions()) {
                String bestDice = null;
                String bestHd = null;
                double dice = Double.NEGATIVE_INFINITY;
                double hd = Double.POSITIVE_INFINITY;
                for (String model : studied.models()) {
                    Double d = studied.values(model, region, Metric.DICE).get(cc.caseId());
                    Double h = studied.values(model, region, Metric.HD).get(cc.caseId());
                    if (d != null && Double.isFinite(d) && d > dice) {
                        dice = d;
                        bestDice = model;
                    }
                    if (h != null && Double.isFinite(h) && h < hd) {
                        hd = h;
                        bestHd = model;
                    }
                }
                challenging.add(new ChallengingRow(i + 1, cc.caseId(), cc.count(), region, bestDice, bestDice == null ? Double.NaN : dice,
                        bestHd, bestHd == null ? Double.NaN : hd));
            }
        }
    }

    private static double mean(Analysis a, String model, String region, Metric metric) {
        return a.values(model, region, metric).values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite)
                .average().orElse(Double.NaN);
    }

    public List<SummaryRow> summary() {
        return summary;
    }

    public List<TestRow> tests() {
        return tests;
    }

    public List<ChallengingRow> challenging() {
        return challenging;
    }

    /** Writes the five files into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("model,region,metric,n,mean,sd,ci95_low,ci95_high\n");
        for (SummaryRow r : summary) {
            Summary s = r.summary();
            csv.append(String.join(",", r.model(), r.region(), r.metric().id(), String.valueOf(s.n()), num(s.mean()), num(s.sd()),
                    num(s.ciLow()), num(s.ciHigh()))).append('\n');
        }
        Files.writeString(dir.resolve("study_summary.csv"), csv);
        csv = new StringBuilder("loss,region,metric,alternative,n,mean_finetuned,mean_scratch,u,p_value,finetuned_better_at_0.05\n");
        for (TestRow t : tests) {
            csv.append(String.join(",", t.loss(), t.region(), t.metric().id(), t.alternative(), String.valueOf(t.n()),
                    num(t.meanFineTuned()), num(t.meanScratch()), num(t.u()), num(t.p()), String.valueOf(t.fineTunedBetter()))).append('\n');
        }
        Files.writeString(dir.resolve("study_tests.csv"), csv);
        csv = new StringBuilder("rank,case,marks,region,best_dice_model,best_dice,best_hd_model,best_hd\n");
        for (ChallengingRow c : challenging) {
            csv.append(String.join(",", String.valueOf(c.rank()), c.caseId(), String.valueOf(c.marks()), c.region(),
                    String.valueOf(c.bestDiceModel()), num(c.bestDice()), String.valueOf(c.bestHdModel()), num(c.bestHd()))).append('\n');
        }
        Files.writeString(dir.resolve("study_challenging.csv"), csv);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("study.json").toFile(), json());
        Files.writeString(dir.resolve("study.md"), markdown());
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", settings());
        m.put("pretrained", Map.of("folder", pretrained.pkg().folder().toAbsolutePath().normalize().toString(),
                "model", pretrained.spec().name(), "fold", pretrained.spec().folds().get(pretrained.fold()), "sha256", pretrained.sha256()));
        m.put("models", inits);
        List<Map<String, Object>> s = new ArrayList<>();
        for (SummaryRow r : summary) {
            Summary x = r.summary();
            s.add(ordered("model", r.model(), "region", r.region(), "metric", r.metric().id(), "n", x.n(), "mean", fin(x.mean()),
                    "sd", fin(x.sd()), "ci95", List.of(fin(x.ciLow()), fin(x.ciHigh()))));
        }
        m.put("summary", s);
        List<Map<String, Object>> t = new ArrayList<>();
        for (TestRow r : tests) {
            t.add(ordered("loss", r.loss(), "region", r.region(), "metric", r.metric().id(), "test", MannWhitneyU.NAME,
                    "alternative", r.alternative(), "n", r.n(), "meanFineTuned", fin(r.meanFineTuned()),
                    "meanScratch", fin(r.meanScratch()), "u", fin(r.u()), "p", fin(r.p()), "fineTunedBetter", r.fineTunedBetter()));
        }
        m.put("tests", t);
        List<Map<String, Object>> c = new ArrayList<>();
        for (ChallengingRow r : challenging) {
            c.add(ordered("rank", r.rank(), "case", r.caseId(), "marks", r.marks(), "region", r.region(),
                    "bestDiceModel", r.bestDiceModel(), "bestDice", fin(r.bestDice()), "bestHdModel", r.bestHdModel(),
                    "bestHd", fin(r.bestHd())));
        }
        m.put("challenging", c);
        return m;
    }

    private Map<String, Object> settings() {
        return ordered("losses", config.losses(), "folds", config.folds(), "epochs", config.epochs(), "iterations",
                config.iterations(), "batch", config.batch(), "seed", config.seed(), "augment", config.augment(), "tta", config.tta(),
                "learningRate", config.learningRate() > 0 ? config.learningRate() : "architecture default", "trainCases", trainCases,
                "testCases", testCases, "data", config.data().toString(), "test", config.test().toString());
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Transfer-learning study\n\n");
        md.append(String.format(Locale.ROOT, "Pretrained model `%s` (%s, SHA-256 `%s`); %d training cases, %d test cases; "
                        + "losses %s; %d folds x %d epochs x %d iterations x batch %d; seed %d; augmentation %s; TTA %s.%n%n",
                pretrained.spec().name(), pretrained.spec().folds().get(pretrained.fold()), pretrained.sha256().substring(0, 12),
                trainCases, testCases, String.join(", ", config.losses()), config.folds(), config.epochs(), config.iterations(),
                config.batch(), config.seed(), config.augment() ? "on" : "off", config.tta() ? "on" : "off"));
        md.append("Test set segmented by each model's ").append(config.folds()).append("-fold ensemble. Mean [95% CI] over the test "
                + "cases; HD and HD95 in mm (cases where truth or prediction is empty have no HD and are left out).\n\n");
        List<String> models = summary.stream().map(SummaryRow::model).distinct().toList();
        List<String> regions = summary.stream().map(SummaryRow::region).distinct().toList();
        for (Metric metric : METRICS) {
            md.append("## ").append(title(metric)).append("\n\n| model |");
            regions.forEach(r -> md.append(' ').append(r).append(" |"));
            md.append("\n|---|");
            regions.forEach(r -> md.append("---|"));
            md.append('\n');
            for (String model : models) {
                md.append("| ").append(model).append(" |");
                for (String region : regions) {
                    Summary s = summary.stream().filter(r -> r.model().equals(model) && r.region().equals(region) && r.metric() == metric)
                            .findFirst().map(SummaryRow::summary).orElse(null);
                    md.append(' ').append(s == null ? "" : cell(metric, s)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        md.append("## Fine-tuned vs scratch: one-sided Mann-Whitney U\n\n"
                + "H1: the fine-tuned model's scores are better (greater Dice/SEN/SPE, lower HD/HD95); * p < 0.05.\n\n"
                + "| loss | region | metric | fine-tuned | scratch | U | p |\n|---|---|---|---|---|---|---|\n");
        for (TestRow t : tests) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s%s |%n", t.loss(), t.region(), t.metric().id(),
                    fmt(t.metric(), t.meanFineTuned()), fmt(t.metric(), t.meanScratch()), fmt(null, t.u()), fmt(null, t.p()),
                    t.fineTunedBetter() ? " *" : ""));
        }
        md.append("\n## Challenging cases\n\nFor each trained model, region and metric the worst case (lowest Dice, SEN, SPE; "
                + "highest HD) is marked; the most marked cases, with the best model per region:\n\n"
                + "| rank | case | marks | region | best Dice | best HD |\n|---|---|---|---|---|---|\n");
        for (ChallengingRow c : challenging) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %s | %s |%n", c.rank(), c.caseId(), c.marks(), c.region(),
                    c.bestDiceModel() == null ? "-" : c.bestDiceModel() + " (" + fmt(Metric.DICE, c.bestDice()) + ")",
                    c.bestHdModel() == null ? "-" : c.bestHdModel() + " (" + fmt(Metric.HD, c.bestHd()) + " mm)"));
        }
        md.append("\n## Models\n\n| model | start |\n|---|---|\n");
        inits.forEach((name, init) -> md.append("| ").append(name).append(" | ").append(init.get("mode"))
                .append("fine-tune".equals(init.get("mode")) ? " from " + init.get("model") + " " + init.get("fold") : "")
                .append(" |\n"));
        return md.toString();
    }

    private static String title(Metric m) {
        return switch (m) {
            case DICE -> "Dice";
            case HD95 -> "HD95 (mm)";
            case HD -> "Hausdorff distance (mm)";
            case SENSITIVITY -> "Sensitivity";
            case SPECIFICITY -> "Specificity";
            default -> m.id();
        };
    }

    private static String cell(Metric metric, Summary s) {
        if (s.n() == 0) {
            return "n/a";
        }
        return fmt(metric, s.mean()) + " [" + fmt(metric, s.ciLow()) + ", " + fmt(metric, s.ciHigh()) + "]"
                + " (n=" + s.n() + ")";
    }

    private static String fmt(Metric metric, double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (metric == Metric.HD || metric == Metric.HD95) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (metric == Metric.SPECIFICITY) {
            return String.format(Locale.ROOT, "%.5f", v);
        }
        return String.format(Locale.ROOT, metric == null && Math.abs(v) >= 10 ? "%.1f" : "%.3f", v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "NaN";
    }

    private static Object fin(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
