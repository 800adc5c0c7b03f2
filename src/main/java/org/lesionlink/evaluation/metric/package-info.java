/**
 * Segmentation metrics on binary masks with anisotropic spacing: overlap (Dice, sensitivity,
 * specificity, volumes; {@link org.lesionlink.evaluation.metric.Overlap}), surface distances (Hausdorff
 * and HD95 between {@link org.lesionlink.evaluation.metric.Surface surface voxels}, via an exact
 * Felzenszwalb-Huttenlocher {@link org.lesionlink.image.DistanceTransform}), and the
 * BraTS-METS 2023 lesion-wise Dice and HD95 ({@link org.lesionlink.evaluation.metric.LesionWise}).
 * {@link org.lesionlink.evaluation.metric.MaskMetrics} computes them all for one pair of masks and
 * states the conventions for empty masks.
 *
 * <p>Definitions shared by every class here and by the Python reference in the test tree
 * ({@code src/test/resources/peers/evaluation_reference.py}):
 * <ul>
 *   <li>surface voxel: a foreground voxel with a background face neighbour (outside the grid counts as
 *       background);
 *   <li>distance: between voxel centres, in mm, with the grid's spacing;
 *   <li>HD: the maximum of both directed surface-distance sets; HD95: the 95th percentile (linear
 *       interpolation) of each directed set, then the larger one;
 *   <li>connectivity: 26 for lesions; dilation: 18-neighbourhood.
 * </ul>
 */
package org.lesionlink.evaluation.metric;
