package org.lesionlink.training.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blocks DJL 0.32 lacks, each against its closed form written out in plain Java loops. */
class BlocksTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 2 + 1);
        }
        return x;
    }

    private float[] run(Block b, float[] x, Shape shape) {
        b.initialize(manager, DataType.FLOAT32, shape);
        NDArray in = manager.create(x, shape);
        return b.forward(new ParameterStore(manager, false), new NDList(in), false).singletonOrThrow().toFloatArray();
    }

    @Test
    void groupNormMatchesItsDefinition() {
        // N=2, C=4, 3x2x2 voxels, 2 groups of 2 channels: each (sample, group) is normalised over 2 * 12 values.
        int n = 2, c = 4, v = 12, groups = 2;
        float[] x = random(n * c * v, 1);
        float[] y = run(GroupNorm.of(groups), x, new Shape(n, c, 3, 2, 2));
        for (int s = 0; s < n; s++) {
            for (int g = 0; g < groups; g++) {
                int from = (s * c + g * 2) * v;
                int to = from + 2 * v;
                double mean = 0;
                for (int i = from; i < to; i++) {
                    mean += x[i];
                }
                mean /= 2 * v;
                double var = 0;
                for (int i = from; i < to; i++) {
                    var += (x[i] - mean) * (x[i] - mean);
                }
                var /= 2 * v; // biased, as PyTorch's group_norm
                for (int i = from; i < to; i++) {
                    assertEquals((x[i] - mean) / Math.sqrt(var + 1e-5), y[i], 1e-5, "voxel " + i);
                }
            }
        }
    }

    @Test
    void instanceNormNormalisesEachChannelAlone() {
        int n = 1, c = 3, v = 8;
        float[] x = random(n * c * v, 2);
        float[] y = run(GroupNorm.instance(), x, new Shape(n, c, 2, 2, 2));
        for (int ch = 0; ch < c; ch++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < v; i++) {
                mean += y[ch * v + i];
                sq += y[ch * v + i] * y[ch * v + i];
            }
            assertEquals(0, mean / v, 1e-5);
            assertEquals(1, sq / v, 1e-3); // var / (var + eps) with var ~ 4
        }
    }

    @Test
    void fusedNormsMatchTheComposedFormulaAndItsGradients() {
        // Batch 2, non-trivial scale and shift: forward values and the gradients of sum(y * r) with respect to
        // the input, gamma and beta agree with the mean/variance formula written out in NDArray operations.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        for (int groups : new int[] {-1, 2}) {
            int n = 2, c = 4;
            Shape shape = new Shape(n, c, 3, 2, 2);
            float[] x = random((int) shape.size(), 3);
            float[] r = random((int) shape.size(), 4);
            GroupNorm block = groups < 0 ? GroupNorm.instance() : GroupNorm.of(groups);
            block.initialize(manager, DataType.FLOAT32, shape);
            NDArray gammaArr = block.getParameters().get("gamma").getArray();
            NDArray betaArr = block.getParameters().get("beta").getArray();
            gammaArr.set(manager.create(new float[] {0.5f, 2f, -1f, 1.5f}).toFloatArray());
            betaArr.set(manager.create(new float[] {0.1f, -0.2f, 0.3f, 0f}).toFloatArray());
            float[][] fused = new float[4][];
            float[][] composed = new float[4][];
            for (int pass = 0; pass < 2; pass++) {
                float[][] outArr = pass == 0 ? fused : composed;
                try (NDManager sub = manager.newSubManager()) {
                    NDArray in = sub.create(x, shape);
                    in.setRequiresGradient(true);
                    NDArray weights = sub.create(r, shape);
                    try (ai.djl.training.GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray y;
                        if (pass == 0) {
                            y = block.forward(new ParameterStore(sub, false), new NDList(in), true).singletonOrThrow();
                        } else {
                            int g = groups < 0 ? c : groups;
                            NDArray xg = in.reshape(n, g, -1);
                            NDArray centred = xg.sub(xg.mean(new int[] {2}, true));
                            NDArray var = centred.square().mean(new int[] {2}, true);
                            y = centred.div(var.add(GroupNorm.EPS).sqrt()).reshape(shape)
                                    .mul(gammaArr.reshape(1, c, 1, 1, 1)).add(betaArr.reshape(1, c, 1, 1, 1));
                        }
                        outArr[0] = y.toFloatArray();
                        gc.backward(y.mul(weights).sum());
                    }
                    outArr[1] = in.getGradient().toFloatArray();
                    outArr[2] = gammaArr.getGradient().toFloatArray();
                    outArr[3] = betaArr.getGradient().toFloatArray();
                    gammaArr.getGradient().subi(gammaArr.getGradient());
                    betaArr.getGradient().subi(betaArr.getGradient());
                }
            }
            String[] what = {"output", "input gradient", "gamma gradient", "beta gradient"};
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(composed[k], fused[k], 2e-4f, what[k] + " (groups " + groups + ")");
            }
            assertTrue(Math.abs(fused[2][1]) > 1e-3, "gamma receives a gradient");
        }
    }

    @Test
    void groupNormRejectsChannelsItCannotSplit() {
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.of(3).initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2, 2)));
    }

    @Test
    void nearestUpsamplingRepeatsEveryVoxel() {
        float[] x = random(2 * 3 * 4, 3); // (1, 1, 2, 3, 4)
        float[] y = run(new Upsample(Upsample.Mode.NEAREST), x, new Shape(1, 1, 2, 3, 4));
        for (int d = 0; d < 4; d++) {
            for (int h = 0; h < 6; h++) {
                for (int w = 0; w < 8; w++) {
                    assertEquals(x[(d / 2 * 3 + h / 2) * 4 + w / 2], y[(d * 6 + h) * 8 + w], 0);
                }
            }
        }
    }

    /** Linear x2 with half-voxel alignment along one axis: source coordinate (o + 0.5) / 2 - 0.5, clamped. */
    private static double[] weights(int o, int n) {
        double src = Math.max((o + 0.5) / 2 - 0.5, 0);
        int i0 = Math.min((int) Math.floor(src), n - 1);
        int i1 = Math.min(i0 + 1, n - 1);
        double t = src - i0;
        return new double[] {i0, i1, 1 - t, t};
    }

    @Test
    void trilinearUpsamplingMatchesHalfVoxelInterpolation() {
        int[] s = {2, 3, 4}; // D, H, W
        float[] x = random(2 * 2 * 3 * 4, 4); // (1, 2, 2, 3, 4)
        float[] y = run(new Upsample(Upsample.Mode.TRILINEAR), x, new Shape(1, 2, s[0], s[1], s[2]));
        for (int c = 0; c < 2; c++) {
            for (int d = 0; d < 2 * s[0]; d++) {
                for (int h = 0; h < 2 * s[1]; h++) {
                    for (int w = 0; w < 2 * s[2]; w++) {
                        double[] wd = weights(d, s[0]);
                        double[] wh = weights(h, s[1]);
                        double[] ww = weights(w, s[2]);
                        double expected = 0;
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                for (int e = 0; e < 2; e++) {
                                    int i = c * 24 + ((int) wd[a] * 3 + (int) wh[b]) * 4 + (int) ww[e];
                                    expected += wd[2 + a] * wh[2 + b] * ww[2 + e] * x[i];
                                }
                            }
                        }
                        assertEquals(expected, y[c * 192 + (d * 6 + h) * 8 + w], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void transposedConvolutionMatchesTheScatterSum() {
        int in = 3, out = 2, n = 2;
        int[] s = {2, 1, 3};
        TransposedConv t = new TransposedConv(out);
        t.setInitializer(new HeInitializer(5, 0), Parameter.Type.WEIGHT);
        Shape shape = new Shape(n, in, s[0], s[1], s[2]);
        float[] x = random(n * in * s[0] * s[1] * s[2], 6);
        t.initialize(manager, DataType.FLOAT32, shape);
        float[] bias = {0.5f, -1.25f};
        t.getDirectParameters().get("bias").getArray().set(bias);
        float[] weight = t.getParameters().stream().filter(p -> p.getKey().endsWith("weight")).findFirst().orElseThrow()
                .getValue().getArray().toFloatArray(); // (8 out, in, 1, 1, 1)
        float[] y = t.forward(new ParameterStore(manager, false), new NDList(manager.create(x, shape)), false)
                .singletonOrThrow().toFloatArray();
        int od = 2 * s[0], oh = 2 * s[1], ow = 2 * s[2];
        for (int sample = 0; sample < n; sample++) {
            for (int o = 0; o < out; o++) {
                for (int z = 0; z < od; z++) {
                    for (int h = 0; h < oh; h++) {
                        for (int w = 0; w < ow; w++) {
                            // out[o, 2d+a, 2h+b, 2w+c] = bias[o] + sum_i x[i, d, h, w] * W[i, o, a, b, c]
                            int kernel = 8 * o + 4 * (z % 2) + 2 * (h % 2) + (w % 2);
                            double expected = bias[o];
                            for (int i = 0; i < in; i++) {
                                int xi = (((sample * in + i) * s[0] + z / 2) * s[1] + h / 2) * s[2] + w / 2;
                                expected += x[xi] * weight[kernel * in + i];
                            }
                            int yi = (((sample * out + o) * od + z) * oh + h) * ow + w;
                            assertEquals(expected, y[yi], 1e-5);
                        }
                    }
                }
            }
        }
    }

    @Test
    void heInitialisationIsSeededAndScaled() {
        NDArray a = new HeInitializer(7, 0).initialize(manager, new Shape(64, 32, 3, 3, 3), DataType.FLOAT32);
        NDArray b = new HeInitializer(7, 0).initialize(manager, new Shape(64, 32, 3, 3, 3), DataType.FLOAT32);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        double std = Math.sqrt(a.square().mean().getFloat());
        assertEquals(Math.sqrt(2.0 / (32 * 27)), std, 0.002);
    }

    @Test
    void networksKeepTheInputSizeAndCountTheirParameters() {
        for (String arch : new String[] {Networks.SEGRESNET, Networks.UNET}) {
            Networks.Network net = arch.equals(Networks.SEGRESNET)
                    ? Networks.build(arch, Map.of("initFilters", 4, "groups", 2), 3)
                    : Networks.build(arch, Map.of("stages", 3, "initFilters", 4), 4);
            Shape shape = new Shape(2, 4, 16, 16, 8);
            net.initialize(manager, shape, 1);
            NDArray y = net.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(shape)), false).singletonOrThrow();
            assertEquals(new Shape(2, arch.equals(Networks.SEGRESNET) ? 3 : 4, 16, 16, 8), y.getShape(), arch);
            assertTrue(net.block().getParameters().size() > 10, arch);
        }
    }

    @Test
    void segResNetParameterCountFollowsFromItsLayout() {
        // initFilters 4, blocks (1,2,2,4)/(1,1,1), 2 groups, 1 input, 2 outputs. Conv weights without bias:
        // convInit 4*1*27 = 108; res blocks (2 convs c*c*27 + 2 norms 2c): width 4: 1 down + 1 up = 2 blocks,
        // width 8: 2 + 1, width 16: 2 + 1, width 32: 4.  Res block params = 54c^2 + 4c.
        // Strided convs: 8*4*27 + 16*8*27 + 32*16*27 = 864 + 3456 + 13824. Up 1x1 convs: 16*32 + 8*16 + 4*8 = 672.
        // Head: norm 2*4 + conv 2*4 + bias 2 = 18.
        long res = 2 * (54L * 16 + 16) + 3 * (54L * 64 + 32) + 3 * (54L * 256 + 64) + 4 * (54L * 1024 + 128);
        long expected = 108 + res + 864 + 3456 + 13824 + 672 + 18;
        Networks.Network net = Networks.build(Networks.SEGRESNET, Map.of("initFilters", 4, "groups", 2), 2);
        net.initialize(manager, new Shape(1, 1, 8, 8, 8), 1);
        long count = net.block().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertEquals(expected, count);
    }

    @Test
    void badHyperParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Networks.build(Networks.SEGRESNET, Map.of("initFilters", 4, "groups", 3), 2));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Networks.build("vnet", Map.of(), 2));
        assertTrue(e.getMessage().contains("unknown architecture 'vnet'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Networks.build(Networks.UNET, Map.of("stages", 3, "initFilters", 4, "depth", 2), 2));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
    }
}
