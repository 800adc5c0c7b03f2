package org.lesionlink.dicom.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.lesionlink.testing.Peers;

/**
 * A throw-away Orthanc (Debian's {@code orthanc} package) for interop tests: a generated JSON configuration in a
 * temporary directory, free loopback ports, REST without authentication from localhost, C-ECHO/C-STORE from anyone,
 * and the given modalities registered (Orthanc only serves C-FIND/C-MOVE to registered AEs, and only moves to them).
 * Started in the foreground as a child process and stopped by its own PID (SIGTERM; Orthanc needs a few seconds).
 */
public final class OrthancPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetTesting.BackgroundPeer process;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancPeer(NetTesting.BackgroundPeer process, int httpPort, int dicomPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
    }

    /** A remote modality as Orthanc's configuration names it. */
    public record Modality(String name, String aeTitle, int port) {
    }

    /** Starts Orthanc with AE title {@code ORTHANC}; requires the binary (skip by hand, fail in CI). */
    public static OrthancPeer start(Path dir, List<Modality> modalities) throws IOException, InterruptedException {
        Path bin = Peers.requireCommand(Peers.findCommand("Orthanc").isPresent() ? "Orthanc" : "/usr/sbin/Orthanc");
        int httpPort = NetTesting.freePort();
        int dicomPort = NetTesting.freePort();
        Files.createDirectories(dir.resolve("db"));
        ObjectNode c = JSON.createObjectNode();
        c.put("Name", "LesionLinkTestOrthanc");
        c.put("StorageDirectory", dir.resolve("db").toString());
        c.put("IndexDirectory", dir.resolve("db").toString());
        c.put("HttpServerEnabled", true);
        c.put("HttpPort", httpPort);
        c.put("RemoteAccessAllowed", false);
        c.put("AuthenticationEnabled", false);
        // Orthanc closes idle keep-alive connections after ~1 s; Java's HttpClient may pick such a pooled
        // connection just as it closes ("header parser received no bytes"): one connection per request instead.
        c.put("KeepAlive", false);
        c.put("DicomServerEnabled", true);
        c.put("DicomAet", "ORTHANC");
        c.put("DicomPort", dicomPort);
        c.put("DicomCheckCalledAet", false);
        c.put("DicomAlwaysAllowEcho", true);
        c.put("DicomAlwaysAllowStore", true);
        c.put("UnknownSopClassAccepted", true);
        c.put("OverwriteInstances", true);
        c.put("WebDavEnabled", false);
        c.put("DicomScuTimeout", 10);
        c.put("StableAge", 2);
        c.put("SaveJobs", false);
        c.putArray("Plugins");
        ObjectNode mods = c.putObject("DicomModalities");
        for (Modality m : modalities) {
            ObjectNode o = mods.putObject(m.name());
            o.put("AET", m.aeTitle());
            o.put("Host", "127.0.0.1");
            o.put("Port", m.port());
        }
        Path config = dir.resolve("orthanc.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), c);
        NetTesting.BackgroundPeer p = NetTesting.BackgroundPeer.start(
                List.of(bin.toString(), config.toString()), dir.resolve("orthanc.log"), Map.of());
        OrthancPeer o = new OrthancPeer(p, httpPort, dicomPort);
        try {
            p.awaitPort(dicomPort, 30_000);
            p.awaitPort(httpPort, 30_000);
            o.get("/system");
        } catch (IOException | InterruptedException | RuntimeException e) {
            o.close();
            throw e;
        }
        return o;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public String log() {
        return process.log();
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " -> HTTP " + r.statusCode());
        }
        return r.body();
    }

    public JsonNode post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public JsonNode postBytes(String path, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpRequest rq = b.timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> r = http.send(rq, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(rq.method() + " " + rq.uri() + " -> HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    @Override
    public void close() {
        process.close();
    }
}
