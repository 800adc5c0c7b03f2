/**
 * The segmentation engine: model packages and the pipeline that turns input volumes into a label map and
 * a lesion table. DJL is imported only in {@link org.lesionlink.inference.djl}; everything else here is
 * plain Java and testable without an engine.
 *
 * <h2>Model packages</h2>
 * A folder with {@code model.json} ({@link org.lesionlink.inference.ModelSpec}) and one weights file per
 * fold; {@link org.lesionlink.inference.ModelRepository} lists the packages of a directory. Axis-dependent
 * fields (patch, spacing, mirror axes) are in voxel-axis order (i, j, k); networks see tensors
 * {@code (N, C, k, j, i)}, the memory order of a {@link org.lesionlink.image.Volume}.
 *
 * <h2>Entry points</h2>
 * {@link org.lesionlink.inference.LoadedModel} is the facade for callers outside this package (the CLI):
 * it loads a package's folds on an engine and segments cases, without exposing DJL.
 * {@link org.lesionlink.inference.CaseInputs} checks a case first (channel names, empty or non-finite
 * images, fields of view that do not overlap). {@link org.lesionlink.inference.NnUNetImport} turns nnU-Net
 * v2's plans.json and dataset.json into a descriptor.
 *
 * <h2>2D and 2.5D models</h2>
 * A descriptor with {@code dims.kind = 2d} has patch size 1 along its slice axis. The sliding window then
 * places one tile per slice along that axis and mirrors only in-plane axes; the network sees 4D tensors
 * {@code (N, C, a, b)}. With {@code neighbourSlices = n}, slices s - n .. s + n of every input are stacked
 * as channels (input-major); slices beyond the volume are zeros, like the sliding window's own padding. The
 * slice axis is not resampled (nnU-Net's 2D configuration keeps the original spacing there).
 *
 * <h2>Pipeline</h2>
 * {@link org.lesionlink.inference.Segmenter}: check inputs (resample onto the first input's grid) →
 * crop to the filled non-zero box → normalise ({@link org.lesionlink.inference.Normalizer}) → resample to
 * the model spacing → sliding window with Gaussian blending, mirroring TTA and fold averaging
 * ({@link org.lesionlink.inference.window}) → logits back to the cropped grid → argmax or region
 * thresholds → remove small components → restore the crop → lesion table
 * ({@link org.lesionlink.inference.post}). Each stage is timed.
 *
 * <h2>Deviations from nnU-Net v2 inference (deliberate, documented)</h2>
 * <ul>
 *   <li>Importance map and accumulators are float32 (nnU-Net: float16 on the device). Folds are
 *       accumulated into one buffer with their share of the weight, not blended one by one and summed;
 *       the result is the same average up to float rounding.
 *   <li>Mirrored copies of tiles are batched together with other tiles (nnU-Net runs them one by one);
 *       the last batch is padded with zero tiles so the network always sees one shape.
 *   <li>Resampling uses {@link org.lesionlink.image.Resampler} (physical space, cubic B-spline with mirror
 *       boundary for images, trilinear for logits) instead of skimage {@code resize} (edge mode), and has
 *       no separate nearest-neighbour pass along the low-resolution axis of strongly anisotropic images
 *       (nnU-Net's {@code order_z = 0} when max/min spacing &gt; 3).
 *   <li>Region models threshold {@code logit > 0} rather than {@code sigmoid(logit) > 0.5}; they differ
 *       only for |logit| below about 6e-8.
 *   <li>Post-processing removes foreground components (all labels together, 26-connected) smaller than a
 *       configured voxel count; nnU-Net's optional "keep the largest component" is never applied, since
 *       metastases are multifocal.
 *   <li>Normalisation statistics are computed in double precision.
 * </ul>
 */
package org.lesionlink.inference;
