/** Segmentation losses on logits: {@link org.lesionlink.training.loss.DiceCe}, {@link org.lesionlink.training.loss.TverskyBce}. */
package org.lesionlink.training.loss;
