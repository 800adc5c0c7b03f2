package org.lesionlink.evaluation;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.lesionlink.evaluation.Analysis.ChallengingCase;
import org.lesionlink.evaluation.Analysis.Comparison;
import org.lesionlink.evaluation.Analysis.SummaryRow;
import org.lesionlink.evaluation.stats.Summary;

/**
 * Writes an {@link Analysis} as the files of {@code lesionlink evaluate}: {@code cases.csv},
 * {@code summary.csv}, {@code summary.md}, {@code tests.csv} and {@code challenging.csv}. Numbers in
 * CSV files are written in full precision (Java's shortest round-trip form; {@code NaN} for undefined
 * values); fields holding commas are quoted.
 */
public final class Reports {

    public static final String CASES_HEADER = "case,model,region,metric,value";
    public static final String SUMMARY_HEADER = "model,region,metric,n,mean,sd,ci95_low,ci95_high,median,q1,q3,iqr,shapiro_w,shapiro_p";
    public static final String TESTS_HEADER = "test,model_a,model_b,region,metric,alternative,n_a,n_b,statistic,p_value,method";
    public static final String CHALLENGING_HEADER = "rank,case,count,marked_by";

    private Reports() {
    }

    /** Writes all five files into {@code dir} (created if needed). */
    public static void writeAll(Analysis a, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeCases(a.rows(), dir.resolve("cases.csv"));
        List<SummaryRow> summaries = a.summaries();
        List<Comparison> comparisons = a.comparisons();
        List<ChallengingCase> challenging = a.challengingCases();
        writeSummary(summaries, dir.resolve("summary.csv"));
        writeTests(comparisons, dir.resolve("tests.csv"));
        writeChallenging(challenging, dir.resolve("challenging.csv"));
        writeMarkdown(a, summaries, comparisons, challenging, dir.resolve("summary.md"));
    }

    static void writeCases(List<Row> rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CASES_HEADER + "\n");
            for (Row r : rows) {
                w.write(csv(r.caseId(), r.model(), r.region(), r.metric().id(), num(r.value())) + "\n");
            }
        }
    }

    static void writeSummary(List<SummaryRow> rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(SUMMARY_HEADER + "\n");
            for (SummaryRow r : rows) {
                Summary s = r.summary();
                w.write(csv(r.model(), r.region(), r.metric().id(), String.valueOf(s.n()), num(s.mean()), num(s.sd()),
                        num(s.ciLow()), num(s.ciHigh()), num(s.median()), num(s.q1()), num(s.q3()), num(s.iqr()),
                        num(s.shapiroW()), num(s.shapiroP())) + "\n");
            }
        }
    }

    static void writeTests(List<Comparison> rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(TESTS_HEADER + "\n");
            for (Comparison c : rows) {
                w.write(csv(c.result().test(), c.modelA(), c.modelB(), c.region(), c.metric().id(), c.alternative().id(),
                        String.valueOf(c.nA()), String.valueOf(c.nB()), num(c.result().statistic()), num(c.result().p()),
                        c.result().method()) + "\n");
            }
        }
    }

    static void writeChallenging(List<ChallengingCase> rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CHALLENGING_HEADER + "\n");
            int rank = 0;
            int prev = -1;
            for (int i = 0; i < rows.size(); i++) {
                ChallengingCase c = rows.get(i);
                if (c.count() != prev) {
                    rank = i + 1;
                    prev = c.count();
                }
                w.write(csv(String.valueOf(rank), c.caseId(), String.valueOf(c.count()), String.join(";", c.markedBy())) + "\n");
            }
        }
    }

    static void writeMarkdown(Analysis a, List<SummaryRow> summaries, List<Comparison> comparisons,
                              List<ChallengingCase> challenging, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Evaluation summary\n\n");
        b.append(a.cases().size()).append(" cases, models ").append(String.join(", ", a.models()))
                .append(", regions ").append(String.join(", ", a.regions())).append(".\n\n");
        b.append("Per model, region and metric over the cases where the metric is defined (n): mean, sample SD, ")
                .append("95% CI of the mean (Student t), median and interquartile range (linear percentiles), ")
                .append("Shapiro-Wilk W and p (AS R94, as scipy). HD and HD95 are in mm (374 when exactly one side is empty), ")
                .append("volumes in ml.\n\n");
        for (String region : a.regions()) {
            b.append("## ").append(region).append("\n\n");
            b.append("| model | metric | n | mean | SD | 95% CI | median | IQR | Shapiro-Wilk W | p |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (SummaryRow r : summaries) {
                if (!r.region().equals(region)) {
                    continue;
                }
                Summary s = r.summary();
                b.append("| ").append(r.model()).append(" | ").append(r.metric().id()).append(" | ").append(s.n())
                        .append(" | ").append(f(s.mean())).append(" | ").append(f(s.sd()))
                        .append(" | ").append(f(s.ciLow())).append(" – ").append(f(s.ciHigh()))
                        .append(" | ").append(f(s.median())).append(" | ").append(f(s.q1())).append(" – ").append(f(s.q3()))
                        .append(" | ").append(f(s.shapiroW())).append(" | ").append(p(s.shapiroP())).append(" |\n");
            }
            b.append("\n");
        }
        b.append("## Model comparisons\n\n");
        b.append("Alternative: the first model is better than the second (`greater` where higher is better, `less` ")
                .append("where lower is better, `two-sided` for descriptive metrics). Mann-Whitney U compares the samples ")
                .append("as independent (as the seed paper); Wilcoxon signed-rank pairs them by case. ")
                .append("p < 0.05 in bold. All tests, with statistics, are in `tests.csv`.\n\n");
        b.append("| region | metric | A | B | Mann-Whitney p (method) | Wilcoxon p (method) |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i + 1 < comparisons.size(); i += 2) {
            Comparison m = comparisons.get(i);
            Comparison w = comparisons.get(i + 1);
            if (!m.metric().equals(Metric.DICE) && !m.metric().equals(Metric.HD) && !m.metric().equals(Metric.HD95)
                    && !m.metric().equals(Metric.SENSITIVITY) && !m.metric().equals(Metric.SPECIFICITY)
                    && !m.metric().equals(Metric.LESION_DICE) && !m.metric().equals(Metric.LESION_HD95)) {
                continue;
            }
            b.append("| ").append(m.region()).append(" | ").append(m.metric().id()).append(" | ").append(m.modelA())
                    .append(" | ").append(m.modelB()).append(" | ").append(bold(m.result().p())).append(" (").append(m.result().method())
                    .append(") | ").append(bold(w.result().p())).append(" (").append(w.result().method()).append(") |\n");
        }
        b.append("\n## Challenging cases\n\n");
        b.append("For each model, region and metric, the case with the lowest Dice, sensitivity or specificity, or the ")
                .append("highest HD, is marked (ties all marked); cases are ranked by their number of marks.\n\n");
        b.append("| case | marks |\n|---|---|\n");
        for (ChallengingCase c : challenging.subList(0, Math.min(10, challenging.size()))) {
            b.append("| ").append(c.caseId()).append(" | ").append(c.count()).append(" |\n");
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static String bold(double p) {
        return p < 0.05 ? "**" + p(p) + "**" : p(p);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String p(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v < 1e-4 ? "%.2e" : "%.4f", v);
    }

    static String num(double v) {
        return Double.toString(v);
    }

    static String csv(String... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String f = fields[i];
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0) {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                b.append(f);
            }
        }
        return b.toString();
    }
}
