/**
 * {@code lesionlink serve}: the only package that knows both the protocols (OpenIGTLink, HTTP, later
 * DICOM) and inference. {@link org.lesionlink.server.LesionLinkServer} wires the {@link
 * org.lesionlink.server.ModelCatalog}, the {@link org.lesionlink.server.JobQueue} and the listeners.
 * {@link org.lesionlink.server.IgtlAblationService} (ablation monitoring and thermometry, server-conventions.md
 * section 7) sits in front of the OpenIGTLink segmentation service.
 */
package org.lesionlink.server;
