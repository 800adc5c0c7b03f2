package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.testing.Peers;

/**
 * Issue 12, kill -9 during storage: dcmtk's storescu sends a series of 256 KiB instances to {@code lesionlink serve}
 * (a child JVM), which is killed with SIGKILL while the association runs. After a restart on the same storage,
 * every instance storescu saw acknowledged is on disk with the data set it sent (SHA-256); the one in flight was not
 * acknowledged and left no file in the study folder; the partial temporary file is gone; and the sender's retry of
 * what was not acknowledged completes the study with no duplicate.
 */
@Timeout(240)
class StorageCrashTest {
    private static final int INSTANCES = 48;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedInstanceSurvivesSigkill() throws Exception {
        Peers.requireCommand("storescu");
        int port = DicomFlowOrthancTest.freePort();
        Path storage = tmp.resolve("storage");
        Path models = Files.createDirectories(tmp.resolve("no-models"));
        Path config = FaultTesting.serveConfig(tmp.resolve("serve.json"), Map.of("bindAddress", "127.0.0.1", "igtlPort", 0,
                "httpPort", -1, "dicomPort", port, "models", models.toString(), "storage", storage.toString(),
                "device", "cpu", "studyQuietSeconds", 3600.0));
        Path incoming = storage.resolve("dicom").resolve("incoming");

        List<Path> files = new ArrayList<>();
        Map<Path, String> sentHash = new HashMap<>();
        Map<Path, String> sopOf = new HashMap<>();
        // three studies of 16 instances, each ~256 KiB: long enough an association to be killed in the middle
        for (int s = 0; s < 3; s++) {
            files.addAll(FaultTesting.series(tmp.resolve("send").resolve("s" + s), "crash-storage-" + s, 256 << 10));
        }
        files = files.subList(0, INSTANCES);
        for (Path f : files) {
            sentHash.put(f, FaultTesting.datasetSha256(f));
            sopOf.put(f, new DicomReader().read(f).dataset().getString(Tag.SOPInstanceUID));
        }

        FaultTesting.StoreRun run;
        try (FaultTesting.ServeProcess first = FaultTesting.ServeProcess.start(config, tmp.resolve("serve1.log"))) {
            first.awaitLog("DICOM LESIONLINK listening", 60_000);
            List<Path> toSend = files;
            CompletableFuture<FaultTesting.StoreRun> sending = CompletableFuture.supplyAsync(() -> {
                try {
                    return FaultTesting.storescu(port, "LESIONLINK", toSend, 120);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // kill once a third of the instances are stored, while the association is busy with the next ones
            long deadline = System.currentTimeMillis() + 120_000;
            while (countDcm(incoming) < INSTANCES / 3 || !hasPart(incoming)) { // in the middle of an instance
                assertTrue(System.currentTimeMillis() < deadline, "storage too slow:\n" + first.log());
                assertFalse(sending.isDone(), "storescu ended before the kill: " + (sending.isDone() ? sending.get().output() : ""));
                Thread.sleep(5);
            }
            first.kill9();
            run = sending.get(150, TimeUnit.SECONDS);
        }
        List<Path> acked = run.succeeded();
        System.out.printf("kill -9 during storage: %d of %d instances acknowledged before the kill%n", acked.size(), INSTANCES);
        assertTrue(acked.size() >= INSTANCES / 3 - 1 && acked.size() < INSTANCES, "acknowledged: " + acked.size() + "\n" + run.output());
        assertEquals(acked.size(), run.responses().size(), "only success statuses before the kill:\n" + run.output());
        assertTrue(run.output().contains("Sending file: " + files.get(acked.size())),
                "the next instance was in flight when the server died:\n" + run.output());

        long partsLeft = FaultTesting.filesUnder(incoming).stream().filter(p -> p.toString().endsWith(".part")).count();
        System.out.printf("partial temporary files left by the kill: %d%n", partsLeft);
        try (FaultTesting.ServeProcess second = FaultTesting.ServeProcess.start(config, tmp.resolve("serve2.log"))) {
            second.awaitLog("DICOM LESIONLINK listening", 60_000);
            if (partsLeft > 0) {
                assertTrue(second.log().contains("deleted " + partsLeft + " partial instance"), second.log());
            }
            List<Path> onDisk = FaultTesting.filesUnder(incoming);
            // the temporary file of the instance in flight was deleted at the start
            assertTrue(onDisk.stream().noneMatch(p -> p.getFileName().toString().endsWith(".part")), onDisk.toString());
            Map<String, Path> bySop = new HashMap<>();
            for (Path p : onDisk) {
                bySop.put(p.getFileName().toString().replaceFirst("\\.dcm$", ""), p);
            }
            for (Path f : acked) {
                Path stored = bySop.get(CStoreScp.safeName(sopOf.get(f)));
                assertTrue(stored != null, "acknowledged instance lost: " + f);
                assertEquals(sentHash.get(f), FaultTesting.datasetSha256(stored), "acknowledged instance changed: " + f);
            }
            // at most the instance in flight may be on disk unacknowledged (stored, answer lost), and then whole
            assertTrue(onDisk.size() <= acked.size() + 1, onDisk.size() + " files for " + acked.size() + " acknowledged");
            for (Path p : onDisk) {
                Path sent = files.stream().filter(f -> p.getFileName().toString().equals(CStoreScp.safeName(sopOf.get(f)) + ".dcm"))
                        .findFirst().orElseThrow(() -> new AssertionError("a file nobody sent: " + p));
                assertEquals(sentHash.get(sent), FaultTesting.datasetSha256(p), "partial or corrupt file in the study folder: " + p);
            }

            // the sender retries what was not acknowledged: the study is complete, every instance once
            List<Path> rest = files.stream().filter(f -> !acked.contains(f)).toList();
            FaultTesting.StoreRun retry = FaultTesting.storescu(port, "LESIONLINK", rest, 120);
            assertEquals(rest.size(), retry.succeeded().size(), retry.output());
            onDisk = FaultTesting.filesUnder(incoming);
            assertEquals(INSTANCES, onDisk.size(), onDisk.toString());
            for (Path f : files) {
                Path stored = incoming.resolve(CStoreScp.safeName(new DicomReader().read(f).dataset().getString(Tag.StudyInstanceUID)))
                        .resolve(CStoreScp.safeName(new DicomReader().read(f).dataset().getString(Tag.SeriesInstanceUID)))
                        .resolve(CStoreScp.safeName(sopOf.get(f)) + ".dcm");
                assertEquals(sentHash.get(f), FaultTesting.datasetSha256(stored), f.toString());
            }
        }
    }

    private static boolean hasPart(Path dir) throws java.io.IOException {
        return FaultTesting.filesUnder(dir).stream().anyMatch(p -> p.toString().endsWith(".part"));
    }

    private static long countDcm(Path dir) throws java.io.IOException {
        return FaultTesting.filesUnder(dir).stream().filter(p -> p.toString().endsWith(".dcm")).count();
    }
}
