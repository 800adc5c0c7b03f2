package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.security.TlsSettings;
import org.lesionlink.server.SecurityConfig;
import picocli.CommandLine.Option;

/**
 * serve's security options (a picocli mixin): each overrides its key of the configuration's {@code security} section.
 * The full set (separate key material per listener, client certificates for SEG destinations) is in the
 * configuration file; these cover the common cases.
 */
final class SecurityOptions {

    @Option(names = "--audit-log", paramLabel = "FILE|off", description = "Audit log, JSON lines (default STORAGE/audit.jsonl).")
    String auditLog;

    @Option(names = "--allow-calling-ae", paramLabel = "AET[@HOST]",
            description = "DICOM calling AE title allowed to associate, optionally only from HOST (IP, CIDR or name); repeatable. Default: any.")
    List<String> callingAes;

    @Option(names = "--igtl-allow", paramLabel = "ADDRESS[/BITS]",
            description = "OpenIGTLink client address or CIDR range allowed to connect; repeatable. Default: any.")
    List<String> igtlAllow;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer <token in FILE>' on every HTTP path but /health.")
    Path httpTokenFile;

    @Option(names = "--dicom-tls-port", paramLabel = "PORT",
            description = "DICOM TLS listener port (needs --tls-certificate and --tls-key; -1 = off).")
    Integer dicomTlsPort;

    @Option(names = "--igtl-tls", description = "TLS on the OpenIGTLink port (needs --tls-certificate and --tls-key).")
    boolean igtlTls;

    @Option(names = "--https", description = "HTTPS instead of HTTP on the HTTP port (needs --tls-certificate and --tls-key).")
    boolean https;

    @Option(names = "--tls-certificate", paramLabel = "PEM", description = "Server certificate chain for the TLS listeners.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Its PKCS#8 private key.")
    Path key;

    @Option(names = "--tls-key-password-file", paramLabel = "FILE",
            description = "File whose first line is the password of an encrypted --tls-key.")
    Path keyPasswordFile;

    @Option(names = "--tls-trust", paramLabel = "PEM",
            description = "Certificates trusted for client certificates; with it, TLS clients must present one (mutual TLS).")
    Path trust;

    /** {@code base} with the options given applied. */
    SecurityConfig applyTo(SecurityConfig base) {
        SecurityConfig s = base;
        if (auditLog != null) {
            s = s.withAuditLog(auditLog);
        }
        TlsSettings tls = certificate == null && key == null ? null
                : new TlsSettings(certificate, key, trust, trust == null ? "none" : "required", keyPasswordFile, true);
        if (tls == null && (trust != null || keyPasswordFile != null)) {
            throw new IllegalArgumentException((trust != null ? "--tls-trust" : "--tls-key-password-file")
                    + " needs --tls-certificate and --tls-key");
        }
        SecurityConfig.Dicom d = s.dicom();
        if (callingAes != null || dicomTlsPort != null || tls != null) {
            int port = dicomTlsPort != null ? dicomTlsPort : d.tlsPort();
            if (port >= 0 && tls == null && d.tls() == null) {
                throw new IllegalArgumentException("--dicom-tls-port needs --tls-certificate and --tls-key");
            }
            s = s.withDicom(new SecurityConfig.Dicom(callingAes != null ? new ArrayList<>(callingAes) : d.allowedCallingAeTitles(),
                    port, tls != null && port >= 0 ? tls : d.tls(), d.tlsDestinations(), d.destinationTls()));
        }
        if (tls != null && s.dicom().tlsPort() < 0 && !igtlTls && !https) {
            throw new IllegalArgumentException(
                    "--tls-certificate/--tls-key given but no TLS listener: add --dicom-tls-port, --igtl-tls or --https");
        }
        if (igtlAllow != null || igtlTls) {
            if (igtlTls && tls == null && s.igtl().tls() == null) {
                throw new IllegalArgumentException("--igtl-tls needs --tls-certificate and --tls-key");
            }
            s = s.withIgtl(new SecurityConfig.Igtl(igtlAllow != null ? igtlAllow : s.igtl().allowedClients(),
                    igtlTls ? (tls != null ? tls : s.igtl().tls()) : s.igtl().tls()));
        }
        if (httpTokenFile != null || https) {
            if (https && tls == null && s.http().tls() == null) {
                throw new IllegalArgumentException("--https needs --tls-certificate and --tls-key");
            }
            s = s.withHttp(new SecurityConfig.Http(httpTokenFile != null ? httpTokenFile : s.http().bearerTokenFile(),
                    https ? (tls != null ? tls : s.http().tls()) : s.http().tls()));
        }
        return s;
    }
}
