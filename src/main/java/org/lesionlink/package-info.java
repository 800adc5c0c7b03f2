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
 *   <li>{@code igtl.server}: the OpenIGTLink server (Netty, many clients, latest-value streams, keep-alive,
 *       limits) calling an application's {@code IgtlService}; protocol-level, knows nothing of segmentation.</li>
 *   <li>{@code training}: networks, losses, optimisers, data and the k-fold trainer behind
 *       {@code lesionlink train}, writing model packages the inference engine runs.</li>
 *   <li>{@code cli}: the {@code lesionlink} command line, one class per verb.</li>
 * </ul>
 * Packages for DICOM, inference, evaluation, ablation and the server join this map as they
 * are built. Protocol packages never depend on the server; DJL is imported only by inference and training.
 */
package org.lesionlink;
