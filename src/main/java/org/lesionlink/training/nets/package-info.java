/**
 * Network architectures as DJL blocks, tensors {@code (N, C, D, H, W)} = {@code (N, C, k, j, i)}:
 * {@link org.lesionlink.training.nets.SegResNet}, {@link org.lesionlink.training.nets.UNet}, built from
 * their JSON description by {@link org.lesionlink.training.nets.Networks} (also used by inference to
 * rebuild a package's network). Written here because DJL 0.32 (PyTorch engine) has none of them:
 * {@link org.lesionlink.training.nets.GroupNorm} (and instance norm), {@link org.lesionlink.training.nets.Upsample}
 * (3D nearest/trilinear x2) and {@link org.lesionlink.training.nets.TransposedConv} (the engine does not
 * implement deconvolution). All are NDArray compositions, so autograd differentiates them.
 */
package org.lesionlink.training.nets;
