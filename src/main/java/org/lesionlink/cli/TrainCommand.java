package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lesionlink.training.TaskDefaults;
import org.lesionlink.training.Trainer;
import org.lesionlink.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TrainingLoopOptions loop = new TrainingLoopOptions();

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

    @Option(names = "--channels", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Input channels = file names in each case folder (brain default t1,t1c,t2,flair; spine t1,t2).")
    List<String> channels;

    @Option(names = "--epochs", defaultValue = "200", paramLabel = "N", description = "Epochs per fold (default 200).")
    int epochs;

    @Option(names = "--patch", split = ",", paramLabel = "X,Y,Z",
            description = "Patch size in voxels (brain default 128,128,128; spine 128,128,64).")
    int[] patch;

    @Option(names = "--spacing", paramLabel = "MM", description = "Isotropic target spacing in mm (default 1.0).")
    Double spacing;

    @Option(names = "--filters", defaultValue = "32", paramLabel = "N", description = "Width of the first stage (default 32).")
    int filters;

    @Option(names = "--resume", description = "Continue each fold from its last checkpoint.")
    boolean resume;

    @Option(names = "--scratch",
            description = "Random initialisation (what train always does; explicit for transfer-learning comparisons, "
                    + "see `lesionlink finetune`).")
    boolean scratch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial learning rate (default: unet 1e-2, segresnet 1e-4).")
    Double lr;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = config();
        new Trainer(config, null, System.err).run();
        System.err.println("model package written to " + config.out());
        return 0;
    }

    TrainingConfig config() {
        double rate = TrainingLoopOptions.learningRate(lr);
        TaskDefaults t = TaskDefaults.valueOf(Cli.enumName("--task", task, "brain", "spine"));
        String a = Cli.enumName("--arch", arch, "segresnet", "unet").toLowerCase(Locale.ROOT);
        int[] p = patch == null ? t.patch() : patch;
        if (p.length == 1) {
            p = new int[] {p[0], p[0], p[0]};
        }
        if (p.length != 3) {
            throw new IllegalArgumentException("--patch takes one size or three (X,Y,Z), got " + Arrays.toString(p));
        }
        List<String> ch = channels == null ? t.channels() : channels.stream().map(String::trim).toList();
        return new TrainingConfig(data, out, a, loop.lossName(), t, ch, loop.folds, loop.runFolds(), epochs, loop.iterations,
                loop.batch, p, spacing == null ? t.spacing() : spacing, filters, loop.seed, loop.deviceChoice(), resume,
                loop.batchDice, !loop.noAugment, loop.threads, null, rate, loop.validateEvery, loop.foregroundMode());
    }
}
