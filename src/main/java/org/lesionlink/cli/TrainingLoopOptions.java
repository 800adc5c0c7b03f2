package org.lesionlink.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.training.data.PatchSampler;
import picocli.CommandLine.Option;

/**
 * The training-loop options {@code train} and {@code finetune} share (a picocli mixin): loss, folds, batches, seed,
 * device, sampling and validation. What differs between them (the network, epochs, learning rate, resume) stays in
 * each command.
 */
final class TrainingLoopOptions {

    @Option(names = "--loss", defaultValue = "tversky-bce", paramLabel = "tversky-bce|dice-ce",
            description = "Loss (default tversky-bce: Tversky 0.3/0.7 + BCE pos_weight 10).")
    String loss;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Cross-validation folds (default 5).")
    int folds;

    @Option(names = "--fold", defaultValue = "all", paramLabel = "N|all", description = "Fold to train, or all (default).")
    String fold;

    @Option(names = "--iterations", defaultValue = "250", paramLabel = "N", description = "Batches per epoch (default 250).")
    int iterations;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "N", description = "Patches per batch (default 2).")
    int batch;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "S", description = "Seed of every random choice (default 12345).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train (default auto).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for PyTorch (default 0: one per core; fewer helps on a shared machine).")
    int threads;

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

    String lossName() {
        return Cli.enumName("--loss", loss, "tversky-bce", "dice-ce").toLowerCase(Locale.ROOT);
    }

    DeviceChoice deviceChoice() {
        return DeviceChoice.parse(device);
    }

    PatchSampler.Foreground foregroundMode() {
        return PatchSampler.Foreground.valueOf(Cli.enumName("--foreground", foreground, "voxel", "lesion"));
    }

    /** {@code --fold N|all} as the list of folds to run. */
    List<Integer> runFolds() {
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

    /** {@code --lr} checked: null (the architecture's default) or positive. */
    static double learningRate(Double lr) {
        if (lr != null && !(lr > 0)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        return lr == null ? 0 : lr;
    }
}
