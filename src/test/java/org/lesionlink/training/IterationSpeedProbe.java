package org.lesionlink.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionlink.training.loss.SegmentationLoss;
import org.lesionlink.training.nets.Networks;
import org.lesionlink.training.nets.SegResNet;
import org.lesionlink.training.nets.UNet;
import org.lesionlink.training.optim.AdamL2;
import org.lesionlink.training.optim.StatefulOptimizer;

/**
 * Time of one training iteration (forward, loss, backward, Adam step) at a size given by system
 * properties: {@code -Dprobe.size=64 -Dprobe.filters=16 -Dprobe.batch=2 -Dprobe.channels=4
 * -Dprobe.arch=segresnet -Dprobe.threads=N}. Not a test of correctness; tagged slow so CI skips it.
 */
@Tag("slow")
class IterationSpeedProbe {

    @Test
    void oneIteration() {
        int size = Integer.getInteger("probe.size", 64);
        int filters = Integer.getInteger("probe.filters", 16);
        int batch = Integer.getInteger("probe.batch", 2);
        int channels = Integer.getInteger("probe.channels", 4);
        int iterations = Integer.getInteger("probe.iterations", 3);
        String arch = System.getProperty("probe.arch", "segresnet");
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        int threads = Integer.getInteger("probe.threads", 0);
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        try (NDManager manager = engine.newBaseManager(); StatefulOptimizer opt = new AdamL2(manager, 1e-4f, 1e-5f)) {
            Networks.Network net = arch.equals("unet")
                    ? Networks.unet(UNet.Config.defaults(5, filters), 3)
                    : Networks.segResNet(SegResNet.Config.defaults(filters), 3);
            Shape shape = new Shape(batch, channels, size, size, size);
            net.initialize(manager, shape, 1);
            ParameterStore ps = new ParameterStore(manager, false);
            SegmentationLoss loss = SegmentationLoss.of("tversky-bce", SegmentationLoss.Output.SIGMOID, false);
            for (int i = 0; i <= iterations; i++) {
                long t0 = System.nanoTime();
                long t1;
                long t2;
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.randomNormal(shape);
                    NDArray y = sub.randomUniform(0, 1, new Shape(batch, 3, size, size, size)).gt(0.9).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray l = loss.compute(net.block().forward(ps, new NDList(x), true).singletonOrThrow(), y);
                        l.getFloat();
                        t1 = System.nanoTime();
                        gc.backward(l);
                    }
                    t2 = System.nanoTime();
                    opt.step(net.block().getParameters());
                    StatefulOptimizer.zeroGradients(net.block().getParameters());
                }
                long t3 = System.nanoTime();
                System.err.printf(Locale.ROOT, "%s %d^3 x%d ch, %d filters, batch %d: %s forward+loss %.2f s, backward %.2f s, step %.2f s, total %.2f s%n",
                        arch, size, channels, filters, batch, i == 0 ? "warm-up" : "iteration " + i,
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9);
            }
        }
    }
}
