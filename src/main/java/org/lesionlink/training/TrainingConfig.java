package org.lesionlink.training;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.training.data.PatchSampler;

/**
 * Everything one {@code lesionlink train} run needs; the CLI's options map one to one.
 *
 * @param data folder of case folders ({@code caseNNN/<channel>.nii.gz}, {@code seg.nii.gz})
 * @param out the model package folder to write
 * @param architecture {@code segresnet} or {@code unet}
 * @param loss {@code tversky-bce} or {@code dice-ce}
 * @param task brain or spine defaults
 * @param channels model inputs, in network channel order (file names without extension)
 * @param folds k of the k-fold cross-validation (at least 2)
 * @param runFolds which folds to train (0-based)
 * @param epochs epochs per fold
 * @param iterations iterations (batches) per epoch
 * @param batch patches per batch
 * @param patch patch size along voxel axes i, j, k
 * @param spacing target spacing in mm (isotropic)
 * @param filters the network's first-stage width
 * @param seed the one seed everything random derives from
 * @param device where to train
 * @param resume continue from each fold's checkpoint when there is one
 * @param batchDice Dice/Tversky sums over the whole batch rather than per sample
 * @param augment apply nnU-Net-style augmentation (off makes tests exact and tiny runs faster)
 * @param threads PyTorch intra-op CPU threads; 0 leaves the engine's default (one per core). On a shared
 *     machine fewer threads can be much faster; the thread count also fixes the order of CPU reductions
 * @param fineTune where the weights start: {@code null} for random initialisation (training from
 *     scratch), else a model package's fold ({@code lesionlink finetune}); the network, patch, spacing and
 *     channels are then the package's
 * @param learningRate initial learning rate; 0 for the architecture's default (see {@link Trainer})
 * @param validateEvery validate after every this many epochs and after the last; 0 never (the log's Dice
 *     columns are then NaN). Validation segments whole cases and costs more than an epoch on small runs
 * @param foreground how foreground patch centres are drawn: by voxel (nnU-Net) or by lesion
 */
public record TrainingConfig(Path data, Path out, String architecture, String loss, TaskDefaults task,
        List<String> channels, int folds, List<Integer> runFolds, int epochs, int iterations, int batch, int[] patch,
        double spacing, int filters, long seed, DeviceChoice device, boolean resume, boolean batchDice, boolean augment, int threads,
        FineTune fineTune, double learningRate, int validateEvery, PatchSampler.Foreground foreground) {

    /**
     * Fine-tuning's starting point.
     *
     * @param model the pretrained model package folder ({@code djl} or {@code torchscript} engine)
     * @param fold index into the package's {@code folds} list whose weights initialise every new fold
     * @param freezeEncoder keep the encoder's weights fixed (LesionLink's own architectures only)
     */
    public record FineTune(Path model, int fold, boolean freezeEncoder) {
        public FineTune {
            Objects.requireNonNull(model, "--from");
            if (fold < 0) {
                throw new IllegalArgumentException("--from-fold must be >= 0, got " + fold);
            }
        }
    }

    /** Training from scratch with the architecture's learning rate, validating after every epoch. */
    public TrainingConfig(Path data, Path out, String architecture, String loss, TaskDefaults task,
            List<String> channels, int folds, List<Integer> runFolds, int epochs, int iterations, int batch, int[] patch,
            double spacing, int filters, long seed, DeviceChoice device, boolean resume, boolean batchDice, boolean augment,
            int threads) {
        this(data, out, architecture, loss, task, channels, folds, runFolds, epochs, iterations, batch, patch, spacing, filters,
                seed, device, resume, batchDice, augment, threads, null, 0, 1, PatchSampler.Foreground.VOXEL);
    }

    public TrainingConfig {
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(out, "--out");
        Objects.requireNonNull(task, "--task");
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("--channels: at least one channel is needed");
        }
        if (folds < 2) {
            throw new IllegalArgumentException("--folds must be at least 2, got " + folds);
        }
        runFolds = List.copyOf(runFolds);
        for (int f : runFolds) {
            if (f < 0 || f >= folds) {
                throw new IllegalArgumentException("--fold " + f + " is not in 0.." + (folds - 1));
            }
        }
        if (epochs < 1 || iterations < 1 || batch < 1) {
            throw new IllegalArgumentException("--epochs, --iterations and --batch must be at least 1, got " + epochs + ", "
                    + iterations + ", " + batch);
        }
        if (patch == null || patch.length != 3 || Arrays.stream(patch).anyMatch(p -> p < 1)) {
            throw new IllegalArgumentException("--patch needs three positive sizes X,Y,Z, got " + Arrays.toString(patch));
        }
        patch = patch.clone();
        if (!(spacing > 0) || !Double.isFinite(spacing)) {
            throw new IllegalArgumentException("--spacing must be a positive number of mm, got " + spacing);
        }
        if (filters < 1) {
            throw new IllegalArgumentException("--filters must be at least 1, got " + filters);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        }
        if (device == null) {
            device = DeviceChoice.AUTO;
        }
        if (foreground == null) {
            foreground = PatchSampler.Foreground.VOXEL;
        }
        if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (validateEvery < 0) {
            throw new IllegalArgumentException("--validate-every must be >= 0, got " + validateEvery);
        }
    }

    /** Whether the weights start from a pretrained model rather than at random. */
    public boolean fineTuning() {
        return fineTune != null;
    }

    @Override
    public int[] patch() {
        return patch.clone();
    }
}
