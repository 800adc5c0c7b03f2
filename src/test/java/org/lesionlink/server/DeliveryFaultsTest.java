package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.NetTesting;
import org.lesionlink.testing.Peers;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, result delivery when the destination PACS is down (dcmtk's storescp as the destination, started late,
 * {@code +uf} so that every delivery is its own file): serve keeps retrying with growing delays and delivers the SEG
 * once when the destination comes back; and a serve killed with SIGKILL after the SEG was written but before it
 * could be delivered sends that stored SEG after the restart, once, without segmenting again.
 */
@Timeout(240)
class DeliveryFaultsTest {
    @TempDir
    Path tmp;

    /** Collects the "sending SEG ... failed (attempt N)" warnings of DicomFlow with their times. */
    static final class AttemptLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        final List<Long> failures = new CopyOnWriteArrayList<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(DicomFlow.class);

        AttemptLog() {
            setContext(logger.getLoggerContext());
            start();
            logger.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getFormattedMessage().contains("sending SEG to")) {
                failures.add(e.getTimeStamp());
            }
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }

    @Test
    void destinationDownRetriesWithBackoffUntilItReturns() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        Path models = ServerFixtures.models();
        int destPort = DicomFlowOrthancTest.freePort();
        ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), models).with(Map.of("dicomPort", 0,
                "dicomDestinations", List.of("DEST@127.0.0.1:" + destPort), "studyQuietSeconds", 1.0));
        List<Path> files = FaultTesting.series(tmp.resolve("send"), "destination-down", 0);
        try (AttemptLog attempts = new AttemptLog(); LesionLinkServer server = LesionLinkServer.start(cfg)) {
            FaultTesting.StoreRun run = FaultTesting.storescu(server.dicomPort(), "LESIONLINK", files, 60);
            assertEquals(files.size(), run.succeeded().size(), run.output());
            Path journal = cfg.storage().resolve("dicom/journal.jsonl");
            long deadline = System.currentTimeMillis() + 90_000;
            while (attempts.failures.size() < 3) { // attempts at about 0, 1 and 3 s after the SEG was written
                assertTrue(System.currentTimeMillis() < deadline, "no failed attempts logged; journal:\n" + read(journal));
                Thread.sleep(50);
            }
            assertTrue(!read(journal).contains("\"event\":\"sent\""), read(journal));
            try (NetTesting.BackgroundPeer dest = NetTesting.storescp(storescp, "DEST", tmp.resolve("dest"), destPort, "+uf")) {
                while (!read(journal).contains("\"event\":\"sent\"")) {
                    assertTrue(System.currentTimeMillis() < deadline, "never delivered; journal:\n" + read(journal) + dest.log());
                    Thread.sleep(100);
                }
                Thread.sleep(2000); // nothing more may arrive
                List<Long> t = attempts.failures;
                System.out.printf("destination down: %d failed attempts, then delivered; gaps %s ms%n", t.size(), gaps(t));
                for (int i = 1; i < t.size() && i < 6; i++) { // delays of 1 s, 2 s, 4 s, ... (a loaded machine adds to them)
                    assertTrue(t.get(i) - t.get(i - 1) >= 900L << (i - 1), "no backoff: " + gaps(t));
                }
                assertOneSeg(tmp.resolve("dest"), files.get(0));
                assertEquals(1, read(journal).lines().filter(l -> l.contains("\"event\":\"sent\"")).count(), read(journal));
            }
        }
    }

    @Test
    void killedBeforeDeliverySendsTheStoredSegOnceAfterRestart() throws Exception {
        Path storescp = Peers.requireCommand("storescp");
        Path models = ServerFixtures.models().toAbsolutePath();
        int port = DicomFlowOrthancTest.freePort();
        int destPort = DicomFlowOrthancTest.freePort();
        Path storage = tmp.resolve("storage");
        Path config = FaultTesting.serveConfig(tmp.resolve("serve.json"), Map.of("bindAddress", "127.0.0.1", "igtlPort", 0,
                "httpPort", -1, "dicomPort", port, "models", models.toString(), "storage", storage.toString(), "device", "cpu",
                "studyQuietSeconds", 1.0, "dicomDestinations", List.of("DEST@127.0.0.1:" + destPort)));
        Path journal = storage.resolve("dicom/journal.jsonl");
        List<Path> files = FaultTesting.series(tmp.resolve("send"), "kill-before-delivery", 0);
        try (FaultTesting.ServeProcess first = FaultTesting.ServeProcess.start(config, tmp.resolve("serve1.log"))) {
            first.awaitLog("DICOM LESIONLINK listening", 60_000);
            FaultTesting.StoreRun run = FaultTesting.storescu(port, "LESIONLINK", files, 60);
            assertEquals(files.size(), run.succeeded().size(), run.output());
            first.awaitLog("sending SEG to DEST", 90_000); // written, journaled, first attempt failed: destination down
            first.kill9();
        }
        String before = read(journal);
        assertTrue(before.contains("\"event\":\"segmented\"") && !before.contains("\"event\":\"sent\""), before);
        try (NetTesting.BackgroundPeer dest = NetTesting.storescp(storescp, "DEST", tmp.resolve("dest"), destPort, "+uf");
                FaultTesting.ServeProcess second = FaultTesting.ServeProcess.start(config, tmp.resolve("serve2.log"))) {
            long deadline = System.currentTimeMillis() + 90_000;
            while (!read(journal).contains("\"event\":\"sent\"")) {
                assertTrue(System.currentTimeMillis() < deadline, "never delivered:\n" + second.log());
                Thread.sleep(100);
            }
            Thread.sleep(3000); // nothing more may arrive
            assertOneSeg(tmp.resolve("dest"), files.get(0));
            String after = read(journal);
            assertEquals(1, after.lines().filter(l -> l.contains("\"event\":\"queued\"")).count(), "segmented again:\n" + after);
            assertEquals(1, after.lines().filter(l -> l.contains("\"event\":\"sent\"")).count(), after);
            assertTrue(second.log().contains("not yet sent to"), second.log());
        }
    }

    /** The destination received exactly one instance: a SEG of the study. */
    private static void assertOneSeg(Path destDir, Path sourceFile) throws Exception {
        List<Path> received = FaultTesting.filesUnder(destDir);
        assertEquals(1, received.size(), "deliveries: " + received);
        Attributes seg = new DicomReader().read(received.get(0)).dataset();
        assertEquals(UID.SegmentationStorage, seg.getString(Tag.SOPClassUID));
        assertEquals(new DicomReader().read(sourceFile).dataset().getString(Tag.StudyInstanceUID),
                seg.getString(Tag.StudyInstanceUID));
    }

    private static String read(Path f) throws java.io.IOException {
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private static List<Long> gaps(List<Long> t) {
        List<Long> g = new ArrayList<>();
        for (int i = 1; i < t.size(); i++) {
            g.add(t.get(i) - t.get(i - 1));
        }
        return g;
    }
}
