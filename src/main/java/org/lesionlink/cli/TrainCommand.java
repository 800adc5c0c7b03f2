package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.training.TaskDefaults;
import org.lesionlink.training.Trainer;
import org.lesionlink.training.TrainingConfig;
import org.lesionlink.training.data.PatchSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lesionlink train}: k-fold training of a SegResNet or U-Net into a LesionLink model package, from
 * random weights. {@code --scratch} says so explicitly (the baseline of a transfer-learning comparison);
 * {@code lesionlink finetune} starts from a pretrained package instead.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a segmentation network with k-fold cross-validation and write a model package "
                + "(model.json, foldN.params, training_log.csv, splits.json) that `segment` can run.",
                "Cases: DIR/caseNNN/<channel>.nii.gz and DIR/caseNNN/seg.nii.gz."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of case folders.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model package folder to write.")
    Path out;

    @Option(names = "--task", required = true, paramLabel = "brain|spine",
            description = "brain: BraTS-METS labels, sigmoid over regions WT/TC/ET; spine: lesion/vertebra/canal, softmax.")
    String task;

    @Option(names = "--arch", defaultValue = "unet", paramLabel = "segresnet|unet",
            description = "Network (default unet, nnU-Net style; segresnet trains with Adam 1e-4).")
    String arch;

    @Option(names = "--loss", defaultValue = "tversky-bce", paramLabel = "tversky-bce|dice-ce",
            description = "Loss (default tversky-bce: Tversky 0.3/0.7 + BCE pos_weight 10).")
    String loss;

    @Option(names = "--channels", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Input channels = file names in each case folder (brain default t1,t1c,t2,flair; spine t1,t2).")
    List<String> channels;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Cross-validation folds (default 5).")
    int folds;

    @Option(names = "--fold", defaultValue = "all", paramLabel = "N|all", description = "Fold to train, or all (default).")
    String fold;

    @Option(names = "--epochs", defaultValue = "200", paramLabel = "N", description = "Epochs per fold (default 200).")
    int epochs;

    @Option(names = "--iterations", defaultValue = "250", paramLabel = "N", description = "Batches per epoch (default 250).")
    int iterations;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "N", description = "Patches per batch (default 2).")
    int batch;

    @Option(names = "--patch", split = ",", paramLabel = "X,Y,Z",
            description = "Patch size in voxels (brain default 128,128,128; spine 128,128,64).")
    int[] patch;

    @Option(names = "--spacing", paramLabel = "MM", description = "Isotropic target spacing in mm (default 1.0).")
    Double spacing;

    @Option(names = "--filters", defaultValue = "32", paramLabel = "N", description = "Width of the first stage (default 32).")
    int filters;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "S", description = "Seed of every random choice (default 12345).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train (default auto).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for PyTorch (default 0: one per core; fewer helps on a shared machine).")
    int threads;

    @Option(names = "--resume", description = "Continue each fold from its last checkpoint.")
    boolean resume;

    @Option(names = "--batch-dice", description = "Dice/Tversky over the whole batch instead of per sample.")
    boolean batchDice;

    @Option(names = "--no-augment", description = "Turn data augmentation off.")
    boolean noAugment;

    @Option(names = "--scratch",
            description = "Random initialisation (what train always does; explicit for transfer-learning comparisons, "
                    + "see `lesionlink finetune`).")
    boolean scratch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial learning rate (default: unet 1e-2, segresnet 1e-4).")
    Double lr;

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
        System.err.println("model package written to " + config.out());
        return 0;
    }

    TrainingConfig config() {
        if (lr != null && !(lr > 0)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        TaskDefaults t = TaskDefaults.valueOf(Cli.enumName("--task", task, "brain", "spine"));
        String a = Cli.enumName("--arch", arch, "segresnet", "unet").toLowerCase(Locale.ROOT);
        String l = Cli.enumName("--loss", loss, "tversky-bce", "dice-ce").toLowerCase(Locale.ROOT);
        DeviceChoice d = DeviceChoice.parse(device);
        List<Integer> run = runFolds(fold, folds);
        int[] p = patch == null ? t.patch() : patch;
        if (p.length == 1) {
            p = new int[] {p[0], p[0], p[0]};
        }
        if (p.length != 3) {
            throw new IllegalArgumentException("--patch takes one size or three (X,Y,Z), got " + Arrays.toString(p));
        }
        List<String> ch = channels == null ? t.channels() : channels.stream().map(String::trim).toList();
        return new TrainingConfig(data, out, a, l, t, ch, folds, run, epochs, iterations, batch, p,
                spacing == null ? t.spacing() : spacing, filters, seed, d, resume, batchDice, !noAugment, threads, null,
                lr == null ? 0 : lr, validateEvery, foreground(foreground));
    }

    static PatchSampler.Foreground foreground(String name) {
        return PatchSampler.Foreground.valueOf(Cli.enumName("--foreground", name, "voxel", "lesion"));
    }

    /** {@code --fold N|all} as the list of folds to run. */
    static List<Integer> runFolds(String fold, int folds) {
        List<Integer> run = new ArrayList<>();
        if (fold.equalsIgnoreCase("all")) {
            IntStream.range(0, Math.max(folds, 0)).forEach(run::add);
        } else {
            try {
                run.add(Integer.parseInt(fold.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fold must be a fold number or all, got '" + fold + "'");
            }
        }
        return run;
    }
}
