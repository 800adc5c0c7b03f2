package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.net.DicomServer;
import org.lesionlink.dicom.net.DicomServerConfig;
import org.lesionlink.dicom.net.NetTesting;
import org.lesionlink.dicom.net.PresentationContextPolicy;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.StoredInstance;
import org.lesionlink.security.TestPki;
import org.lesionlink.security.TlsSettings;
import org.lesionlink.testing.Peers;

/** {@code lesionlink echo} and {@code store} with {@code --tls*} against a TLS acceptor that requires client certificates. */
@Timeout(120)
class ClientTlsCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void echoAndStoreOverMutualTls() throws Exception {
        Path mr = Peers.requireFile(NetTesting.PYDICOM_FILES.resolve("MR_small.dcm"), "pydicom test files");
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        List<StoredInstance> stored = new CopyOnWriteArrayList<>();
        CStoreScp store = new CStoreScp(tmp.resolve("store"), PresentationContextPolicy.DEFAULT_STORAGE, stored::add);
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp()).register(store);
        try (DicomServer scp = DicomServer.start(DicomServerConfig.of("TLSSCP", 0).withBindAddress("127.0.0.1")
                .withTls(pki.server("required").serverContext()), registry)) {
            String to = "TLSSCP@127.0.0.1:" + scp.port();
            String[] mutual = {"--tls-trust", pki.caCert().toString(), "--tls-certificate", pki.clientCert().toString(),
                    "--tls-key", pki.clientKey().toString()};
            CliRun echo = CliRun.of(concat(new String[] {"echo", to}, mutual));
            assertEquals(0, echo.exitCode(), echo.err());
            assertTrue(echo.out().contains("status 0x0000 (success)"), echo.out());

            CliRun sent = CliRun.of(concat(new String[] {"store", to, mr.toString()}, mutual));
            assertEquals(0, sent.exitCode(), sent.err() + sent.out());
            assertEquals(1, stored.size());

            CliRun plain = CliRun.of("echo", to);
            assertEquals(Main.EXIT_FAILURE, plain.exitCode(), plain.out());
            CliRun noCert = CliRun.of("echo", to, "--tls-trust", pki.caCert().toString());
            assertNotEquals(0, noCert.exitCode(), noCert.out());
            CliRun untrusted = CliRun.of("echo", to, "--tls-trust", pki.rogueCert().toString());
            assertEquals(Main.EXIT_FAILURE, untrusted.exitCode());
            assertTrue(untrusted.err().contains("TLS handshake with 127.0.0.1:" + scp.port() + " failed"), untrusted.err());
        }
    }

    @Test
    void theServersHostNameIsCheckedUnlessSwitchedOff() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        TestPki.Issued elsewhere = pki.issueServer("pacs.example.org", "DNS:pacs.example.org");
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp());
        try (DicomServer scp = DicomServer.start(DicomServerConfig.of("TLSSCP", 0).withBindAddress("127.0.0.1")
                .withTls(new TlsSettings(elsewhere.cert(), elsewhere.key(), null, "none").serverContext()), registry)) {
            String to = "TLSSCP@127.0.0.1:" + scp.port();
            CliRun checked = CliRun.of("echo", to, "--tls-trust", pki.caCert().toString());
            assertEquals(Main.EXIT_FAILURE, checked.exitCode(), checked.out());
            assertTrue(checked.err().contains("No subject alternative names matching IP address 127.0.0.1"), checked.err());
            CliRun unchecked = CliRun.of("echo", to, "--tls-trust", pki.caCert().toString(), "--tls-no-verify-host-name");
            assertEquals(0, unchecked.exitCode(), unchecked.err());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
