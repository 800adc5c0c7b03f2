/**
 * LesionLink: a segmentation server for brain and spinal metastases that speaks OpenIGTLink to 3D Slicer
 * and interventional setups, and DICOM to PACS.
 *
 * <p>The packages, as a map:
 * <ul>
 *   <li>{@code image}: the immutable {@code Volume}/{@code Geometry} model (RAS, voxel centres),
 *       resampling, cropping and padding.</li>
 *   <li>{@code io.nifti}: NIfTI-1/NIfTI-2 reader and writer.</li>
 *   <li>{@code dicom}: LesionLink's own DICOM subset: data model and dictionary ({@code dicom.data}), Part 10
 *       reader/writer ({@code dicom.io}), BINARY Segmentation writer/reader ({@code dicom.seg}); knows nothing of
 *       the server.</li>
 *   <li>{@code igtl}: the OpenIGTLink protocol (framing, messages, codecs); knows nothing of the server.</li>
 *   <li>{@code igtl.server}: the OpenIGTLink server (Netty, many clients, latest-value streams, keep-alive,
 *       limits) calling an application's {@code IgtlService}; protocol-level, knows nothing of segmentation.</li>
 *   <li>{@code inference}: model packages ({@code model.json}), the nnU-Net-style pipeline (sliding window,
 *       mirroring, fold ensembles) and lesion tables; only {@code inference.djl} imports DJL.</li>
 *   <li>{@code phantom}: synthetic brain and spine metastasis cases with labels, for training and tests.</li>
 *   <li>{@code evaluation} (with {@code .metric} and {@code .stats}): segmentation metrics, lesion-wise
 *       BraTS-METS scores, statistics and reports behind {@code lesionlink evaluate}.</li>
 *   <li>{@code training}: networks, losses, optimisers, data and the k-fold trainer behind
 *       {@code lesionlink train}, writing model packages the inference engine runs.</li>
 *   <li>{@code study}: transfer-learning studies ({@code lesionlink study}): fine-tuned vs scratch models,
 *       fold ensembles on a test set, evaluation and the seed-2-style comparison; no DJL.</li>
 *   <li>{@code ablation}: ablation decision support (not treatment planning): device tables, ellipsoid zones,
 *       per-pose coverage, margins and critical-structure distances, PRF thermometry and thermal dose; knows
 *       nothing of the server.</li>
 *   <li>{@code security}: TLS settings (Netty {@code SslContext}), address and calling-AE allow-lists, the JSON-lines
 *       audit log and keyed UID pseudonyms for logs; knows the protocols only through their hooks.</li>
 *   <li>{@code cli}: the {@code lesionlink} command line, one class per verb.</li>
 * </ul>
 * Packages for DICOM networking and the server join this map as they are
 * built. Protocol packages never depend on the server; DJL is imported only by inference and training.
 */
package org.lesionlink;
