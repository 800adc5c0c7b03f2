/**
 * LesionLink: a segmentation server for brain and spinal metastases that speaks OpenIGTLink to 3D Slicer
 * and interventional setups, and DICOM to PACS.
 *
 * <p>The packages, as a map:
 * <ul>
 *   <li>{@code image}: the immutable {@code Volume}/{@code Geometry} model (RAS, voxel centres),
 *       resampling, cropping and padding.</li>
 *   <li>{@code io.nifti}: NIfTI-1/NIfTI-2 reader and writer.</li>
 *   <li>{@code igtl}: the OpenIGTLink protocol (framing, messages, codecs); knows nothing of the server.</li>
 *   <li>{@code evaluation} (with {@code .metric} and {@code .stats}): segmentation metrics, lesion-wise
 *       BraTS-METS scores, statistics and reports behind {@code lesionlink evaluate}.</li>
 *   <li>{@code cli}: the {@code lesionlink} command line, one class per verb.</li>
 * </ul>
 * Packages for DICOM, inference, training, ablation and the server join this map as they
 * are built. Protocol packages never depend on the server; DJL is imported only by inference and training.
 */
package org.lesionlink;
