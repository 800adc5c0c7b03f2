/**
 * {@code lesionlink serve}: the only package that knows both the protocols (OpenIGTLink, DICOM, HTTP) and
 * inference. {@link org.lesionlink.server.LesionLinkServer} wires the {@link org.lesionlink.server.ModelCatalog},
 * the {@link org.lesionlink.server.JobQueue} and the listeners: {@link org.lesionlink.server.IgtlSegmentationService}
 * for OpenIGTLink, with {@link org.lesionlink.server.IgtlAblationService} (ablation monitoring and thermometry,
 * server-conventions.md section 7) in front of it; {@link org.lesionlink.server.DicomFlow} for PACS studies and
 * their SEGs; {@link org.lesionlink.server.HttpApi}. Its {@code limits} and {@code security} configuration
 * sections are {@link org.lesionlink.server.ServerLimits} and {@link org.lesionlink.server.SecurityConfig}.
 */
package org.lesionlink.server;
