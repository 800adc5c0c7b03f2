package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.phantom.PhantomCase;
import org.lesionlink.testing.Peers;
import org.lesionlink.testing.LabelOverlap;

/**
 * End to end with the embedded default brain model and the real reference library:
 * {@code src/test/cpp/igtl_case_client.cxx}, built with g++ against Debian's libOpenIGTLink 1.11 (header
 * version 1), sends a brain phantom's four channels (int16, oblique grid at the model's 2 mm) as IMAGEs to
 * {@code serve} running on the repository's {@code models/} folder, and receives the labelmap with the
 * library's CRC check. The labelmap must come back on the sent grid, and its whole-tumour Dice against the
 * phantom truth must pass {@link DefaultModelFixtures#BRAIN_WT_DICE_FLOOR}. Unlike ServeReferenceClientTest
 * (threshold model, plumbing), this checks that the default model, its channel order and the geometry survive
 * the trip. Takes about a minute on 2 cores (phantom ~10 s, inference ~15-40 s depending on load).
 */
@Timeout(600)
class ServeDefaultModelIgtlTest {
    private static final Path SOURCE = Path.of("src/test/cpp/igtl_case_client.cxx");
    private static final Pattern SUMMARY = Pattern.compile(
            "SUMMARY crcfail=(\\d+) ack=(.*) image=(\\d+)x(\\d+)x(\\d+) type=(-?\\d+) spacing=(\\S+) matrix=(\\S+) status_code=(-?\\d+) status=(.*)");

    @TempDir
    Path tmp;

    @Test
    void referenceClientSendsABrainPhantomAndGetsItsLesions() throws Exception {
        Peers.requireFile(Path.of("/usr/include/openigtlink/igtlMessageBase.h"), "libopenigtlink-dev 1.11 headers");
        Path gxx = Peers.requireCommand("g++");
        Path client = compile(gxx);
        PhantomCase c = DefaultModelFixtures.brainCase();
        Geometry g = c.labels().geometry();
        List<String> channels = DefaultModelFixtures.brainChannels();

        StringBuilder spec = new StringBuilder();
        spec.append("model ").append(DefaultModelFixtures.BRAIN).append('\n');
        spec.append(String.format(Locale.ROOT, "dims %d %d %d%n", g.dim(0), g.dim(1), g.dim(2)));
        spec.append(String.format(Locale.ROOT, "spacing %.9g %.9g %.9g%n", g.spacing(0), g.spacing(1), g.spacing(2)));
        double[] sent = matrix(g);
        spec.append("matrix");
        for (double v : sent) {
            spec.append(String.format(Locale.ROOT, " %.9g", v));
        }
        spec.append('\n');
        for (String ch : channels) {
            Volume v = c.image(ch);
            assertEquals(DataType.INT16, v.type(), "the phantom writes int16 channels");
            Path raw = tmp.resolve(ch + ".raw");
            try (FileChannel f = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                f.write(v.data(0));
            }
            spec.append("channel ").append(ch).append(' ').append(raw).append('\n');
        }
        Path caseFile = tmp.resolve("case.txt");
        Files.writeString(caseFile, spec);

        Path out = tmp.resolve("seg.raw");
        String stdout;
        ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), DefaultModelFixtures.models());
        try (LesionLinkServer server = LesionLinkServer.start(cfg)) {
            Peers.Result res = Peers.run(List.of(client.toString(), "127.0.0.1", String.valueOf(server.igtlPort()),
                    caseFile.toString(), out.toString()), 480);
            stdout = res.stdoutOrFail(List.of(client.toString()));
            Job job = server.queue().jobs().get(0);
            assertEquals(DefaultModelFixtures.BRAIN, job.model(), "the Model command chose the brain model");
            System.err.println("serve with " + DefaultModelFixtures.BRAIN + " on the brain phantom: timings " + job.timingsMs());
        }
        Matcher m = SUMMARY.matcher(stdout.lines().filter(l -> l.startsWith("SUMMARY")).findFirst().orElse(""));
        assertTrue(m.matches(), stdout);
        assertEquals("0", m.group(1), "CRC failures:\n" + stdout);
        assertTrue(m.group(2).contains("\"status\":\"SUCCESS\""), "Model command acknowledged:\n" + stdout);
        assertEquals(List.of(g.dim(0), g.dim(1), g.dim(2)),
                List.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))), stdout);
        assertEquals("3", m.group(6), "uint8 labelmap:\n" + stdout);
        assertEquals("1", m.group(9), "STATUS OK:\n" + stdout);
        assertTrue(m.group(10).startsWith("done: "), stdout);
        String[] spacing = m.group(7).split(",");
        String[] matrix = m.group(8).split(",");
        for (int a = 0; a < 3; a++) {
            assertEquals(g.spacing(a), Double.parseDouble(spacing[a]), 1e-3, "labelmap spacing " + m.group(7));
        }
        for (int i = 0; i < 12; i++) {
            assertEquals(sent[i], Double.parseDouble(matrix[i]), i < 9 ? 1e-3 : 1e-2, "labelmap matrix " + m.group(8));
        }

        byte[] labels = Files.readAllBytes(out);
        byte[] truth = LabelOverlap.bytes(c.labels());
        assertEquals(truth.length, labels.length);
        double wt = LabelOverlap.dice(labels, truth, 1, 2, 3);
        System.err.printf(Locale.ROOT, "serve over IGTL, %s on phantom seed %d: WT Dice %.3f, TC %.3f, ET %.3f%n",
                DefaultModelFixtures.BRAIN, DefaultModelFixtures.SEED, wt, LabelOverlap.dice(labels, truth, 1, 3),
                LabelOverlap.dice(labels, truth, 3));
        assertTrue(wt > DefaultModelFixtures.BRAIN_WT_DICE_FLOOR, "WT Dice " + wt);
    }

    /** The i, j, k unit axes and the volume's centre in RAS, as the 1.11 library's matrix columns. */
    private static double[] matrix(Geometry g) {
        double[][] d = g.direction();
        double[] centre = g.centre();
        List<Double> out = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 3; r++) {
                out.add(d[r][c]);
            }
        }
        for (double v : centre) {
            out.add(v);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Path compile(Path gxx) throws Exception {
        Path dir = Path.of("target", "igtl-case-client");
        Files.createDirectories(dir);
        Path client = dir.resolve("igtl_case_client");
        if (!Files.exists(client) || Files.getLastModifiedTime(client).compareTo(Files.getLastModifiedTime(SOURCE)) < 0) {
            Peers.run(List.of(gxx.toString(), "-std=c++11", "-O1", "-I/usr/include/openigtlink", SOURCE.toString(), "-o",
                    client.toString(), "-lOpenIGTLink"), 180).stdoutOrFail(List.of("g++", SOURCE.toString()));
        }
        return client;
    }
}
