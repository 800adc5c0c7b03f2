package org.lesionlink.inference.djl;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Not a test: times one fold's tile calls through DJL, for the settings study in docs/benchmarks.md.
 * {@code java -cp ... TileTimingProbe WEIGHTS TILE CIN COUT BATCH CALLS}, with the DJL system properties
 * under study ({@code ai.djl.pytorch.graph_optimizer}, {@code ai.djl.pytorch.num_threads},
 * {@code ai.djl.pytorch.num_interop_threads}) on the command line. Prints the first call after loading,
 * then median and 90th percentile of the rest, in ms.
 */
public final class TileTimingProbe {
    private TileTimingProbe() {}

    public static void main(String[] args) throws Exception {
        Path weights = Path.of(args[0]);
        int t = Integer.parseInt(args[1]);
        int cin = Integer.parseInt(args[2]);
        int cout = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int calls = Integer.parseInt(args[5]);
        long l0 = System.nanoTime();
        try (DjlTilePredictor p = DjlTilePredictor.load(weights, "PyTorch", ai.djl.Device.cpu(), new int[] {t, t, t},
                cin, cout, batch, 1)) {
            long l1 = System.nanoTime();
            Random r = new Random(1);
            float[] in = new float[batch * cin * t * t * t];
            double[] ms = new double[calls];
            for (int c = 0; c < calls; c++) {
                for (int v = 0; v < in.length; v++) {
                    in[v] = (float) r.nextGaussian();
                }
                long a = System.nanoTime();
                p.predict(in);
                ms[c] = (System.nanoTime() - a) / 1e6;
            }
            double first = ms[0];
            double[] rest = Arrays.copyOfRange(ms, 1, calls);
            Arrays.sort(rest);
            System.out.printf("load+warmup %.0f ms; first call %.1f ms; median %.1f ms; p90 %.1f ms; min %.1f ms (graph_optimizer=%s num_threads=%s interop=%s)%n",
                    (l1 - l0) / 1e6, first, rest[rest.length / 2], rest[(int) (rest.length * 0.9)], rest[0],
                    System.getProperty("ai.djl.pytorch.graph_optimizer"), System.getProperty("ai.djl.pytorch.num_threads"),
                    System.getProperty("ai.djl.pytorch.num_interop_threads"));
        }
    }
}
