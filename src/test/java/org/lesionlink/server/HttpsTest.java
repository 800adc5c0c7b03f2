package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.security.TestPki;
import org.lesionlink.testing.Peers;

/**
 * {@code security.http.tls}: serve's HTTP port speaks HTTPS only. The JDK's HTTP client (its own TLS stack and
 * host-name check) reads {@code /health} and, with the bearer token, {@code /jobs}; a plain-HTTP request and a client
 * that does not trust the CA get no answer; curl, an independent client on OpenSSL, agrees.
 */
@Timeout(120)
class HttpsTest {
    private static final String TOKEN = "0123456789abcdef-https";

    @TempDir
    Path tmp;

    @Test
    void httpPortSpeaksHttpsOnly() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"));
        Path token = Files.writeString(tmp.resolve("token"), TOKEN);
        ServerConfig base = ServerFixtures.config(tmp.resolve("storage"), tmp.resolve("no-models"));
        SecurityConfig security = base.security().withHttp(new SecurityConfig.Http(token, pki.server("none")));
        ServerConfig config = new ServerConfig(base.bindAddress(), base.igtlPort(), base.dicomPort(), base.aeTitle(),
                base.httpPort(), base.models(), base.storage(), base.dicomDestinations(), base.workers(),
                base.queueCapacity(), base.device(), base.tta(), base.threadsPerWorker(), base.studyQuietSeconds(),
                base.smoothingIterations(), base.limits(), security);
        try (LesionLinkServer server = LesionLinkServer.start(config)) {
            String https = "https://127.0.0.1:" + server.httpPort();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(pki.caCert()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create(https + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"http\""), health.body());
            assertEquals(401, trusting.send(HttpRequest.newBuilder(URI.create(https + "/jobs")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the token is still required over HTTPS");
            HttpResponse<String> jobs = trusting.send(HttpRequest.newBuilder(URI.create(https + "/jobs"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jobs.statusCode());

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest clear = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            assertThrows(java.io.IOException.class, () -> plain.send(clear, HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP to the HTTPS port");
            HttpClient untrusting = HttpClient.newBuilder().sslContext(trusting(pki.rogueCert()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> untrusting.send(
                    HttpRequest.newBuilder(URI.create(https + "/health")).build(), HttpResponse.BodyHandlers.ofString()));

            Peers.requireCommand("curl");
            Peers.Result curl = Peers.run(java.util.List.of("curl", "-sS", "--cacert", pki.caCert().toString(),
                    "-H", "Authorization: Bearer " + TOKEN, https + "/jobs"), 30);
            assertEquals(0, curl.exitCode(), curl.stderr());
            assertEquals(jobs.body(), curl.stdout(), "curl reads the same job list");
            Peers.Result curlPlain = Peers.run(java.util.List.of("curl", "-sS", "--max-time", "10",
                    "http://127.0.0.1:" + server.httpPort() + "/health"), 30);
            assertTrue(curlPlain.exitCode() != 0, "curl over plain HTTP got an answer: " + curlPlain.stdout());
        }
    }

    /** An SSL context trusting the certificates in {@code pem} only. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
