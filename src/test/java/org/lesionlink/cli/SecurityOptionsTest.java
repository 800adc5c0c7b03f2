package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.server.SecurityConfig;
import picocli.CommandLine;

/** serve's security options: what each sets in the {@code security} configuration, and refused combinations. */
class SecurityOptionsTest {

    private static SecurityConfig apply(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.security.applyTo(SecurityConfig.defaults());
    }

    @Test
    void optionsSetTheirKeys() {
        SecurityConfig s = apply("--allow-calling-ae", "PACS@10.0.0.5", "--allow-calling-ae", "MR1", "--igtl-allow",
                "10.1.0.0/16", "--http-token-file", "tok", "--audit-log", "off", "--dicom-tls-port", "2762",
                "--tls-certificate", "s.pem", "--tls-key", "s.key", "--tls-trust", "ca.pem", "--igtl-tls");
        assertEquals(List.of("PACS@10.0.0.5", "MR1"), s.dicom().allowedCallingAeTitles());
        assertEquals(List.of("10.1.0.0/16"), s.igtl().allowedClients());
        assertEquals(Path.of("tok"), s.http().bearerTokenFile());
        assertTrue(!s.auditEnabled());
        assertEquals(2762, s.dicom().tlsPort());
        assertEquals("required", s.dicom().tls().clientAuth(), "a trust file means client certificates are required");
        assertEquals(Path.of("s.pem"), s.igtl().tls().certificate());
        SecurityConfig dicomOnly = apply("--dicom-tls-port", "0", "--tls-certificate", "s.pem", "--tls-key", "s.key");
        assertEquals(0, dicomOnly.dicom().tlsPort());
        assertEquals("none", dicomOnly.dicom().tls().clientAuth());
        assertNull(dicomOnly.igtl().tls());
        assertNull(dicomOnly.http().tls(), "HTTP stays plain without --https");
        SecurityConfig https = apply("--https", "--tls-certificate", "s.pem", "--tls-key", "s.key",
                "--tls-key-password-file", "s.password");
        assertEquals(Path.of("s.password"), https.http().tls().privateKeyPasswordFile());
        assertEquals(Path.of("s.pem"), https.http().tls().certificate());
        assertNull(https.http().bearerTokenFile());
        assertEquals(-1, https.dicom().tlsPort());
        assertEquals(SecurityConfig.defaults(), apply(), "no options, no change");
    }

    @Test
    void incompleteCombinationsAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--dicom-tls-port", "2762")).getMessage()
                .contains("--dicom-tls-port needs --tls-certificate and --tls-key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--igtl-tls")).getMessage()
                .contains("--igtl-tls needs --tls-certificate and --tls-key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--tls-certificate", "a", "--tls-key", "b"))
                .getMessage().contains("no TLS listener"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--https")).getMessage()
                .contains("--https needs --tls-certificate and --tls-key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--tls-trust", "ca.pem")).getMessage()
                .contains("--tls-trust needs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--tls-key-password-file", "pw")).getMessage()
                .contains("--tls-key-password-file needs --tls-certificate and --tls-key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--tls-certificate", "a", "--igtl-tls"))
                .getMessage().contains("certificate and privateKey go together"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("--igtl-allow", "10.0.0.0/40")).getMessage()
                .contains("'10.0.0.0/40'"));
    }
}
