/**
 * Training data: {@link org.lesionlink.training.data.TrainingCase} (a case folder preprocessed exactly as
 * inference does), {@link org.lesionlink.training.data.PatchSampler} (foreground oversampling, rotation
 * and scaling) and {@link org.lesionlink.training.data.Augmenter} (intensity, low resolution, mirroring).
 * Plain Java, no DJL.
 */
package org.lesionlink.training.data;
