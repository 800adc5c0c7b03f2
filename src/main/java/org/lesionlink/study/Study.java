package org.lesionlink.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.lesionlink.evaluation.Analysis;
import org.lesionlink.evaluation.CaseEvaluator;
import org.lesionlink.evaluation.CaseFiles;
import org.lesionlink.evaluation.Evaluation;
import org.lesionlink.evaluation.Reports;
import org.lesionlink.evaluation.Row;
import org.lesionlink.evaluation.Task;
import org.lesionlink.evaluation.metric.LesionWise;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.LoadedModel;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;
import org.lesionlink.training.Pretrained;
import org.lesionlink.training.Trainer;
import org.lesionlink.training.TrainingConfig;
import org.lesionlink.training.data.PatchSampler;
import org.lesionlink.training.data.TrainingCase;

/**
 * Runs a {@link StudyConfig}: for each loss a fine-tuned and a scratch model ({@code out/models/<arm>}),
 * test-set predictions of each fold ensemble ({@code out/predictions/<arm>/<case>.nii.gz}), the full
 * {@code evaluate} output ({@code out/evaluation/}) and the comparison ({@link StudyReport}).
 *
 * <p><b>Fairness.</b> Both arms of a loss share everything but the initial weights: network (the
 * pretrained package's architecture; the scratch arm's rebuilt description must equal it), inputs,
 * spacing, patch, epochs, iterations, batch, learning rate, seed (hence splits, patches, augmentation).
 *
 * <p><b>Resumable.</b> Training always resumes from the folds' checkpoints, so a study that was stopped
 * continues where it was; predictions are reused when the model's weights have not changed since (their
 * SHA-256 is kept next to them).
 */
public final class Study {

    /** The pretrained model evaluated as it is. */
    public static final String PRETRAINED = "pretrained";

    /** One trained model of the study. */
    public record Arm(String loss, boolean fineTuned) {
        public String name() {
            return loss + "-" + (fineTuned ? "finetuned" : "scratch");
        }
    }

    private final StudyConfig config;
    private final PrintStream log;

    public Study(StudyConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    public List<Arm> arms() {
        List<Arm> arms = new ArrayList<>();
        for (String l : config.losses()) {
            arms.add(new Arm(l, true));
            arms.add(new Arm(l, false));
        }
        return arms;
    }

    public Path modelDir(Arm arm) {
        return config.out().resolve("models").resolve(arm.name());
    }

    /** Trains, segments, evaluates and writes the report; returns the report's content. */
    public StudyReport run() throws IOException {
        Pretrained pre = Pretrained.open(config.pretrained(), config.pretrainedFold());
        if (pre.torchScript()) {
            throw new IllegalArgumentException("--pretrained " + config.pretrained() + ": a study needs a LesionLink (djl) model, "
                    + "whose network the scratch arm can rebuild at random; fine-tune a TorchScript model with `finetune` instead");
        }
        List<Path> train = TrainingCase.list(config.data());
        Map<String, Path> test = CaseFiles.discover(config.test());
        if (train.size() < config.folds()) {
            throw new IllegalArgumentException("--data " + config.data() + " has " + train.size() + " case(s), fewer than --folds "
                    + config.folds());
        }
        if (test.isEmpty()) {
            throw new IllegalArgumentException("--test " + config.test() + " has no cases (CASE/seg.nii.gz)");
        }
        Files.createDirectories(config.out());
        Map<String, Path> predictions = new LinkedHashMap<>();
        for (Arm arm : arms()) {
            TrainingConfig tc = trainingConfig(arm, pre);
            log.printf("study: training %s (%d folds x %d epochs x %d iterations)%n", arm.name(), config.folds(), config.epochs(),
                    config.iterations());
            new Trainer(tc, null, log).run();
        }
        for (Arm arm : arms()) {
            predictions.put(arm.name(), segmentAll(ModelPackage.open(modelDir(arm)), arm.name()));
        }
        if (config.pretrainedBaseline()) {
            predictions.put(PRETRAINED, segmentAll(pre.pkg(), PRETRAINED));
        }
        Task task = pre.spec().task() == ModelSpec.Task.BRAIN_METASTASES ? Task.BRAIN : Task.SPINE;
        log.printf("study: evaluating %d model(s) on %d test case(s)%n", predictions.size(), test.size());
        List<Row> rows = new Evaluation(new CaseEvaluator(task.regions(), LesionWise.Params.BRATS_METS_2023), 2)
                .run(config.test(), predictions, n -> { });
        Analysis all = new Analysis(rows);
        Reports.writeAll(all, config.out().resolve("evaluation"));
        List<String> armNames = arms().stream().map(Arm::name).toList();
        Analysis studied = new Analysis(rows.stream().filter(r -> armNames.contains(r.model())).toList());
        Map<String, Map<String, Object>> inits = new LinkedHashMap<>();
        for (Arm arm : arms()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> init = new ObjectMapper().readValue(modelDir(arm).resolve("init.json").toFile(), Map.class);
            inits.put(arm.name(), init);
        }
        StudyReport report = new StudyReport(config, pre, arms(), all, studied, inits, train.size(), test.size());
        report.write(config.out());
        log.printf("study: wrote %s%n", config.out().resolve("study.md"));
        return report;
    }

    /** The training run of one arm; the scratch arm's network must be the pretrained one's. */
    TrainingConfig trainingConfig(Arm arm, Pretrained pre) {
        ModelSpec.Architecture a = pre.spec().architecture();
        Object width = a.parameters().get("initFilters");
        int filters = width instanceof Number n ? n.intValue() : 32;
        List<Integer> all = IntStream.range(0, config.folds()).boxed().toList();
        TrainingConfig tc = new TrainingConfig(config.data(), modelDir(arm), a.name(), arm.loss(), pre.task(), pre.channels(),
                config.folds(), all, config.epochs(), config.iterations(), config.batch(), pre.spec().patchSize(), pre.spacing(),
                filters, config.seed(), config.device(), true, false, config.augment(), config.threads(),
                arm.fineTuned() ? new TrainingConfig.FineTune(config.pretrained(), config.pretrainedFold(), false) : null,
                config.learningRate(), 0, PatchSampler.Foreground.VOXEL);
        if (!arm.fineTuned()) {
            Map<String, Object> rebuilt = Trainer.network(tc, 1).parameters();
            if (!rebuilt.equals(a.parameters())) {
                throw new IllegalArgumentException("--pretrained " + config.pretrained() + ": its network " + a.name() + " "
                        + a.parameters() + " is not what train builds for the scratch arm (" + rebuilt + "); the comparison "
                        + "would not be fair");
            }
        }
        return tc;
    }

    /** Segments every test case with the package's fold ensemble into {@code out/predictions/<name>/<case>.nii.gz}. */
    private Path segmentAll(ModelPackage pkg, String name) throws IOException {
        Path dir = Files.createDirectories(config.out().resolve("predictions").resolve(name));
        StringBuilder hashes = new StringBuilder();
        for (Path w : pkg.weights()) {
            hashes.append(Pretrained.sha256(w)).append("  ").append(w.getFileName()).append('\n');
        }
        Path stamp = dir.resolve("weights.sha256");
        if (!Files.isRegularFile(stamp) || !Files.readString(stamp).contentEquals(hashes)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f); // predictions of other weights
                }
            }
            Files.writeString(stamp, hashes);
        }
        List<Path> cases = TrainingCase.list(config.test());
        LoadedModel.Options options = LoadedModel.Options.defaults().withDevice(config.device().name().toLowerCase(java.util.Locale.ROOT))
                .withTta(config.tta()).withThreads(config.threads()).withWarmUp(false);
        NiftiReader reader = new NiftiReader();
        NiftiWriter writer = new NiftiWriter();
        int done = 0;
        try (LoadedModel model = LoadedModel.open(pkg, options)) {
            for (Path c : cases) {
                String id = c.getFileName().toString();
                Path target = dir.resolve(id + ".nii.gz");
                done++;
                if (Files.isRegularFile(target)) {
                    continue;
                }
                long t0 = System.nanoTime();
                List<Volume> inputs = new ArrayList<>();
                for (ModelSpec.Input in : pkg.spec().inputs()) {
                    Path f = c.resolve(in.name() + ".nii.gz");
                    if (!Files.isRegularFile(f)) {
                        f = c.resolve(in.name() + ".nii");
                    }
                    if (!Files.isRegularFile(f)) {
                        throw new IOException(c + ": no " + in.name() + ".nii.gz (or .nii) for model input " + in.name());
                    }
                    inputs.add(reader.readVolume(f));
                }
                Volume labels = model.segment(inputs).labelMap();
                Path tmp = dir.resolve(id + ".tmp.nii.gz");
                writer.write(labels, tmp);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log.printf("study: %s segmented %s (%d/%d, %.1f s)%n", name, id, done, cases.size(), (System.nanoTime() - t0) / 1e9);
            }
        }
        return dir;
    }
}
