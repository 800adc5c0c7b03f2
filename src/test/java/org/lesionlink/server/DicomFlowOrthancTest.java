package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.OrthancPeer;
import org.lesionlink.dicom.seg.SegmentationReader;
import org.lesionlink.dicom.volume.AssembledSeries;
import org.lesionlink.dicom.volume.DicomScanner;
import org.lesionlink.dicom.volume.VolumeAssembler;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * The PACS flow against a real Orthanc: Orthanc C-STOREs a bright-sphere MR series (written with our DICOM
 * writer) to serve; after the quiet period serve segments it and C-STOREs a DICOM SEG back; the SEG is found
 * over Orthanc's REST API and decodes (SegmentationReader) to the truth. Then the crash case: serve runs as a
 * child process, is killed with SIGKILL as soon as the journal shows the job queued, is restarted, and
 * exactly one SEG arrives.
 */
@Timeout(300)
class DicomFlowOrthancTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int NX = 32, NY = 28, NZ = 16;
    static final double[] C = {15, 13, 8};
    static final double R = 5;

    @TempDir
    Path tmp;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The sphere series on disk; returns the files. */
    static List<Path> writeSeries(Path dir, String seed) throws IOException {
        Geometry g = Geometry.axisAligned(new int[] {NX, NY, NZ}, new double[] {2, 2, 2}, new double[] {-30, -30, -10});
        SyntheticMrSeries s = SyntheticMrSeries.of(g, seed);
        for (int k = 0; k < NZ; k++) {
            Attributes a = s.slices().get(k);
            ByteBuffer px = ByteBuffer.allocate(NX * NY * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    px.putShort((short) (inside(i, j, k) ? 400 : 100));
                }
            }
            a.setBytes(Tag.PixelData, VR.OW, px.array());
        }
        Files.createDirectories(dir);
        return s.write(dir);
    }

    static boolean inside(int i, int j, int k) {
        double dx = i - C[0], dy = j - C[1], dz = k - C[2];
        return dx * dx + dy * dy + dz * dz <= R * R;
    }

    static String uploadAndPush(OrthancPeer orthanc, List<Path> files) throws Exception {
        String study = null;
        for (Path f : files) {
            JsonNode r = null;
            for (int attempt = 1; r == null; attempt++) {
                try {
                    r = orthanc.postBytes("/instances", Files.readAllBytes(f));
                } catch (IOException e) { // Orthanc on a loaded machine sometimes drops a fresh HTTP connection
                    if (attempt == 3) {
                        throw e;
                    }
                    Thread.sleep(1000);
                }
            }
            study = r.get("ParentStudy").asText();
        }
        return study;
    }

    /** SEG instances in Orthanc (Orthanc ids). */
    static List<String> segInstances(OrthancPeer orthanc) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode s : orthanc.get("/series?expand")) {
            if ("SEG".equals(s.at("/MainDicomTags/Modality").asText())) {
                s.get("Instances").forEach(i -> out.add(i.asText()));
            }
        }
        return out;
    }

    static List<String> awaitSeg(OrthancPeer orthanc, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            List<String> segs = segInstances(orthanc);
            if (!segs.isEmpty()) {
                return segs;
            }
            Thread.sleep(250);
        }
        return List.of();
    }

    static void checkSeg(OrthancPeer orthanc, String instance, Path seriesDir) throws Exception {
        Attributes seg = new DicomReader().read(orthanc.getBytes("/instances/" + instance + "/file"), "orthanc SEG").dataset();
        AssembledSeries src = new VolumeAssembler().assemble(DicomScanner.scan(seriesDir).instances());
        Volume labels = SegmentationReader.toLabelmap(seg, src.volume().geometry(), "orthanc SEG");
        Geometry g = labels.geometry();
        assertEquals(NX, g.dim(0));
        long inter = 0, a = 0, b = 0;
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    boolean x = labels.value(0, i, j, k) != 0;
                    boolean y = inside(i, j, k);
                    a += x ? 1 : 0;
                    b += y ? 1 : 0;
                    inter += x && y ? 1 : 0;
                }
            }
        }
        assertEquals(1.0, 2.0 * inter / (a + b), 1e-9, "SEG from Orthanc vs truth");
    }

    @Test
    void orthancPushesASeriesAndGetsASeg() throws Exception {
        Path models = ServerFixtures.models();
        int servePort = freePort();
        try (OrthancPeer orthanc = OrthancPeer.start(tmp.resolve("orthanc"),
                List.of(new OrthancPeer.Modality("lesionlink", "LESIONLINK", servePort)))) {
            Path seriesDir = tmp.resolve("series");
            String study = uploadAndPush(orthanc, writeSeries(seriesDir, "serve-dicom-1"));
            ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), models).with(Map.of("dicomPort", servePort,
                    "dicomDestinations", List.of("ORTHANC@127.0.0.1:" + orthanc.dicomPort()), "studyQuietSeconds", 1.0));
            try (LesionLinkServer server = LesionLinkServer.start(cfg)) {
                orthanc.post("/modalities/lesionlink/store", study);
                List<String> segs = awaitSeg(orthanc, 90_000);
                assertEquals(1, segs.size(), "one SEG in Orthanc; log:\n" + orthanc.log());
                checkSeg(orthanc, segs.get(0), seriesDir);
                Job job = server.queue().jobs().stream().filter(j -> j.source() == Job.Source.DICOM).findFirst().orElseThrow();
                assertEquals(Job.State.DONE, job.state());
                Path page = cfg.storage().resolve("jobs").resolve(job.id()).resolve("report.html");
                long deadline = System.currentTimeMillis() + 20_000;
                while (!Files.isRegularFile(page)) { // written after the results went out
                    assertTrue(System.currentTimeMillis() < deadline, "no " + page);
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void killedDuringAPacsJobDeliversExactlyOneSegAfterRestart() throws Exception {
        Path models = ServerFixtures.models().toAbsolutePath();
        int servePort = freePort();
        Path storage = tmp.resolve("storage");
        try (OrthancPeer orthanc = OrthancPeer.start(tmp.resolve("orthanc"),
                List.of(new OrthancPeer.Modality("lesionlink", "LESIONLINK", servePort)))) {
            Path seriesDir = tmp.resolve("series");
            String study = uploadAndPush(orthanc, writeSeries(seriesDir, "serve-dicom-kill"));
            Path config = tmp.resolve("serve.json");
            Files.writeString(config, JSON.writeValueAsString(Map.of("bindAddress", "127.0.0.1", "igtlPort", 0, "httpPort", 0,
                    "dicomPort", servePort, "models", models.toString(), "storage", storage.toString(), "device", "cpu",
                    "studyQuietSeconds", 1.0, "dicomDestinations", List.of("ORTHANC@127.0.0.1:" + orthanc.dicomPort()))));
            Path journal = storage.resolve("dicom").resolve("journal.jsonl");

            Process first = ServerFixtures.serveProcess(config, tmp.resolve("serve1.log"));
            try {
                ServerFixtures.awaitLog(tmp.resolve("serve1.log"), "DICOM LESIONLINK listening", 60_000);
                orthanc.post("/modalities/lesionlink/store", study);
                long deadline = System.currentTimeMillis() + 60_000;
                while (!(Files.exists(journal) && Files.readString(journal).contains("\"event\":\"queued\""))) {
                    assertTrue(System.currentTimeMillis() < deadline, "no job queued:\n" + Files.readString(tmp.resolve("serve1.log")));
                    Thread.sleep(10);
                }
            } finally {
                first.destroyForcibly(); // SIGKILL
                first.waitFor();
            }
            String before = Files.readString(journal);
            System.out.println("journal when killed:\n" + before);
            Process second = ServerFixtures.serveProcess(config, tmp.resolve("serve2.log"));
            try {
                List<String> segs = awaitSeg(orthanc, 90_000);
                assertNotNull(segs);
                long deadline = System.currentTimeMillis() + 60_000;
                while (!Files.readString(journal).contains("\"event\":\"sent\"")) {
                    assertTrue(System.currentTimeMillis() < deadline, "never sent:\n" + Files.readString(tmp.resolve("serve2.log")));
                    Thread.sleep(100);
                }
                Thread.sleep(3000); // nothing more may arrive
                segs = segInstances(orthanc);
                assertEquals(1, segs.size(), "exactly one SEG; journal before the kill:\n" + before + "\nafter:\n"
                        + Files.readString(journal));
                long sent = Files.readString(journal).lines().filter(l -> l.contains("\"event\":\"sent\"")).count();
                assertEquals(1, sent, Files.readString(journal));
                checkSeg(orthanc, segs.get(0), seriesDir);
            } finally {
                second.destroy(); // SIGTERM: graceful
                second.waitFor();
            }
        }
    }
}
