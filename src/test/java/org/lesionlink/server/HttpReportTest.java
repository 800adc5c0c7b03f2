package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.server.ServerFixtures.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.testing.Peers;

/** HTTP endpoints and the per-job HTML page, the page rendered by headless Chromium. */
@Timeout(240)
class HttpReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    static Path storage;
    static LesionLinkServer server;
    static String jobId;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startAndSegment() throws Exception {
        server = LesionLinkServer.start(ServerFixtures.config(storage, ServerFixtures.models()));
        ServerFixtures.SphereCase c = ServerFixtures.sphere(32, 32, 24, new double[] {14, 17, 12}, 6);
        try (IgtlClient client = IgtlClient.connect("127.0.0.1", server.igtlPort())) {
            client.send(ImageVolumes.fromVolume(Envelope.v1("T1c"), c.image())).get();
            StringMessage report = next(client, StringMessage.class, m -> m.envelope().deviceName().equals("T1c_report"), T);
            jobId = JSON.readTree(report.text()).get("job").asText();
            next(client, StatusMessage.class, m -> m.envelope().deviceName().equals("T1c_seg"), T);
        }
        // The pages are written after the results went out.
        long deadline = System.currentTimeMillis() + 30_000;
        while (get("/jobs/" + jobId + "/report.html").statusCode() != 200) {
            assertTrue(System.currentTimeMillis() < deadline, "report.html never appeared");
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthMetricsAndJobs() throws Exception {
        HttpResponse<String> h = get("/health");
        assertEquals(200, h.statusCode());
        JsonNode health = JSON.readTree(h.body());
        assertEquals("up", health.get("status").asText());
        assertEquals(server.igtlPort(), health.at("/listeners/igtl/port").asInt());
        assertEquals("up", health.at("/listeners/igtl/status").asText(), health.toString());

        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("lesionlink_jobs{state=\"done\"} "), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.matches("lesionlink_jobs\\{state=\"done\"} [1-9]\\d*")), metrics);
        assertTrue(metrics.contains("# TYPE lesionlink_job_latency_seconds histogram"), metrics);
        assertTrue(metrics.contains("lesionlink_queue_depth 0"), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.matches("lesionlink_bytes_total\\{protocol=\"igtl\",direction=\"in\"} [1-9]\\d*")));

        JsonNode jobs = JSON.readTree(get("/jobs").body());
        assertTrue(jobs.get("jobs").toString().contains(jobId));
        JsonNode job = JSON.readTree(get("/jobs/" + jobId).body());
        assertEquals("done", job.get("state").asText());
        assertEquals(1, job.at("/report/lesionCount").asInt());
        assertTrue(job.at("/timingsMs/queued").isNumber(), job.toString());
        assertEquals(404, get("/jobs/nope").statusCode());

        String html = get("/jobs/" + jobId + "/report.html").body();
        assertTrue(html.contains(ReportPages.DISCLAIMER));
        assertTrue(html.contains("threshold-1ch"));
        assertTrue(html.contains("lesion1_axial.png"));
        HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/jobs/" + jobId + "/lesion1_axial.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("content-type").orElse(""));
    }

    /** The page in headless Chromium: the screenshot has the asked size, is not blank and shows the label colour. */
    @Test
    void reportRendersInChromium() throws Exception {
        Path chromium = Peers.requireCommand("chromium");
        Path shot = storage.resolve("report.png");
        Path profile = Files.createTempDirectory(storage, "chromium-profile");
        Peers.Result r = Peers.run(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + shot, "--window-size=1000,900",
                "http://127.0.0.1:" + server.httpPort() + "/jobs/" + jobId + "/report.html"), 120);
        assertTrue(Files.isRegularFile(shot), "no screenshot; chromium said:\n" + r.stderr());
        Files.copy(shot, Path.of("target", "serve-report-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(900, img.getHeight());
        double sum = 0, sum2 = 0;
        int overlay = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int p = img.getRGB(x, y);
                int red = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
                double lum = 0.299 * red + 0.587 * g + 0.114 * b;
                sum += lum;
                sum2 += lum * lum;
                n++;
                // #ff0000 at 50 % over the bright sphere (grey 255): (255, 127, 127).
                if (red > 230 && g > 100 && g < 150 && b > 100 && b < 150) {
                    overlay++;
                }
            }
        }
        double var = sum2 / n - (sum / n) * (sum / n);
        assertTrue(var > 100, "blank screenshot? variance " + var);
        assertTrue(overlay > 50, "label colour not visible: " + overlay + " pixels");
    }
}
