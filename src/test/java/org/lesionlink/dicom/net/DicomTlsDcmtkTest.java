package org.lesionlink.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.StoreScu;
import org.lesionlink.dicom.net.dimse.StoredInstance;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import org.lesionlink.security.CallingAeAllowList;
import org.lesionlink.security.TestPki;
import org.lesionlink.security.TlsSettings;
import org.lesionlink.testing.Peers;

/**
 * DICOM over TLS (PS3.15 Annex B) and the calling-AE allow-list against dcmtk 3.6.7 built with OpenSSL: echoscu and
 * storescu {@code +tls} (default BCP 195 non-downgrading profile) to our TLS acceptor, with and without client
 * certificates; our TLS requestor to {@code storescp +tls}. Every refusal must reach the monitor with its reason.
 */
@Timeout(180)
class DicomTlsDcmtkTest {

    @TempDir
    static Path pkiDir;
    static TestPki pki;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pki() throws IOException {
        pki = TestPki.create(pkiDir);
    }

    /** What the monitor heard. */
    record Heard(List<String> accepted, List<String> refused) implements AssociationMonitor {
        Heard() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }

        @Override
        public void accepted(Association as, boolean tls) {
            accepted.add(as.callingAeTitle() + " tls=" + tls);
        }

        @Override
        public void refused(SocketAddress remote, String callingAe, String calledAe, boolean tls, String reason) {
            refused.add(callingAe + " tls=" + tls + ": " + reason);
        }
    }

    record TlsScp(DicomServer server, List<StoredInstance> stored, Heard heard) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private TlsScp start(String clientAuth, List<String> allowed) throws IOException {
        return start(pki.server(clientAuth), allowed);
    }

    private TlsScp start(TlsSettings tls, List<String> allowed) throws IOException {
        List<StoredInstance> stored = new CopyOnWriteArrayList<>();
        CStoreScp store = new CStoreScp(tmp.resolve("store"), PresentationContextPolicy.DEFAULT_STORAGE, stored::add);
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp()).register(store)
                .setStorageFallback(store);
        Heard heard = new Heard();
        DicomServerConfig cfg = DicomServerConfig.of("LESIONLINK", 0).withBindAddress("127.0.0.1")
                .withPolicy(AcceptorPolicy.defaults().withCallingAeFilter(CallingAeAllowList.of(allowed)))
                .withTls(tls.serverContext()).withMonitor(heard);
        return new TlsScp(DicomServer.start(cfg, registry), stored, heard);
    }

    private static List<String> echoscu(String callingAe, int port, String... tls) {
        List<String> cmd = new ArrayList<>(List.of(Peers.requireCommand("echoscu").toString(), "-v", "-aet", callingAe,
                "-aec", "LESIONLINK"));
        cmd.addAll(List.of(tls));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(port)));
        return cmd;
    }

    /** Waits for the monitor: it hears of a refusal on the network thread, after the peer may have exited. */
    private static void await(List<String> list, int n) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (list.size() < n && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    void echoscuAndStorescuOverTlsWithClientCertificates() throws Exception {
        Path mr = Peers.requireFile(NetTesting.PYDICOM_FILES.resolve("MR_small.dcm"), "pydicom test files");
        try (TlsScp scp = start("required", List.of())) {
            String[] mutual = {"+tls", pki.clientKey().toString(), pki.clientCert().toString(), "+cf", pki.caCert().toString()};
            Peers.Result echo = Peers.run(echoscu("ECHOSCU", scp.server().port(), mutual), 60);
            assertEquals(0, echo.exitCode(), echo.stdout() + echo.stderr());
            assertTrue((echo.stdout() + echo.stderr()).contains("Received Echo Response (Success)"), echo.stderr());

            List<String> store = new ArrayList<>(List.of(Peers.requireCommand("storescu").toString(), "-v", "-aet", "STORESCU",
                    "-aec", "LESIONLINK"));
            store.addAll(List.of(mutual));
            store.addAll(List.of("127.0.0.1", String.valueOf(scp.server().port()), mr.toString()));
            Peers.Result r = Peers.run(store, 60);
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertEquals(1, scp.stored().size());
            assertArrayEquals(NetTesting.canonical(mr), NetTesting.canonical(scp.stored().get(0).file()));
            await(scp.heard().accepted(), 2);
            assertEquals(List.of("ECHOSCU tls=true", "STORESCU tls=true"), scp.heard().accepted());

            // No client certificate while one is required: the handshake fails, nothing is associated.
            Peers.Result anonymous = Peers.run(echoscu("ECHOSCU", scp.server().port(), "+tla", "+cf",
                    pki.caCert().toString()), 60);
            assertNotEquals(0, anonymous.exitCode(), anonymous.stdout());
            // A client certificate no one signed: refused too.
            Peers.Result rogue = Peers.run(echoscu("ECHOSCU", scp.server().port(), "+tls", pki.rogueKey().toString(),
                    pki.rogueCert().toString(), "+cf", pki.caCert().toString()), 60);
            assertNotEquals(0, rogue.exitCode(), rogue.stdout());
            // Plain TCP to the TLS port: no association either.
            Peers.Result plain = Peers.run(echoscu("ECHOSCU", scp.server().port()), 60);
            assertNotEquals(0, plain.exitCode(), plain.stdout());
            await(scp.heard().refused(), 3);
            assertEquals(3, scp.heard().refused().size(), scp.heard().refused().toString());
            for (String why : scp.heard().refused()) {
                assertTrue(why.startsWith("null tls=true: TLS handshake failed"), why);
            }
            assertEquals(2, scp.heard().accepted().size());
        }
    }

    @Test
    void serverOnlyTlsAndCallingAeAllowList() throws Exception {
        try (TlsScp scp = start("none", List.of("ECHOSCU@127.0.0.1", "OTHER@10.0.0.0/8"))) {
            String[] tls = {"+tla", "+cf", pki.caCert().toString()}; // no client certificate: not asked for
            Peers.Result ok = Peers.run(echoscu("ECHOSCU", scp.server().port(), tls), 60);
            assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());

            Peers.Result unknown = Peers.run(echoscu("INTRUDER", scp.server().port(), tls), 60);
            assertNotEquals(0, unknown.exitCode());
            assertTrue((unknown.stdout() + unknown.stderr()).contains("Calling AE Title Not Recognized"),
                    unknown.stdout() + unknown.stderr());
            // Known title, wrong host: the same answer (the peer is not told which failed).
            Peers.Result wrongHost = Peers.run(echoscu("OTHER", scp.server().port(), tls), 60);
            assertTrue((wrongHost.stdout() + wrongHost.stderr()).contains("Calling AE Title Not Recognized"),
                    wrongHost.stdout() + wrongHost.stderr());

            // dcmtk does not trust a server whose certificate no trusted CA signed
            Peers.Result untrusted = Peers.run(echoscu("ECHOSCU", scp.server().port(), "+tla", "+cf",
                    pki.rogueCert().toString()), 60);
            assertNotEquals(0, untrusted.exitCode());

            await(scp.heard().refused(), 3);
            List<String> refused = scp.heard().refused();
            assertTrue(refused.contains("INTRUDER tls=true: rejected-permanent, service user: calling AE title not recognized"),
                    refused.toString());
            assertTrue(refused.contains("OTHER tls=true: rejected-permanent, service user: calling AE title not recognized"),
                    refused.toString());
            assertEquals(List.of("ECHOSCU tls=true"), scp.heard().accepted());
        }
    }

    @Test
    void ourScuStoresOverTlsToStorescp() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        Path mr = Peers.requireFile(NetTesting.PYDICOM_FILES.resolve("MR_small.dcm"), "pydicom test files");
        int port = NetTesting.freePort();
        Path out = tmp.resolve("storescp");
        // storescp requires and verifies our client certificate (its default -rc) against the CA.
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", out, port, "+tls",
                pki.serverKey().toString(), pki.serverCert().toString(), "+cf", pki.caCert().toString());
                DicomClient mutual = new DicomClient(AssociationSettings.of("LESIONLINK"), pki.client(true).clientContext());
                DicomClient noCert = new DicomClient(AssociationSettings.of("LESIONLINK"), pki.client(false).clientContext());
                DicomClient wrongTrust = new DicomClient(AssociationSettings.of("LESIONLINK"),
                        new TlsSettings(null, null, pki.rogueCert(), "none").clientContext())) {
            StoreScu.Instance i = StoreScu.probe(mr);
            Association as = mutual.open("127.0.0.1", port, "STORESCP", StoreScu.presentationContexts(List.of(i)));
            assertEquals(0, StoreScu.store(as, i).status());
            as.release();
            Path received = NetTesting.filesUnder(out).stream().filter(p -> p.getFileName().toString().endsWith(i.sopInstanceUid()))
                    .findFirst().orElseThrow(() -> new AssertionError("storescp did not store it\n" + peer.log()));
            assertArrayEquals(NetTesting.canonical(mr), NetTesting.canonical(received));

            List<PresentationContextRq> echo = List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian));
            IOException untrusted = assertThrows(IOException.class, () -> wrongTrust.open("127.0.0.1", port, "STORESCP", echo));
            assertTrue(untrusted.getMessage().startsWith("TLS handshake with 127.0.0.1:" + port + " failed"),
                    untrusted.getMessage());
            assertThrows(IOException.class, () -> noCert.open("127.0.0.1", port, "STORESCP", echo),
                    "storescp requires a client certificate");
        }
    }

    @Test
    void aServerKeyEncryptedWithItsPasswordFileServesEchoscu() throws Exception {
        TestPki.EncryptedKey key = pki.encryptedServerKey("correct horse battery staple");
        try (TlsScp scp = start(new TlsSettings(pki.serverCert(), key.key(), null, "none", key.passwordFile(), true), List.of())) {
            Peers.Result echo = Peers.run(echoscu("ECHOSCU", scp.server().port(), "+tla", "+cf", pki.caCert().toString()), 60);
            assertEquals(0, echo.exitCode(), echo.stdout() + echo.stderr());
            assertEquals(List.of("ECHOSCU tls=true"), scp.heard().accepted());
        }
    }

    @Test
    void ourScuRefusesAServerCertificateThatDoesNotNameTheHost() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        Path mr = Peers.requireFile(NetTesting.PYDICOM_FILES.resolve("MR_small.dcm"), "pydicom test files");
        TestPki.Issued elsewhere = pki.issueServer("pacs.example.org", "DNS:pacs.example.org");
        int port = NetTesting.freePort();
        Path out = tmp.resolve("storescp");
        // A certificate our CA issued, but to another host: trusted chain, wrong name.
        try (NetTesting.BackgroundPeer peer = NetTesting.storescp(storescp, "STORESCP", out, port, "+tls",
                elsewhere.key().toString(), elsewhere.cert().toString(), "-ic");
                DicomClient checking = new DicomClient(AssociationSettings.of("LESIONLINK"), pki.client(false).clientContext());
                DicomClient notChecking = new DicomClient(AssociationSettings.of("LESIONLINK"),
                        new TlsSettings(null, null, pki.caCert(), "none", null, false).clientContext())) {
            StoreScu.Instance i = StoreScu.probe(mr);
            List<PresentationContextRq> pcs = StoreScu.presentationContexts(List.of(i));
            IOException refused = assertThrows(IOException.class, () -> checking.open("127.0.0.1", port, "STORESCP", pcs));
            assertTrue(refused.getMessage().startsWith("TLS handshake with 127.0.0.1:" + port + " failed"), refused.getMessage());
            // The JDK's words (sun.security.util.HostnameChecker).
            assertTrue(refused.getMessage().contains("No subject alternative names matching IP address 127.0.0.1 found"),
                    refused.getMessage());

            Association as = notChecking.open("127.0.0.1", port, "STORESCP", pcs);
            assertEquals(0, StoreScu.store(as, i).status(), peer.log());
            as.release();
        }
    }
}
