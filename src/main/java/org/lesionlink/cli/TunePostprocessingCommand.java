package org.lesionlink.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lesionlink.evaluation.Task;
import org.lesionlink.evaluation.metric.LesionWise;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.CaseInputs;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.Segmentation;
import org.lesionlink.inference.Segmenter;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlModel;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.training.PostprocessingSearch;
import org.lesionlink.training.data.TrainingCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lesionlink tune-postprocessing}: chooses a model's postprocessing (minimum component volume,
 * per-region probability thresholds) on validation cases with {@link PostprocessingSearch} and, with
 * {@code --write}, stores it in the package's {@code model.json}, where {@code segment} and {@code serve}
 * apply it.
 */
@Command(name = "tune-postprocessing", mixinStandardHelpOptions = true,
        description = {"Choose a model's postprocessing (minimum component volume, per-region probability thresholds) "
                + "on validation cases by lesion-wise Dice, and optionally write it into model.json.",
                "Cases: DIR/caseNNN/<channel>.nii.gz and DIR/caseNNN/seg.nii.gz. Never use the cases you test on."})
final class TunePostprocessingCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model package folder.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of validation case folders.")
    Path data;

    @Option(names = "--task", defaultValue = "brain", paramLabel = "brain|spine",
            description = "Evaluated regions: brain ET/TC/WT, spine lesion/vertebra/canal (default brain).")
    String task;

    @Option(names = "--write", description = "Store the chosen postprocessing in the package's model.json.")
    boolean write;

    @Option(names = "--no-tta", description = "Run the network without mirroring (as `segment --no-tta`).")
    boolean noTta;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where the network runs.")
    String device;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "Sliding-window workers (default 1).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelPackage pkg = ModelPackage.open(model);
        ModelSpec ms = pkg.spec();
        Task t = Task.valueOf(Cli.enumName("--task", task, "brain", "spine").toUpperCase(Locale.ROOT));
        List<Path> folders = TrainingCase.list(data);
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("--data " + data + " has no case folder with a seg file");
        }
        // the network once per case, with no postprocessing; the search makes the labels itself
        ModelSpec plain = ms.withPostprocessing(ModelSpec.PostProcessing.NONE);
        NiftiReader reader = new NiftiReader();
        List<PostprocessingSearch.Case> cases = new ArrayList<>();
        try (DjlModel dm = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.parse(device), 1, threads, false))) {
            Segmenter segmenter = new Segmenter(plain, dm.folds(), new Segmenter.Options(!noTta, threads, true));
            for (Path folder : folders) {
                List<Volume> inputs = new ArrayList<>();
                for (ModelSpec.Input in : ms.inputs()) {
                    Volume v = reader.readVolume(folder.resolve(in.name() + ".nii.gz"));
                    CaseInputs.checkValues(v, in.name());
                    inputs.add(v);
                }
                Volume truth = reader.readVolume(folder.resolve(TrainingCase.SEG + ".nii.gz"));
                long t0 = System.nanoTime();
                Segmentation s = segmenter.segment(inputs);
                Volume logits = s.logits().orElseThrow(() -> new IllegalStateException(folder + ": empty input, no logits"));
                float[][] channels = new float[logits.channels()][];
                for (int c = 0; c < channels.length; c++) {
                    channels[c] = logits.toFloats(c);
                }
                cases.add(new PostprocessingSearch.Case(folder.getFileName().toString(), channels, logits.geometry(),
                        s.labelMap().geometry(), truth));
                out.printf(Locale.ROOT, "%s: segmented in %.1f s%n", folder.getFileName(), (System.nanoTime() - t0) / 1e9);
                out.flush();
            }
        }
        PostprocessingSearch search = new PostprocessingSearch(ms, t.regions(), LesionWise.Params.BRATS_METS_2023);
        PostprocessingSearch.Result r = search.run(cases, trial -> {
            out.println("  " + trial.describe(t.regions()));
            out.flush();
        });
        out.println("baseline: " + r.baseline().describe(t.regions()));
        out.println("chosen:   " + r.chosen().describe(t.regions()));
        if (write) {
            ModelSpec updated = ms.withPostprocessing(r.chosen().post());
            Cli.writeAtomically(model.resolve(ModelSpec.FILE_NAME), updated.toJson().getBytes(StandardCharsets.UTF_8));
            out.println("wrote " + model.resolve(ModelSpec.FILE_NAME));
        }
        out.flush();
        return 0;
    }
}
