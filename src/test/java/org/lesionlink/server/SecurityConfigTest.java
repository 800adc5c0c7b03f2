package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code security} section of serve's configuration: defaults, every key, and errors that name the key. */
class SecurityConfigTest {
    @TempDir
    Path tmp;

    private ServerConfig load(String security) throws Exception {
        Path f = tmp.resolve("serve.json");
        Files.writeString(f, "{\"security\": " + security + "}");
        return ServerConfig.load(f);
    }

    private String problem(String security) {
        return assertThrows(IllegalArgumentException.class, () -> load(security)).getMessage();
    }

    @Test
    void defaultsRestrictNothingAndAudit() {
        SecurityConfig s = ServerConfig.defaults().security();
        assertTrue(s.auditEnabled());
        assertEquals(Path.of("st/audit.jsonl"), s.auditLogFile(Path.of("st")));
        assertEquals(Path.of("st/pseudonym.key"), s.pseudonymKeyFile(Path.of("st")));
        assertTrue(s.dicom().allowedCallingAeTitles().isEmpty());
        assertEquals(-1, s.dicom().tlsPort());
        assertNull(s.igtl().tls());
        assertTrue(s.igtl().allowList().allowsAll());
        assertNull(s.http().bearerTokenFile());
    }

    @Test
    void everyKey() throws Exception {
        ServerConfig c = load("""
                {"auditLog": "/var/log/ll/audit.jsonl", "pseudonymKey": "/etc/ll/key",
                 "dicom": {"allowedCallingAeTitles": ["PACS@10.0.0.5", "MR1"],
                           "tls": {"certificate": "s.pem", "privateKey": "s.key", "trustedCertificates": "ca.pem",
                                   "clientAuth": "optional"},
                           "tlsDestinations": ["PACS@pacs:2762"],
                           "destinationTls": {"trustedCertificates": "ca.pem", "verifyHostName": false}},
                 "igtl": {"allowedClients": ["127.0.0.1", "10.1.0.0/16"],
                          "tls": {"certificate": "s.pem", "privateKey": "s.key", "privateKeyPasswordFile": "s.password"}},
                 "http": {"bearerTokenFile": "token", "tls": {"certificate": "h.pem", "privateKey": "h.key"}}}""");
        SecurityConfig s = c.security();
        assertEquals(Path.of("/var/log/ll/audit.jsonl"), s.auditLogFile(Path.of("st")));
        assertEquals(Path.of("/etc/ll/key"), s.pseudonymKeyFile(Path.of("st")));
        assertEquals(List.of("PACS@10.0.0.5", "MR1"), s.dicom().allowedCallingAeTitles());
        assertEquals(SecurityConfig.DICOM_TLS_PORT, s.dicom().tlsPort(), "tls without tlsPort: IANA's dicom-tls port");
        assertEquals("optional", s.dicom().tls().clientAuth());
        assertEquals(new ServerConfig.Destination("PACS", "pacs", 2762), s.dicom().destinations().get(0));
        assertEquals(Path.of("ca.pem"), s.dicom().destinationTls().trustedCertificates());
        assertFalse(s.dicom().destinationTls().verifyHostName());
        assertTrue(s.dicom().tls().verifyHostName(), "host names are checked unless switched off");
        assertEquals(Path.of("s.password"), s.igtl().tls().privateKeyPasswordFile());
        assertNull(s.dicom().tls().privateKeyPasswordFile());
        assertEquals(List.of("127.0.0.1", "10.1.0.0/16"), s.igtl().allowedClients());
        assertEquals(Path.of("s.pem"), s.igtl().tls().certificate());
        assertEquals(Path.of("token"), s.http().bearerTokenFile());
        assertEquals(Path.of("h.pem"), s.http().tls().certificate());
        assertNull(load("{}").security().http().tls(), "plain HTTP by default");
        assertFalse(load("{\"auditLog\": \"off\"}").security().auditEnabled());
        assertEquals(0, load("{\"dicom\": {\"tlsPort\": 0, \"tls\": {\"certificate\": \"a\", \"privateKey\": \"b\"}}}")
                .security().dicom().tlsPort());
    }

    @Test
    void problemsNameTheKey() {
        assertTrue(problem("{\"audit\": 1}").contains("security: unknown key 'audit'"));
        assertTrue(problem("{\"dicom\": {\"allowedCallingAeTitles\": [\"PACS@10.0.0.0/99\"]}}")
                .contains("security.dicom.allowedCallingAeTitles: 'PACS@10.0.0.0/99'"));
        assertTrue(problem("{\"dicom\": {\"tlsPort\": 2762}}").contains("security.dicom.tlsPort: a TLS port needs dicom.tls"));
        assertTrue(problem("{\"dicom\": {\"tls\": {\"certificate\": \"a\"}}}").contains("security.dicom.tls: certificate and privateKey go together"));
        assertTrue(problem("{\"dicom\": {\"tls\": {\"certificate\": \"a\", \"privateKey\": \"b\", \"clientAuth\": \"required\"}}}")
                .contains("needs trustedCertificates"));
        assertTrue(problem("{\"dicom\": {\"tls\": {\"certificate\": \"a\", \"privateKey\": \"b\", \"clientAuth\": \"maybe\"}}}")
                .contains("clientAuth must be none, optional or required"));
        assertTrue(problem("{\"dicom\": {\"tlsDestinations\": [\"PACS\"]}}").contains("security.dicom.tlsDestinations"));
        assertTrue(problem("{\"igtl\": {\"allowedClients\": [\"10.0.0.0/8\", \"300.1.1.1\"]}}")
                .contains("security.igtl.allowedClients: '300.1.1.1'"));
        assertTrue(problem("{\"igtl\": {\"allowedClients\": \"10.0.0.0/8\"}}").contains("must be an array of strings"));
        assertTrue(problem("{\"http\": {\"bearerTokenFile\": 5}}").contains("security.http.bearerTokenFile: must be a string"));
        assertTrue(problem("{\"http\": {\"tls\": {\"trustedCertificates\": \"ca.pem\"}}}")
                .contains("security.http.tls: HTTPS needs certificate and privateKey"));
        assertTrue(problem("[]").contains("security: must be a JSON object"));
    }

    @Test
    void bearerTokenMustBeLongEnough() throws Exception {
        Path weak = tmp.resolve("weak");
        Files.writeString(weak, "secret\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecurityConfig.Http(weak, null).bearerToken());
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        Path good = tmp.resolve("good");
        Files.writeString(good, "  0123456789abcdefXYZ\n");
        assertEquals("0123456789abcdefXYZ", new SecurityConfig.Http(good, null).bearerToken());
    }
}
