package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.NetTesting;
import org.lesionlink.security.Pseudonyms;
import org.lesionlink.security.TestPki;
import org.lesionlink.testing.Peers;

/**
 * {@code serve} (a child process, with its real logging set-up) with every security feature on, against real peers:
 * dcmtk storescu sends the phantom patient's MR series over DICOM TLS, the calling-AE allow-list refuses echoscu
 * as INTRUDER, the SEG goes over mutual TLS to dcmtk storescp, HTTP needs the bearer token. Then the audit log is
 * parsed for the events, and neither the audit log nor the server's log may contain the phantom patient's name, ID
 * or any of the study's UIDs, only their pseudonyms.
 */
@Timeout(300)
class SecureServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token-0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void secureServeAgainstDcmtkWithAuditAndNoPhiInLogs() throws Exception {
        Path storescu = Peers.requireCommand("storescu");
        Path echoscu = Peers.requireCommand("echoscu");
        Path storescp = Peers.requireCommand("storescp");
        Path models = ServerFixtures.models().toAbsolutePath();
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        Path storage = tmp.resolve("storage");
        Path series = tmp.resolve("series");
        List<Path> files = DicomFlowOrthancTest.writeSeries(series, "secure-serve");
        Attributes first = new DicomReader().read(files.get(0)).dataset();
        String patientName = first.getString(Tag.PatientName);
        String patientId = first.getString(Tag.PatientID);
        Set<String> uids = new LinkedHashSet<>();
        for (Path f : files) {
            Attributes a = new DicomReader().read(f).dataset();
            uids.addAll(List.of(a.getString(Tag.StudyInstanceUID), a.getString(Tag.SeriesInstanceUID),
                    a.getString(Tag.SOPInstanceUID)));
        }
        String study = first.getString(Tag.StudyInstanceUID);

        int destPort = NetTesting.freePort();
        int dicomPort = NetTesting.freePort();
        int tlsPort = NetTesting.freePort();
        int httpPort = NetTesting.freePort();
        Path token = tmp.resolve("http-token");
        Files.writeString(token, TOKEN + "\n");
        Map<String, Object> security = new LinkedHashMap<>();
        security.put("dicom", Map.of(
                "allowedCallingAeTitles", List.of("STORESCU@127.0.0.1", "ECHOSCU"),
                "tlsPort", tlsPort,
                "tls", Map.of("certificate", pki.serverCert().toString(), "privateKey", pki.serverKey().toString(),
                        "trustedCertificates", pki.caCert().toString(), "clientAuth", "optional"),
                "tlsDestinations", List.of("DESTSCP@127.0.0.1:" + destPort),
                "destinationTls", Map.of("trustedCertificates", pki.caCert().toString(),
                        "certificate", pki.clientCert().toString(), "privateKey", pki.clientKey().toString())));
        security.put("igtl", Map.of("allowedClients", List.of("127.0.0.1")));
        security.put("http", Map.of("bearerTokenFile", token.toString()));
        Map<String, Object> cfg = new LinkedHashMap<>(Map.of("bindAddress", "127.0.0.1", "igtlPort", 0, "httpPort", httpPort,
                "dicomPort", dicomPort, "models", models.toString(), "storage", storage.toString(), "device", "cpu",
                "studyQuietSeconds", 1.0));
        cfg.put("security", security);
        Path config = tmp.resolve("serve.json");
        Files.writeString(config, JSON.writeValueAsString(cfg));
        Path serveLog = tmp.resolve("serve.log");

        // the destination verifies our client certificate (storescp's default -rc) against the CA
        try (NetTesting.BackgroundPeer dest = NetTesting.storescp(storescp, "DESTSCP", tmp.resolve("dest"), destPort,
                "+tls", pki.serverKey().toString(), pki.serverCert().toString(), "+cf", pki.caCert().toString())) {
            Process serve = ServerFixtures.serveProcess(config, serveLog);
            try {
                ServerFixtures.awaitLog(serveLog, "DICOM LESIONLINK listening", 60_000);

                // 1. the phantom series over DICOM TLS (anonymous client: client certificates are optional here)
                List<String> send = new ArrayList<>(List.of(storescu.toString(), "-aet", "STORESCU", "-aec", "LESIONLINK",
                        "+tla", "+cf", pki.caCert().toString(), "127.0.0.1", String.valueOf(tlsPort)));
                files.forEach(f -> send.add(f.toString()));
                Peers.Result sent = Peers.run(send, 120);
                assertEquals(0, sent.exitCode(), sent.stdout() + sent.stderr());

                // 2. a calling AE not on the list, on the plain port
                Peers.Result intruder = Peers.run(List.of(echoscu.toString(), "-aet", "INTRUDER", "-aec", "LESIONLINK",
                        "127.0.0.1", String.valueOf(dicomPort)), 60);
                assertNotEquals(0, intruder.exitCode());
                assertTrue((intruder.stdout() + intruder.stderr()).contains("Calling AE Title Not Recognized"),
                        intruder.stdout() + intruder.stderr());

                // 3. HTTP: /health open, everything else behind the token
                HttpClient http = HttpClient.newHttpClient();
                assertEquals(200, get(http, httpPort, "/health", null).statusCode());
                HttpResponse<String> none = get(http, httpPort, "/jobs", null);
                assertEquals(401, none.statusCode());
                assertEquals("Bearer realm=\"lesionlink\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
                HttpResponse<String> wrong = get(http, httpPort, "/metrics", "not-the-token");
                assertEquals(401, wrong.statusCode());
                assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
                assertEquals(200, get(http, httpPort, "/jobs", TOKEN).statusCode());

                // 4. the SEG reaches the TLS destination
                long deadline = System.currentTimeMillis() + 120_000;
                Path audit = storage.resolve("audit.jsonl");
                while (!(Files.exists(audit) && Files.readString(audit).contains("\"dicom-result-sent\""))) {
                    assertTrue(System.currentTimeMillis() < deadline, "no SEG sent:\n" + Files.readString(serveLog)
                            + "\ndestination:\n" + dest.log());
                    Thread.sleep(200);
                }
                List<Path> received = NetTesting.filesUnder(tmp.resolve("dest"));
                assertEquals(1, received.size(), received.toString());
                assertEquals("SEG", new DicomReader().read(received.get(0)).dataset().getString(Tag.Modality));
            } finally {
                serve.destroy(); // SIGTERM: graceful, writes server-stopped
                serve.waitFor();
            }
        }

        // 5. the audit trail
        String log = Files.readString(serveLog);
        String auditText = Files.readString(storage.resolve("audit.jsonl"));
        System.out.println("audit log:\n" + auditText);
        List<JsonNode> events = new ArrayList<>();
        for (String line : auditText.lines().toList()) {
            events.add(JSON.readTree(line));
        }
        String p = Pseudonyms.loadOrCreate(storage.resolve("pseudonym.key")).uid(study);
        JsonNode started = one(events, "server-started");
        assertEquals(tlsPort, started.get("dicomTlsPort").asInt());
        JsonNode accepted = one(events, "dicom-association-accepted");
        assertEquals("STORESCU", accepted.get("callingAe").asText());
        assertTrue(accepted.get("tls").asBoolean());
        JsonNode refused = one(events, "dicom-association-refused");
        assertEquals("INTRUDER", refused.get("callingAe").asText());
        assertFalse(refused.get("tls").asBoolean());
        assertEquals("rejected-permanent, service user: calling AE title not recognized", refused.get("reason").asText());
        JsonNode received = one(events, "dicom-study-received");
        assertEquals(p, received.get("study").asText());
        assertEquals(files.size(), received.get("instances").asInt());
        JsonNode job = one(events, "job-finished");
        assertEquals("done", job.get("state").asText());
        assertEquals("dicom", job.get("source").asText());
        JsonNode result = one(events, "dicom-result-sent");
        assertEquals(p, result.get("study").asText());
        assertEquals("DESTSCP@127.0.0.1:" + destPort, result.get("destination").asText());
        assertTrue(result.get("tls").asBoolean());
        assertEquals(2, events.stream().filter(e -> e.get("event").asText().equals("http-refused")).count());
        one(events, "server-stopped");

        // 6. no patient identifiers, no UIDs of the study: only pseudonyms
        for (String leak : List.of(patientName, patientName.split("\\^")[0], patientId)) {
            assertFalse(log.contains(leak), "server log names the patient: " + leak);
            assertFalse(auditText.contains(leak), "audit log names the patient: " + leak);
        }
        for (String uid : uids) {
            assertFalse(log.contains(uid), "server log holds UID " + uid);
            assertFalse(auditText.contains(uid), "audit log holds UID " + uid);
        }
        assertTrue(log.contains("study " + p), "the server log names the study by its pseudonym:\n" + log);
    }

    private static JsonNode one(List<JsonNode> events, String name) {
        List<JsonNode> found = events.stream().filter(e -> e.get("event").asText().equals(name)).toList();
        assertEquals(1, found.size(), name + " in " + events);
        return found.get(0);
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
