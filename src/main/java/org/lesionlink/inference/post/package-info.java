/**
 * After inference: logits to labels with the model's thresholds and minimum component size
 * ({@link org.lesionlink.inference.post.LabelMaker}), 26-connected components and small-component removal
 * ({@link org.lesionlink.inference.post.Components}), hole filling of the non-zero mask
 * ({@link org.lesionlink.inference.post.Masks}) and the per-lesion table
 * ({@link org.lesionlink.inference.post.Lesions}: volumes per label and region in ml, longest diameter in
 * mm, centroid in RAS).
 */
package org.lesionlink.inference.post;
