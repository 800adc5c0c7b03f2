/**
 * Sliding-window inference without any engine: {@link org.lesionlink.inference.window.PatchGrid} (tile
 * positions as nnU-Net v2), {@link org.lesionlink.inference.window.ImportanceMap} (Gaussian, sigma =
 * patch / 8), {@link org.lesionlink.inference.window.SlidingWindow} (padding, batching, mirroring TTA,
 * blending, fold averaging) and the {@link org.lesionlink.inference.window.TilePredictor} interface that
 * engines implement. Tested alone with trivial predictors whose blended output is known exactly.
 */
package org.lesionlink.inference.window;
