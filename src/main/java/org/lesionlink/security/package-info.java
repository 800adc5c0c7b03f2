/**
 * Access control, transport security and audit for the listeners of {@code lesionlink serve}, kept apart from the
 * protocols so that {@code dicom.net} and {@code igtl.server} only see Netty's {@code SslContext} and plain hooks.
 * <ul>
 *   <li>{@link org.lesionlink.security.TlsSettings}: PEM certificate, key and trusted certificates to a Netty
 *       {@code SslContext} on the JDK provider, TLS 1.2 and 1.3 only, AEAD cipher suites with forward secrecy
 *       (the BCP 195 profile of DICOM PS3.15 Annex B.9), optional client certificates.</li>
 *   <li>{@link org.lesionlink.security.AddressAllowList}: IP addresses and CIDR ranges;
 *       {@link org.lesionlink.security.CallingAeAllowList}: DICOM calling AE titles, optionally bound to hosts.</li>
 *   <li>{@link org.lesionlink.security.AuditLog}: one JSON object per line, its own file.</li>
 *   <li>{@link org.lesionlink.security.Pseudonyms}: keyed hashes of UIDs (correlatable, not reversible without the
 *       key) and the scrubbing of UIDs from free text; {@link org.lesionlink.security.LogRedaction} applies it to
 *       every log line.</li>
 * </ul>
 */
package org.lesionlink.security;
