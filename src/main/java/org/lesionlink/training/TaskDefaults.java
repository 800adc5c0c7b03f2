package org.lesionlink.training;

import java.util.List;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.training.loss.SegmentationLoss;

/**
 * What {@code lesionlink train --task brain|spine} means: labels, outputs, inputs and sizes.
 *
 * <ul>
 *   <li><b>brain</b>: BraTS-METS labels 1 NETC (necrosis / non-enhancing core), 2 SNFH (surrounding FLAIR
 *       hyperintensity, oedema), 3 ET (enhancing tumour). The network has <b>sigmoid outputs over the
 *       regions</b> WT = {1, 2, 3}, TC = {1, 3}, ET = {3} (BraTS evaluates these regions; it is the
 *       recipe of the BraTS winners and of nnU-Net's region training), painted back as WT → 2, TC → 1,
 *       ET → 3. Inputs t1, t1c, t2, flair with z-score over the brain (non-zero) mask.
 *   <li><b>spine</b>: labels 1 lesion (metastasis), 2 vertebra, 3 spinal canal, which do not overlap, so
 *       the network has <b>softmax outputs over the labels</b> (background + 3). Inputs t1, t2 with
 *       z-score over the whole crop (the field of view has no zero background to mask).
 * </ul>
 *
 * SNOMED CT codes are given where stated in the brief (metastasis 14799000, oedema 79654002, necrosis
 * 6574001); vertebra and spinal canal carry none until someone checks the right concepts.
 */
public enum TaskDefaults {
    BRAIN(ModelSpec.Task.BRAIN_METASTASES, ModelSpec.Activation.SIGMOID, List.of("t1", "t1c", "t2", "flair"),
            ModelSpec.Normalization.ZSCORE_NONZERO, new int[] {128, 128, 128}, 1.0,
            List.of(new ModelSpec.Label(1, "NETC", "#e6d24b", "6574001"),
                    new ModelSpec.Label(2, "SNFH", "#4bb4e6", "79654002"),
                    new ModelSpec.Label(3, "ET", "#e6462d", "14799000")),
            List.of(new ModelSpec.Region("WT", new int[] {1, 2, 3}), new ModelSpec.Region("TC", new int[] {1, 3}),
                    new ModelSpec.Region("ET", new int[] {3})),
            new int[] {2, 1, 3}),
    SPINE(ModelSpec.Task.SPINAL_METASTASES, ModelSpec.Activation.SOFTMAX, List.of("t1", "t2"),
            ModelSpec.Normalization.ZSCORE, new int[] {128, 128, 64}, 1.0,
            List.of(new ModelSpec.Label(1, "lesion", "#e6462d", "14799000"),
                    new ModelSpec.Label(2, "vertebra", "#f0e6c8", null),
                    new ModelSpec.Label(3, "spinal canal", "#5a8cdc", null)),
            List.of(),
            null);

    private final ModelSpec.Task task;
    private final ModelSpec.Activation activation;
    private final List<String> channels;
    private final ModelSpec.Normalization normalization;
    private final int[] patch;
    private final double spacing;
    private final List<ModelSpec.Label> labels;
    private final List<ModelSpec.Region> regions;
    private final int[] regionClassOrder;

    TaskDefaults(ModelSpec.Task task, ModelSpec.Activation activation, List<String> channels,
            ModelSpec.Normalization normalization, int[] patch, double spacing, List<ModelSpec.Label> labels,
            List<ModelSpec.Region> regions, int[] regionClassOrder) {
        this.task = task;
        this.activation = activation;
        this.channels = channels;
        this.normalization = normalization;
        this.patch = patch;
        this.spacing = spacing;
        this.labels = labels;
        this.regions = regions;
        this.regionClassOrder = regionClassOrder;
    }

    public List<String> channels() {
        return channels;
    }

    public int[] patch() {
        return patch.clone();
    }

    public double spacing() {
        return spacing;
    }

    public SegmentationLoss.Output output() {
        return activation == ModelSpec.Activation.SIGMOID ? SegmentationLoss.Output.SIGMOID : SegmentationLoss.Output.SOFTMAX;
    }

    /** A model descriptor for this task (3D, mirroring TTA on all axes). */
    public ModelSpec spec(String name, List<String> inputChannels, int[] patchSize, double spacingMm, ModelSpec.Engine engine,
            ModelSpec.Architecture architecture, List<String> folds) {
        List<ModelSpec.Input> inputs = inputChannels.stream().map(c -> ModelSpec.Input.of(c, normalization)).toList();
        return new ModelSpec(name, "1.0.0", task, inputs, new double[] {spacingMm, spacingMm, spacingMm}, patchSize,
                ModelSpec.Dims.THREE_D, activation, labels, regions, regionClassOrder, new int[] {0, 1, 2},
                ModelSpec.PostProcessing.NONE, folds, engine, null, architecture);
    }
}
