/**
 * Training segmentation networks in Java with DJL (PyTorch engine), writing LesionLink model packages
 * ({@code engine: "djl"}) that {@code segment} and the {@link org.lesionlink.inference.Segmenter} run.
 *
 * <ul>
 *   <li>{@link org.lesionlink.training.nets}: SegResNet and a nnU-Net-style U-Net as DJL blocks, with the
 *       blocks DJL 0.32 lacks (group/instance norm, x2 upsampling, kernel-2 transposed convolution).
 *   <li>{@link org.lesionlink.training.loss}: Dice+CE (nnU-Net default) and TverskyBCE (seed 2).
 *   <li>{@link org.lesionlink.training.optim}: Nesterov SGD and Adam with savable state, poly decay.
 *   <li>{@link org.lesionlink.training.data}: cases through inference's own preprocessing, patch sampling
 *       with foreground oversampling, augmentation.
 *   <li>{@link org.lesionlink.training.Trainer}: k-fold cross-validation, checkpoints with exact resume,
 *       validation Dice, the training log; configured by {@link org.lesionlink.training.TrainingConfig}
 *       ({@code lesionlink train}) with {@link org.lesionlink.training.TaskDefaults} for brain and spine.
 *   <li>{@link org.lesionlink.training.PostprocessingSearch}: a trained package's postprocessing chosen on
 *       validation cases ({@code lesionlink tune-postprocessing}).
 * </ul>
 *
 * <p>Fine-tuning ({@code lesionlink finetune}, docs/transfer-learning.md): {@link org.lesionlink.training.Pretrained}
 * (a package's fold as the starting weights) and {@link org.lesionlink.training.TorchScriptNetwork} (imported
 * TorchScript modules trained through DJL, with limits).
 *
 * <h2>Deviations from nnU-Net / MONAI training (deliberate or not yet done)</h2>
 * <ul>
 *   <li>No deep supervision in the U-Net; no automatic planning (patch, spacing, depth come from the
 *       command line; U-Net depth from the patch size).
 *   <li>Spatial augmentation is folded into the patch cut with trilinear image and nearest label
 *       sampling; intensity augmentations are cheap Java versions with nnU-Net's probabilities and ranges
 *       (see {@link org.lesionlink.training.data.Augmenter}).
 *   <li>Validation runs after every epoch on whole validation cases (sliding window without mirroring)
 *       rather than nnU-Net's per-epoch pseudo-Dice on patches; the final nnU-Net-style full validation
 *       with TTA is left to {@code segment} and an evaluation step.
 *   <li>Weights are He-normal from a Java generator for both networks (MONAI's SegResNet uses PyTorch's
 *       default initialisation).
 * </ul>
 */
package org.lesionlink.training;
