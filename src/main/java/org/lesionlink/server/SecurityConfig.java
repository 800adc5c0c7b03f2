package org.lesionlink.server;

import static org.lesionlink.server.ConfigJson.bool;
import static org.lesionlink.server.ConfigJson.check;
import static org.lesionlink.server.ConfigJson.integer;
import static org.lesionlink.server.ConfigJson.keys;
import static org.lesionlink.server.ConfigJson.object;
import static org.lesionlink.server.ConfigJson.strings;
import static org.lesionlink.server.ConfigJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.lesionlink.security.AddressAllowList;
import org.lesionlink.security.CallingAeAllowList;
import org.lesionlink.security.TlsSettings;

/**
 * The {@code security} section of serve's configuration: access control, TLS and audit. Everything that restricts
 * access is off by default (as a bare {@code serve} on a laptop expects); the audit log is on, into
 * {@code <storage>/audit.jsonl}, and logs never carry patient names or IDs and show UIDs only as keyed pseudonyms.
 *
 * <pre>{@code
 * "security": {
 *   "auditLog": "/var/log/lesionlink/audit.jsonl",      // default <storage>/audit.jsonl; "off" disables it
 *   "pseudonymKey": "/etc/lesionlink/pseudonym.key",    // default <storage>/pseudonym.key, created on first start
 *   "dicom": {
 *     "allowedCallingAeTitles": ["PACS@10.0.0.5", "MR1@10.1.0.0/16", "WORKSTATION"],
 *     "tlsPort": 2762,
 *     "tls": {"certificate": "server.pem", "privateKey": "server.key", "trustedCertificates": "ca.pem",
 *             "clientAuth": "required"},
 *     "tlsDestinations": ["PACS@pacs.example.org:2762"],
 *     "destinationTls": {"trustedCertificates": "ca.pem", "certificate": "client.pem", "privateKey": "client.key"}
 *   },
 *   "igtl": {"allowedClients": ["127.0.0.1", "10.1.0.0/16"], "tls": {"certificate": "...", "privateKey": "..."}},
 *   "http": {"bearerTokenFile": "/etc/lesionlink/http-token", "tls": {"certificate": "...", "privateKey": "..."}}
 * }
 * }</pre>
 *
 * @param auditLog the audit log file; null: {@code <storage>/audit.jsonl}
 * @param auditEnabled false when {@code auditLog} was "off"
 * @param pseudonymKey the key file for UID pseudonyms; null: {@code <storage>/pseudonym.key}
 * @param dicom DICOM access and TLS
 * @param igtl OpenIGTLink access and TLS
 * @param http HTTP access and TLS
 */
public record SecurityConfig(Path auditLog, boolean auditEnabled, Path pseudonymKey, Dicom dicom, Igtl igtl, Http http) {

    /** IANA's port for DICOM over TLS ("dicom-tls"), the default {@code tlsPort} when {@code tls} is given. */
    public static final int DICOM_TLS_PORT = 2762;

    /**
     * @param allowedCallingAeTitles {@code AET} or {@code AET@HOST} (HOST: IP, CIDR range or host name); empty: all
     * @param tlsPort the DICOM TLS listener's port (-1: none; 0: ephemeral); the plain listener stays on
     *     {@code dicomPort} unless that is -1
     * @param tls the TLS listener's key material and client-certificate policy (null: no TLS listener)
     * @param tlsDestinations SEG destinations ({@code AET@HOST:PORT}) reached over TLS, besides {@code dicomDestinations}
     * @param destinationTls trust (and, for mutual TLS, our certificate) for {@code tlsDestinations}; null: the JDK's
     *     default trust store
     */
    public record Dicom(List<String> allowedCallingAeTitles, int tlsPort, TlsSettings tls, List<String> tlsDestinations,
            TlsSettings destinationTls) {
        public Dicom {
            allowedCallingAeTitles = List.copyOf(allowedCallingAeTitles);
            tlsDestinations = List.copyOf(tlsDestinations);
            try {
                CallingAeAllowList.of(allowedCallingAeTitles); // validates now, naming the bad entry
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("security.dicom.allowedCallingAeTitles: " + e.getMessage(), e);
            }
            try {
                tlsDestinations.forEach(ServerConfig.Destination::parse);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("security.dicom.tlsDestinations: " + e.getMessage(), e);
            }
            check(tlsPort >= -1 && tlsPort <= 65535, "security.dicom.tlsPort", "must be -1 (off), 0 (ephemeral) or 1..65535, got "
                    + tlsPort);
            check(tlsPort < 0 || tls != null, "security.dicom.tlsPort", "a TLS port needs dicom.tls (certificate and privateKey)");
            check(tls == null || tls.certificate() != null, "security.dicom.tls", "the TLS listener needs certificate and privateKey");
        }

        public CallingAeAllowList callingAeAllowList() {
            return CallingAeAllowList.of(allowedCallingAeTitles);
        }

        public List<ServerConfig.Destination> destinations() {
            return tlsDestinations.stream().map(ServerConfig.Destination::parse).toList();
        }
    }

    /**
     * @param allowedClients addresses and CIDR ranges that may connect; empty: all
     * @param tls TLS on the OpenIGTLink port (null: plain TCP, as every OpenIGTLink peer expects)
     */
    public record Igtl(List<String> allowedClients, TlsSettings tls) {
        public Igtl {
            allowedClients = List.copyOf(allowedClients);
            try {
                AddressAllowList.of(allowedClients);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("security.igtl.allowedClients: " + e.getMessage(), e);
            }
            check(tls == null || tls.certificate() != null, "security.igtl.tls", "the TLS listener needs certificate and privateKey");
        }

        public AddressAllowList allowList() {
            return AddressAllowList.of(allowedClients);
        }
    }

    /**
     * @param bearerTokenFile a file holding the token every request but {@code /health} must bear (null: none)
     * @param tls HTTPS on the HTTP port instead of plain HTTP (null: plain)
     */
    public record Http(Path bearerTokenFile, TlsSettings tls) {
        public Http {
            check(tls == null || tls.certificate() != null, "security.http.tls", "HTTPS needs certificate and privateKey");
        }

        /** The token (the file's content, trimmed), or null. */
        public String bearerToken() throws IOException {
            if (bearerTokenFile == null) {
                return null;
            }
            String t = Files.readString(bearerTokenFile, StandardCharsets.UTF_8).strip();
            if (t.length() < 16 || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("http.bearerTokenFile " + bearerTokenFile
                        + ": the token must be at least 16 printable ASCII characters without spaces");
            }
            return t;
        }
    }

    public SecurityConfig {
        java.util.Objects.requireNonNull(dicom, "dicom");
        java.util.Objects.requireNonNull(igtl, "igtl");
        java.util.Objects.requireNonNull(http, "http");
    }

    public static SecurityConfig defaults() {
        return new SecurityConfig(null, true, null, new Dicom(List.of(), -1, null, List.of(), null),
                new Igtl(List.of(), null), new Http(null, null));
    }

    /** The audit log file under {@code storage} unless configured. */
    public Path auditLogFile(Path storage) {
        return auditLog != null ? auditLog : storage.resolve("audit.jsonl");
    }

    public Path pseudonymKeyFile(Path storage) {
        return pseudonymKey != null ? pseudonymKey : storage.resolve("pseudonym.key");
    }

    public SecurityConfig withDicom(Dicom d) {
        return new SecurityConfig(auditLog, auditEnabled, pseudonymKey, d, igtl, http);
    }

    public SecurityConfig withIgtl(Igtl i) {
        return new SecurityConfig(auditLog, auditEnabled, pseudonymKey, dicom, i, http);
    }

    public SecurityConfig withHttp(Http h) {
        return new SecurityConfig(auditLog, auditEnabled, pseudonymKey, dicom, igtl, h);
    }

    /** {@code file}: the audit log; "off": none. */
    public SecurityConfig withAuditLog(String file) {
        boolean off = file.equals("off");
        return new SecurityConfig(off ? null : Path.of(file), !off, pseudonymKey, dicom, igtl, http);
    }

    // ---------------------------------------------------------------------------------------------------------
    // JSON

    static SecurityConfig fromJson(JsonNode node) {
        ObjectNode o = object(node, "security");
        keys(o, "security", Set.of("auditLog", "pseudonymKey", "dicom", "igtl", "http"));
        SecurityConfig s = defaults();
        if (o.has("auditLog")) {
            s = s.withAuditLog(text(o, "security.auditLog", null));
        }
        Path key = o.has("pseudonymKey") ? Path.of(text(o, "security.pseudonymKey", null)) : null;
        s = new SecurityConfig(s.auditLog, s.auditEnabled, key, s.dicom, s.igtl, s.http);
        if (o.has("dicom")) {
            ObjectNode d = object(o.get("dicom"), "security.dicom");
            keys(d, "security.dicom", Set.of("allowedCallingAeTitles", "tlsPort", "tls", "tlsDestinations", "destinationTls"));
            TlsSettings tls = d.has("tls") ? tls(d.get("tls"), "security.dicom.tls") : null;
            int port = d.has("tlsPort") ? integer(d, "security.dicom.tlsPort", 0) : tls != null ? DICOM_TLS_PORT : -1;
            s = s.withDicom(new Dicom(strings(d, "security.dicom.allowedCallingAeTitles", List.of()), port, tls,
                    strings(d, "security.dicom.tlsDestinations", List.of()),
                    d.has("destinationTls") ? tls(d.get("destinationTls"), "security.dicom.destinationTls") : null));
        }
        if (o.has("igtl")) {
            ObjectNode i = object(o.get("igtl"), "security.igtl");
            keys(i, "security.igtl", Set.of("allowedClients", "tls"));
            s = s.withIgtl(new Igtl(strings(i, "security.igtl.allowedClients", List.of()),
                    i.has("tls") ? tls(i.get("tls"), "security.igtl.tls") : null));
        }
        if (o.has("http")) {
            ObjectNode h = object(o.get("http"), "security.http");
            keys(h, "security.http", Set.of("bearerTokenFile", "tls"));
            s = s.withHttp(new Http(h.has("bearerTokenFile") ? Path.of(text(h, "security.http.bearerTokenFile", null)) : null,
                    h.has("tls") ? tls(h.get("tls"), "security.http.tls") : null));
        }
        return s;
    }

    private static TlsSettings tls(JsonNode node, String where) {
        ObjectNode t = object(node, where);
        keys(t, where, Set.of("certificate", "privateKey", "trustedCertificates", "clientAuth", "privateKeyPasswordFile",
                "verifyHostName"));
        try {
            return new TlsSettings(path(t, "certificate", where), path(t, "privateKey", where),
                    path(t, "trustedCertificates", where), t.has("clientAuth") ? text(t, where + ".clientAuth", null) : null,
                    path(t, "privateKeyPasswordFile", where), bool(t, where + ".verifyHostName", true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Path path(ObjectNode o, String key, String where) {
        return o.has(key) ? Path.of(text(o, where + "." + key, null)) : null;
    }
}
