package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.server.ServerFixtures.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;

/**
 * Start-up and shutdown of {@code serve}: models are loaded before the listeners open (the first job does not
 * pay the load), {@code /health} reports each listener and each model truthfully and answers non-200 when one
 * is down or failed, and a graceful stop refuses new connections first, lets the running job finish and
 * send its results, and only then closes.
 */
@Timeout(300)
class ServeLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration T = Duration.ofSeconds(240);

    @TempDir
    Path tmp;

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void modelsArePreloadedAndHealthReportsEachListener() throws Exception {
        ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), ServerFixtures.models()).with(Map.of("dicomPort", 0));
        try (LesionLinkServer server = LesionLinkServer.start(cfg)) {
            HttpResponse<String> res = get(server.httpPort(), "/health");
            JsonNode h = JSON.readTree(res.body());
            assertEquals(200, res.statusCode(), res.body());
            assertEquals("up", h.get("status").asText());
            assertEquals(server.igtlPort(), h.at("/listeners/igtl/port").asInt());
            assertEquals(server.dicomPort(), h.at("/listeners/dicom/port").asInt());
            assertEquals(server.httpPort(), h.at("/listeners/http/port").asInt());
            for (String l : new String[] {"igtl", "dicom", "http"}) {
                assertEquals("up", h.at("/listeners/" + l + "/status").asText(), res.body());
            }
            // No job has run: every model is already resident on the one worker.
            assertEquals(0, server.queue().jobs().size());
            assertEquals(server.catalog().packages().size(), h.get("models").size());
            assertTrue(h.get("models").size() >= 2, res.body());
            for (JsonNode m : h.get("models")) {
                assertEquals("loaded", m.get("status").asText(), res.body());
                assertEquals("[0]", m.get("loadedOnWorkers").toString(), res.body());
            }
        }
    }

    @Test
    void healthIsDegradedWhenAListenerIsOffOrAModelFailsToLoad() throws Exception {
        // A copy of the shipped spine model whose weights are not a parameter file: it scans, but cannot load.
        Path models = tmp.resolve("models");
        Path broken = models.resolve("spine-mets-demo");
        Files.createDirectories(broken);
        try (Stream<Path> files = Files.list(DefaultModelFixtures.models().resolve("spine-mets-demo"))) {
            for (Path f : files.toList()) {
                Files.copy(f, broken.resolve(f.getFileName()));
            }
        }
        Files.writeString(broken.resolve("fold0.params"), "not a parameter file");
        ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), models);
        try (LesionLinkServer server = LesionLinkServer.start(cfg)) {
            HttpResponse<String> res = get(server.httpPort(), "/health");
            JsonNode h = JSON.readTree(res.body());
            assertEquals(503, res.statusCode(), res.body());
            assertEquals("degraded", h.get("status").asText());
            assertEquals("off", h.at("/listeners/dicom/status").asText(), "DICOM is configured off: " + res.body());
            assertEquals(-1, h.at("/listeners/dicom/port").asInt());
            assertEquals("up", h.at("/listeners/igtl/status").asText());
            JsonNode m = h.get("models").get(0);
            assertEquals("spine-mets-demo", m.get("name").asText());
            assertEquals("failed", m.get("status").asText(), res.body());
            assertFalse(m.get("error").asText().isBlank(), res.body());
            assertEquals(0, m.get("loadedOnWorkers").size());
        }
    }

    @Test
    void gracefulStopRefusesNewConnectionsAndFinishesTheRunningJob() throws Exception {
        // The default brain model on a 96^3 four-channel case: 64 tiles, several seconds of inference, so the
        // job is still running while the stop begins.
        ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), DefaultModelFixtures.models()).with(Map.of("dicomPort", 0));
        LesionLinkServer server = LesionLinkServer.start(cfg);
        CompletableFuture<Void> closing = null;
        try (IgtlClient client = IgtlClient.connect("127.0.0.1", server.igtlPort())) {
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "Model {\"model\": \"" + DefaultModelFixtures.BRAIN + "\"}")).get();
            JsonNode ack = JSON.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_1"), T).text());
            assertEquals("SUCCESS", ack.get("status").asText(), ack.toString());
            ServerFixtures.SphereCase c = ServerFixtures.sphere(96, 96, 96, new double[] {48, 48, 48}, 10);
            for (String ch : DefaultModelFixtures.brainChannels()) {
                client.send(ImageVolumes.fromVolume(Envelope.v1(ch), c.image())).get();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (server.queue().runningCount() == 0) {
                assertTrue(System.nanoTime() < deadline, "no job started: " + server.queue().jobs());
                Thread.sleep(20);
            }
            int igtlPort = server.igtlPort();
            int dicomPort = server.dicomPort();
            closing = CompletableFuture.runAsync(server::close);
            // Listeners stop accepting at once; HTTP stays up and says so while the job runs.
            awaitRefused(igtlPort);
            awaitRefused(dicomPort);
            HttpResponse<String> res = get(server.httpPort(), "/health");
            JsonNode h = JSON.readTree(res.body());
            assertEquals(1, h.get("running").asInt(), "the job still runs: " + res.body());
            assertEquals(503, res.statusCode(), res.body());
            assertEquals("stopping", h.get("status").asText());
            assertEquals("down", h.at("/listeners/igtl/status").asText(), res.body());
            assertEquals("down", h.at("/listeners/dicom/status").asText(), res.body());
            assertFalse(closing.isDone(), "close waits for the running job");
            // The running job's results still arrive on the connection already open.
            ImageMessage seg = next(client, ImageMessage.class, m -> m.envelope().deviceName().equals("t1_seg"), T);
            assertEquals(96, seg.size().i());
            StatusMessage done = next(client, StatusMessage.class, m -> m.envelope().deviceName().equals("t1_seg"), T);
            assertEquals(StatusCode.OK.code(), done.code(), done.message());
            closing.get(120, TimeUnit.SECONDS);
            assertEquals("done", server.queue().jobs().get(0).state().id());
        } finally {
            if (closing == null) {
                server.close();
            }
        }
    }

    /** Connecting to {@code port} is refused (within 10 s of the stop beginning). */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                // e.g. a connection reset by a listener that is closing: try again
            }
            assertTrue(System.nanoTime() < deadline, "port " + port + " still accepts connections");
            Thread.sleep(50);
        }
    }
}
