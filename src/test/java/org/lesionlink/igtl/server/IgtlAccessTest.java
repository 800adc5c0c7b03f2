package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.igtl.server.ServerTesting.PATIENCE;
import static org.lesionlink.igtl.server.ServerTesting.await;
import static org.lesionlink.igtl.server.ServerTesting.client;
import static org.lesionlink.igtl.server.ServerTesting.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.security.AddressAllowList;
import org.lesionlink.security.TestPki;
import org.lesionlink.testing.Peers;

/**
 * OpenIGTLink over TLS with a Python client (the ssl module; the reference library has no TLS), with and without
 * client certificates, and the client address allow-list. The monitor must hear of every session and refusal.
 */
@Timeout(120)
class IgtlAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IgtlService NOTHING = (session, m) -> { };

    @TempDir
    static Path pkiDir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws IOException {
        pki = TestPki.create(pkiDir);
    }

    record Heard(List<String> opened, List<String> refused) implements ConnectionMonitor {
        Heard() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }

        @Override
        public void opened(IgtlSession session, boolean tls) {
            opened.add("session " + session.id() + " tls=" + tls);
        }

        @Override
        public void refused(SocketAddress remote, boolean tls, String reason) {
            refused.add("tls=" + tls + ": " + reason);
        }
    }

    private static JsonNode ping(IgtlServer server, String... tls) throws IOException {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", String.valueOf(server.port())));
        args.addAll(List.of(tls));
        return JSON.readTree(Peers.runPythonScript("peers/igtl_tls_ping.py", args, 60));
    }

    @Test
    void pythonClientOverTlsAndPlainClientRefused() throws Exception {
        Heard heard = new Heard();
        try (IgtlServer server = IgtlServer.start(loopback().tls(pki.server("none").serverContext()).monitor(heard).build(),
                NOTHING)) {
            JsonNode ok = ping(server, pki.caCert().toString());
            assertEquals(0x01, ok.path("status").asInt(-1), ok.toString()); // STATUS OK answers GET_STATUS
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(ok.path("tls").asText()), ok.toString());
            await("session opened", () -> heard.opened().size() == 1);
            assertEquals("session 1 tls=true", heard.opened().get(0));

            JsonNode plain = ping(server, "plain"); // OpenIGTLink in the clear to the TLS port
            assertTrue(plain.has("error"), plain.toString());
            JsonNode untrusted = ping(server, pki.rogueCert().toString()); // server not signed by what the client trusts
            assertTrue(untrusted.has("error"), untrusted.toString());
            await("two refusals", () -> heard.refused().size() == 2);
            assertTrue(heard.refused().get(0).startsWith("tls=true: TLS handshake failed: not a TLS record"),
                    heard.refused().toString());
            assertTrue(heard.refused().get(1).startsWith("tls=true: TLS handshake failed"), heard.refused().toString());
            assertEquals(1, heard.opened().size(), "refused clients never became sessions");
            await("sessions closed", () -> server.sessions().isEmpty());
        }
    }

    @Test
    void mutualTlsRequiresATrustedClientCertificate() throws Exception {
        Heard heard = new Heard();
        try (IgtlServer server = IgtlServer.start(loopback().tls(pki.server("required").serverContext()).monitor(heard)
                .build(), NOTHING)) {
            JsonNode ok = ping(server, pki.caCert().toString(), pki.clientCert().toString(), pki.clientKey().toString());
            assertEquals(0x01, ok.path("status").asInt(-1), ok.toString());
            JsonNode noCert = ping(server, pki.caCert().toString());
            assertTrue(noCert.has("error"), noCert.toString());
            JsonNode rogue = ping(server, pki.caCert().toString(), pki.rogueCert().toString(), pki.rogueKey().toString());
            assertTrue(rogue.has("error"), rogue.toString());
            await("two refusals", () -> heard.refused().size() == 2);
            assertEquals(1, heard.opened().size(), heard.toString());
        }
    }

    @Test
    void addressAllowList() throws Exception {
        Heard heard = new Heard();
        AddressAllowList elsewhere = AddressAllowList.of(List.of("10.0.0.0/8", "fd00::/8"));
        try (IgtlServer server = IgtlServer.start(loopback().clientFilter(elsewhere::allows).monitor(heard).build(),
                NOTHING)) {
            try (IgtlClient c = client(server)) {
                // closed at once, without a session: a GET_STATUS gets no answer and the connection ends
                c.send(new GetQuery(Envelope.v1("PING"), "GET_STATUS"));
                assertThrows(IOException.class, () -> c.receive(StatusMessage.class, PATIENCE));
            }
            await("refusal", () -> heard.refused().size() == 1);
            assertEquals("tls=false: address not allowed", heard.refused().get(0));
            assertTrue(heard.opened().isEmpty());
        }
        AddressAllowList loopbackOnly = AddressAllowList.of(List.of("127.0.0.0/8"));
        try (IgtlServer server = IgtlServer.start(loopback().clientFilter(loopbackOnly::allows).monitor(heard).build(),
                NOTHING); IgtlClient c = client(server)) {
            c.send(new GetQuery(Envelope.v1("PING"), "GET_STATUS"));
            StatusMessage s;
            do { // keep-alive STATUS (empty device name) may come first
                s = c.receive(StatusMessage.class, PATIENCE);
            } while (s.deviceName().isEmpty());
            assertEquals("PING", s.deviceName());
            assertEquals(1, heard.opened().size());
        }
    }
}
