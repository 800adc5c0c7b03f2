package org.lesionlink.inference.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.PeerModels;

/** Loading, warm-up, shapes and native memory of the DJL TorchScript path, on the tiny test models. */
class DjlTilePredictorTest {

    @Test
    void predictsTheFixedShapeAndLeavesNoArraysBehind() throws Exception {
        ModelPackage pkg = ModelPackage.open(PeerModels.folder("tiny-unet"));
        try (DjlModel model = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.CPU, 2, 1))) {
            assertEquals("cpu()", model.device());
            assertEquals(2, model.folds().size());
            // The weights themselves are arrays of the model's manager; nothing else may stay.
            int baseline = model.liveArrays();
            float[] out = model.folds().get(0).predict(new float[2 * 2 * 16 * 16 * 16]);
            assertEquals(2 * 4 * 16 * 16 * 16, out.length);
            assertThrows(IllegalArgumentException.class, () -> model.folds().get(0).predict(new float[7]));
            assertEquals(baseline, model.liveArrays());
        }
    }

    /**
     * 100 consecutive small cases (one 16^3 tile each, batch 1): no NDArray may stay attached, and the
     * process's native memory (resident set minus committed JVM memory) must not keep growing. A leak of
     * the input and output alone would be about 200 kB per case, 20 MB in all.
     */
    @Test
    void memoryStaysFlatOverAHundredCases() throws Exception {
        Path weights = PeerModels.folder("tiny-unet").resolve("fold0.pt");
        try (DjlTilePredictor p = DjlTilePredictor.load(weights, "PyTorch", ai.djl.Device.cpu(),
                new int[] {16, 16, 16}, 2, 4, 1, 1)) {
            int baseline = p.liveArrays();
            Random r = new Random(1);
            float[] tile = new float[2 * 16 * 16 * 16];
            long nativeAfterWarmup = 0;
            long t0 = System.nanoTime();
            for (int c = 0; c < 100; c++) {
                for (int v = 0; v < tile.length; v++) {
                    tile[v] = (float) r.nextGaussian();
                }
                assertEquals(4 * 16 * 16 * 16, p.predict(tile).length);
                assertEquals(baseline, p.liveArrays(), "arrays left after case " + c);
                if (c == 19) {
                    nativeAfterWarmup = nativeKb();
                }
            }
            long growth = nativeKb() - nativeAfterWarmup;
            System.err.printf("100 cases in %.0f ms; native memory growth over the last 80: %d kB%n",
                    (System.nanoTime() - t0) / 1e6, growth);
            assertTrue(nativeAfterWarmup < 0 || growth < 12_000, "native memory grew by " + growth + " kB over 80 cases");
        }
    }

    @Test
    void wrongOutputChannelsAreReportedWithTheShape() throws Exception {
        Path weights = PeerModels.folder("tiny-unet").resolve("fold0.pt");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DjlTilePredictor.load(weights,
                "PyTorch", ai.djl.Device.cpu(), new int[] {16, 16, 16}, 2, 3, 1, 1).close());
        assertTrue(e.getMessage().contains("expected (1, 3, 16, 16, 16)"), e.getMessage());
    }

    @Test
    void deviceChoice() {
        assertEquals(DeviceChoice.GPU, DeviceChoice.parse(" gpu"));
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
        assertEquals(ai.djl.Device.cpu(), DjlModel.resolve(DeviceChoice.CPU, "PyTorch"));
        if (ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DjlModel.resolve(DeviceChoice.GPU, "PyTorch"));
            assertTrue(e.getMessage().contains("sees no GPU"));
            assertEquals(ai.djl.Device.cpu(), DjlModel.resolve(DeviceChoice.AUTO, "PyTorch"));
        }
    }

    /** Resident set minus committed heap and non-heap JVM memory, in kB; -1 where /proc is unavailable. */
    static long nativeKb() throws Exception {
        System.gc();
        java.lang.management.MemoryMXBean mx = java.lang.management.ManagementFactory.getMemoryMXBean();
        long jvm = (mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted()) / 1024;
        long rss = rssKb();
        return rss < 0 ? -1 : rss - jvm;
    }

    /** VmRSS of this JVM in kB, or -1 where /proc is unavailable. */
    static long rssKb() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
