package org.lesionlink.security;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key material errors name the file and the fix (the handshakes themselves are in DicomTlsDcmtkTest). */
class TlsSettingsTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.EncryptedKey encrypted;

    @BeforeAll
    static void pki() throws IOException {
        pki = TestPki.create(dir);
        encrypted = pki.encryptedServerKey("correct horse battery staple");
    }

    private static String refusal(TlsSettings t) {
        return assertThrows(IllegalArgumentException.class, t::serverContext).getMessage();
    }

    @Test
    void anEncryptedKeyIsReadWithItsPasswordFile() {
        assertNotNull(new TlsSettings(pki.serverCert(), encrypted.key(), null, "none", encrypted.passwordFile(), true)
                .serverContext());
        assertNotNull(new TlsSettings(pki.serverCert(), encrypted.key(), pki.caCert(), "none", encrypted.passwordFile(), true)
                .clientContext());
    }

    @Test
    void anEncryptedKeyWithoutPasswordFileIsRefusedNamingTheOption() {
        String m = refusal(new TlsSettings(pki.serverCert(), encrypted.key(), null, "none"));
        assertTrue(m.contains(encrypted.key() + " is encrypted: give privateKeyPasswordFile (--tls-key-password-file)"), m);
    }

    @Test
    void aWrongPasswordIsRefusedNamingThePasswordFile() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.password"), "Tr0ub4dor&3\n");
        String m = refusal(new TlsSettings(pki.serverCert(), encrypted.key(), null, "none", wrong, true));
        assertTrue(m.startsWith("TLS server context: "), m);
        assertTrue(m.endsWith("(is the password in " + wrong + " the key's?)"), m);
    }

    @Test
    void anEmptyPasswordFileIsRefused() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.password"), "\n");
        String m = refusal(new TlsSettings(pki.serverCert(), encrypted.key(), null, "none", empty, true));
        assertTrue(m.equals("privateKeyPasswordFile " + empty + ": the first line is empty"), m);
    }

    @Test
    void aPasswordFileForAnUnencryptedKeyIsRefused() {
        String m = refusal(new TlsSettings(pki.serverCert(), pki.serverKey(), null, "none", encrypted.passwordFile(), true));
        assertTrue(m.startsWith("privateKeyPasswordFile given, but privateKey " + pki.serverKey() + " is not an encrypted"), m);
    }

    @Test
    void aTraditionalKeyIsRefusedWithTheConversionCommand() throws IOException {
        Path rsa = pki.traditionalServerKey();
        String m = refusal(new TlsSettings(pki.serverCert(), rsa, null, "none"));
        assertTrue(m.contains(rsa + " is in OpenSSL's traditional format (-----BEGIN RSA PRIVATE KEY-----)"), m);
        assertTrue(m.contains("openssl pkcs8 -topk8"), m);
    }

    @Test
    void aPasswordFileNeedsAKey() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(null, null, pki.caCert(), "none", encrypted.passwordFile(), true)).getMessage();
        assertTrue(m.equals("privateKeyPasswordFile needs privateKey"), m);
    }
}
