package org.lesionlink.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.lesionlink.inference.djl.DeviceChoice;

/**
 * One transfer-learning study.
 *
 * @param pretrained the pretrained model package folder (engine {@code djl}: the scratch arm rebuilds its
 *     network at random)
 * @param pretrainedFold which of its folds initialises the fine-tuning
 * @param data local training cases ({@code caseNNN/<channel>.nii.gz}, {@code seg.nii.gz})
 * @param test local test cases, same layout (their {@code seg} is the truth)
 * @param out the study folder
 * @param losses the losses to compare ({@code tversky-bce}, {@code dice-ce}); each gets a fine-tuned and a
 *     scratch model
 * @param folds k of the cross-validation; the test set is segmented by the k-fold ensemble
 * @param epochs epochs per fold, the same for both arms (seed 2 fine-tuned and trained from scratch for 100)
 * @param iterations batches per epoch
 * @param batch patches per batch
 * @param seed the seed of both arms (same splits, patches and augmentation)
 * @param device where to train and segment
 * @param threads PyTorch CPU threads for training (0: engine default) and sliding-window workers for
 *     segmentation (0: automatic)
 * @param augment nnU-Net-style augmentation during training
 * @param tta mirroring test-time augmentation when segmenting the test cases
 * @param learningRate initial learning rate of both arms (0: the architecture's)
 * @param pretrainedBaseline also segment and evaluate the pretrained model as it is (the domain-shift
 *     baseline; not part of the fine-tuned vs scratch tests or the challenging cases)
 */
public record StudyConfig(Path pretrained, int pretrainedFold, Path data, Path test, Path out, List<String> losses, int folds,
        int epochs, int iterations, int batch, long seed, DeviceChoice device, int threads, boolean augment, boolean tta,
        double learningRate, boolean pretrainedBaseline) {

    public StudyConfig {
        Objects.requireNonNull(pretrained, "--pretrained");
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(test, "--test");
        Objects.requireNonNull(out, "--out");
        losses = List.copyOf(losses);
        if (losses.isEmpty()) {
            throw new IllegalArgumentException("--losses: at least one loss is needed");
        }
        for (String l : losses) {
            if (!l.equals("tversky-bce") && !l.equals("dice-ce")) {
                throw new IllegalArgumentException("--losses: each must be tversky-bce or dice-ce, got '" + l + "'");
            }
        }
        if (losses.stream().distinct().count() != losses.size()) {
            throw new IllegalArgumentException("--losses: " + losses + " names a loss twice");
        }
        if (folds < 2) {
            throw new IllegalArgumentException("--folds must be at least 2, got " + folds);
        }
        if (epochs < 1 || iterations < 1 || batch < 1) {
            throw new IllegalArgumentException("--epochs, --iterations and --batch must be at least 1");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        }
        if (device == null) {
            device = DeviceChoice.AUTO;
        }
    }
}
