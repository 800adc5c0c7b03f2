/**
 * {@code lesionlink serve}: the only package that knows both the protocols (OpenIGTLink, HTTP, later
 * DICOM) and inference. {@link org.lesionlink.server.LesionLinkServer} wires the {@link
 * org.lesionlink.server.ModelCatalog}, the {@link org.lesionlink.server.JobQueue} and the listeners.
 */
package org.lesionlink.server;
