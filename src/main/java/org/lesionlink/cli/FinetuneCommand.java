package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.training.Pretrained;
import org.lesionlink.training.Trainer;
import org.lesionlink.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lesionlink finetune}: seed 2's transfer learning. Every fold of a k-fold run starts from one
 * fold of a pretrained model package and trains on local cases; the network, inputs, spacing and patch
 * are the pretrained model's. Writes a model package like {@code train} (plus {@code init.json} naming the
 * pretrained weights).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a pretrained model package (engine djl: LesionLink's unet/segresnet; or torchscript) on "
                + "local cases with k-fold cross-validation and write a model package that `segment` can run.",
                "Cases: DIR/caseNNN/<channel>.nii.gz and DIR/caseNNN/seg.nii.gz, channels as the pretrained model's inputs."})
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "MODEL", description = "Pretrained model: a name in --models or a package folder.")
    String from;

    @Option(names = "--from-fold", defaultValue = "0", paramLabel = "N",
            description = "Which of the pretrained package's folds initialises every new fold (default 0).")
    int fromFold;

    @Option(names = "--models", paramLabel = "DIR", description = "Models directory for --from NAME (default: models/).")
    Path modelsDir;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of case folders.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model package folder to write.")
    Path out;

    @Option(names = "--loss", defaultValue = "tversky-bce", paramLabel = "tversky-bce|dice-ce",
            description = "Loss (default tversky-bce: Tversky 0.3/0.7 + BCE pos_weight 10).")
    String loss;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Cross-validation folds (default 5).")
    int folds;

    @Option(names = "--fold", defaultValue = "all", paramLabel = "N|all", description = "Fold to train, or all (default).")
    String fold;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N", description = "Epochs per fold (default 100, seed 2's fine-tuning).")
    int epochs;

    @Option(names = "--iterations", defaultValue = "250", paramLabel = "N", description = "Batches per epoch (default 250).")
    int iterations;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "N", description = "Patches per batch (default 2).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Initial learning rate (default: the architecture's, unet and torchscript 1e-2, segresnet 1e-4).")
    Double lr;

    @Option(names = "--freeze-encoder", description = "Keep the encoder's weights fixed (LesionLink's unet/segresnet only).")
    boolean freezeEncoder;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "S", description = "Seed of every random choice (default 12345).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train (default auto).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for PyTorch (default 0: one per core; fewer helps on a shared machine).")
    int threads;

    @Option(names = "--resume", description = "Continue each fold from its last checkpoint (not for torchscript models).")
    boolean resume;

    @Option(names = "--batch-dice", description = "Dice/Tversky over the whole batch instead of per sample.")
    boolean batchDice;

    @Option(names = "--no-augment", description = "Turn data augmentation off.")
    boolean noAugment;

    @Option(names = "--foreground", defaultValue = "voxel", paramLabel = "voxel|lesion",
            description = "How foreground patch centres are drawn after their label: uniformly among its voxels (nnU-Net, "
                    + "default) or among its connected components first, so small lesions are centred as often as large.")
    String foreground;

    @Option(names = "--validate-every", defaultValue = "1", paramLabel = "N",
            description = "Validate after every N epochs and after the last; 0 never (default 1).")
    int validateEvery;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = config();
        new Trainer(config, null, System.err).run();
        System.err.println("fine-tuned model package written to " + config.out());
        return 0;
    }

    TrainingConfig config() throws java.io.IOException {
        if (lr != null && !(lr > 0)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        String l = Cli.enumName("--loss", loss, "tversky-bce", "dice-ce").toLowerCase(Locale.ROOT);
        ModelPackage pkg = Cli.model(from, modelsDir);
        Pretrained p = Pretrained.open(pkg.folder(), fromFold);
        String arch = p.spec().architecture() == null ? "torchscript" : p.spec().architecture().name();
        int filters = 1; // unused: the network is the package's
        return new TrainingConfig(data, out, arch, l, p.task(), p.channels(), folds, TrainCommand.runFolds(fold, folds), epochs,
                iterations, batch, p.spec().patchSize(), p.spacing(), filters, seed, DeviceChoice.parse(device), resume, batchDice,
                !noAugment, threads, new TrainingConfig.FineTune(pkg.folder(), fromFold, freezeEncoder), lr == null ? 0 : lr,
                validateEvery, TrainCommand.foreground(foreground));
    }
}
