package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.study.Study;
import org.lesionlink.study.StudyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lesionlink study}: seed 2's fine-tuned vs from-scratch comparison on local cases, end to end. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Transfer-learning study: for each loss fine-tune the pretrained model and train the same network from "
                + "scratch (k-fold), segment the test cases with each fold ensemble, evaluate, and compare fine-tuned vs scratch "
                + "(per-region mean Dice/HD95/HD/SEN/SPE with 95%% CI, one-sided Mann-Whitney U, challenging cases).",
                "Writes OUT/study.md, study_summary.csv, study_tests.csv, study_challenging.csv, study.json, OUT/evaluation/ "
                        + "(the full evaluate output), OUT/models/ and OUT/predictions/. Re-running resumes."})
final class StudyCommand implements Callable<Integer> {

    @Option(names = "--pretrained", required = true, paramLabel = "MODEL",
            description = "Pretrained model (engine djl): a name in --models or a package folder.")
    String pretrained;

    @Option(names = "--pretrained-fold", defaultValue = "0", paramLabel = "N", description = "Its fold that initialises fine-tuning (default 0).")
    int pretrainedFold;

    @Option(names = "--models", paramLabel = "DIR", description = "Models directory for --pretrained NAME (default: models/).")
    Path modelsDir;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Local training cases.")
    Path data;

    @Option(names = "--test", required = true, paramLabel = "DIR", description = "Local test cases (with seg.nii.gz as the truth).")
    Path test;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Study folder (created; re-running resumes).")
    Path out;

    @Option(names = "--losses", split = ",", defaultValue = "tversky-bce,dice-ce", paramLabel = "LOSS[,LOSS]",
            description = "Losses to compare (default tversky-bce,dice-ce).")
    List<String> losses;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Cross-validation folds (default 5).")
    int folds;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N", description = "Epochs per fold, both arms (default 100).")
    int epochs;

    @Option(names = "--iterations", defaultValue = "250", paramLabel = "N", description = "Batches per epoch (default 250).")
    int iterations;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "N", description = "Patches per batch (default 2).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial learning rate of both arms (default: the architecture's).")
    Double lr;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "S", description = "Seed of both arms (default 12345).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train and segment (default auto).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "PyTorch CPU threads for training and sliding-window workers for segmentation (default 0: automatic).")
    int threads;

    @Option(names = "--no-augment", description = "Turn training augmentation off.")
    boolean noAugment;

    @Option(names = "--no-tta", description = "Segment the test cases without mirroring TTA (about 8x faster).")
    boolean noTta;

    @Option(names = "--no-pretrained-baseline", description = "Do not also evaluate the pretrained model as it is.")
    boolean noBaseline;

    @Override
    public Integer call() throws Exception {
        if (lr != null && !(lr > 0)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        ModelPackage pkg = Cli.model(pretrained, modelsDir);
        StudyConfig config = new StudyConfig(pkg.folder(), pretrainedFold, data, test, out,
                losses.stream().map(l -> l.trim().toLowerCase(Locale.ROOT)).toList(), folds, epochs, iterations, batch, seed,
                DeviceChoice.parse(device), threads, !noAugment, !noTta, lr == null ? 0 : lr, !noBaseline);
        new Study(config, System.err).run();
        System.out.println(out.resolve("study.md"));
        return 0;
    }
}
