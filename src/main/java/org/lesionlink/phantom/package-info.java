/**
 * Synthetic training and test cases with exact labels, since no real metastasis data can be downloaded
 * here: LesionLink trains its default models on these and ships them embedded. docs/phantoms.md says what
 * the phantoms model and what they do not.
 *
 * <ul>
 *   <li>{@link org.lesionlink.phantom.BrainPhantom}: brain metastases on the Colin27 head
 *       ({@link org.lesionlink.phantom.ColinTemplate}, {@link org.lesionlink.phantom.TissueModel}), T1, T1c,
 *       T2 and FLAIR ({@link org.lesionlink.phantom.BrainContrast}), BraTS-METS labels
 *       ({@link org.lesionlink.phantom.BratsLabel}), lesions from {@code LesionModel}.
 *   <li>{@link org.lesionlink.phantom.SpinePhantom}: an analytic column ({@link org.lesionlink.phantom.SpineModel})
 *       with lytic and sclerotic vertebral-body metastases ({@link org.lesionlink.phantom.SpineLesion}), T1 and
 *       T2 ({@link org.lesionlink.phantom.SpineContrast}), labels {@link org.lesionlink.phantom.SpineLabel}.
 *   <li>Shared: {@link org.lesionlink.phantom.Pose} (oblique field of view), {@link org.lesionlink.phantom.ScannerModel}
 *       (contrast curve, blur, bias, gain, Rician noise) drawn from a {@link org.lesionlink.phantom.ScannerDomain}
 *       (the standard mix or another site, for transfer-learning studies), {@link org.lesionlink.phantom.PhantomCase} and
 *       {@link org.lesionlink.phantom.PhantomWriter}.
 * </ul>
 * Randomness comes only from {@link java.util.SplittableRandom} streams derived from (run seed, case index,
 * purpose[, channel, slice]), so a case is the same bytes however many threads or processes generate it.
 */
package org.lesionlink.phantom;
