package org.lesionlink.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lesionlink.evaluation.Analysis;
import org.lesionlink.evaluation.CaseEvaluator;
import org.lesionlink.evaluation.Evaluation;
import org.lesionlink.evaluation.Plots;
import org.lesionlink.evaluation.Region;
import org.lesionlink.evaluation.Reports;
import org.lesionlink.evaluation.Row;
import org.lesionlink.evaluation.Task;
import org.lesionlink.evaluation.metric.LesionWise;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lesionlink evaluate}: scores the predictions of one or more models against the truth and
 * writes per-case metrics, summaries, model comparisons, challenging cases and plots.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate segmentations against the truth: Dice, HD, HD95, sensitivity, specificity, volumes and "
                + "BraTS-METS lesion-wise metrics per case and region; summaries with 95%% CI and Shapiro-Wilk; "
                + "one-sided Mann-Whitney U and Wilcoxon signed-rank tests between models; challenging cases; plots.",
                "Cases are CASE/seg.nii.gz (or seg.nii) or CASE.nii.gz (or .nii) in each folder; every truth case needs "
                        + "a prediction of the same name from every model, on the same grid."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--truth", required = true, paramLabel = "DIR", description = "Folder of ground-truth label maps.")
    Path truth;

    @Option(names = "--pred", required = true, paramLabel = "NAME=DIR",
            description = "A model's name and its folder of predicted label maps; repeat for more models.")
    Map<String, Path> preds = new LinkedHashMap<>();

    @Option(names = "--task", defaultValue = "brain", paramLabel = "brain|spine",
            description = "Label convention: brain (ET=3, TC=1,3, WT=1,2,3; default) or spine (lesion=1, vertebra=2, canal=3).")
    String task;

    @Option(names = "--region", paramLabel = "NAME=L[,L...]",
            description = "Evaluate this region instead of the task's (repeatable), e.g. --region TC=1,3.")
    List<String> regions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the reports (created).")
    Path out;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Cases evaluated in parallel (default 2).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Task t = Task.valueOf(Cli.enumName("--task", task, "brain", "spine"));
        List<Region> chosen = regions == null || regions.isEmpty() ? t.regions() : regions.stream().map(Region::parse).toList();
        CaseEvaluator evaluator = new CaseEvaluator(chosen, LesionWise.Params.BRATS_METS_2023);
        PrintWriter err = spec.commandLine().getErr();
        int total = org.lesionlink.evaluation.CaseFiles.discover(truth).size();
        ProgressBar bar = new ProgressBar(err, "evaluate", total);
        List<Row> rows;
        try {
            rows = new Evaluation(evaluator, threads).run(truth, preds, bar::update);
        } finally {
            bar.finish();
        }
        Analysis analysis = new Analysis(rows);
        Reports.writeAll(analysis, out);
        List<Path> plots = Plots.writeAll(analysis, out.resolve("plots"), Plots.DEFAULT_METRICS);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%d cases x %d models x %d regions evaluated; wrote cases.csv (%d rows), summary.csv, summary.md, tests.csv, "
                + "challenging.csv and %d plots to %s%n", analysis.cases().size(), analysis.models().size(),
                analysis.regions().size(), rows.size(), plots.size(), out);
        o.flush();
        return 0;
    }

    /** A one-line progress bar redrawn with carriage returns. */
    static final class ProgressBar {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final String label;
        private final int total;
        private int shown = -1;

        ProgressBar(PrintWriter err, String label, int total) {
            this.err = err;
            this.label = label;
            this.total = total;
            update(0);
        }

        synchronized void update(int done) {
            if (done <= shown) {
                return;
            }
            shown = done;
            int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
            err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " cases");
            err.flush();
        }

        synchronized void finish() {
            err.println();
            err.flush();
        }
    }
}
