package org.lesionlink.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One and two steps of each optimizer against the update rule worked out by hand. */
class OptimizersTest {

    private NDManager manager;
    private Parameter param;
    private PairList<String, Parameter> params;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
        // As Trainer does: updates run outside the gradient collector. PyTorch's grad mode is per thread and the
        // engine only turns it off on the thread that first loaded it, which is not this one when another test
        // (e.g. a server worker) loaded the engine first.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        param = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        NDArray w = manager.create(new float[] {1, -2});
        w.setRequiresGradient(true);
        param.setArray(w);
        params = new PairList<>();
        params.add("w", param);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Sets the gradient of w to (0.5, 0.25): d/dw sum(w * c) = c. */
    private void gradient() {
        StatefulOptimizer.zeroGradients(params);
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(param.getArray().mul(manager.create(new float[] {0.5f, 0.25f})).sum());
            scope.suppressNotUsedWarning();
        }
    }

    private float[] w() {
        return param.getArray().toFloatArray();
    }

    @Test
    void nesterovSgdFollowsPyTorchsRule() {
        try (NesterovSgd sgd = new NesterovSgd(manager, 0.1f, 0.9f, 0.01f)) {
            // step 1: g = c + 0.01 w = (0.51, 0.23); b = g; w -= 0.1 (g + 0.9 b) = 0.1 (0.969, 0.437)
            //         w = (0.9031, -2.0437)
            gradient();
            sgd.step(params);
            assertArrayEquals(new float[] {0.9031f, -2.0437f}, w(), 1e-6f);
            // step 2: g = c + 0.01 w = (0.509031, 0.229563); b = 0.9 (0.51, 0.23) + g = (0.968031, 0.436563)
            //         g + 0.9 b = (1.3802589, 0.6224697); w = (0.76507411, -2.10594697)
            gradient();
            sgd.step(params);
            assertArrayEquals(new float[] {0.76507411f, -2.10594697f}, w(), 1e-6f);
        }
    }

    @Test
    void adamFollowsPyTorchsRule() {
        try (AdamL2 adam = new AdamL2(manager, 0.1f, 0.01f)) {
            // step 1: g = (0.51, 0.23); m = 0.1 g; v = 0.001 g^2; m / 0.1 = g, sqrt(v / 0.001) = |g|:
            //         each weight moves by lr * g / (|g| + 1e-8) = 0.1 -> w = (0.9, -2.1)
            gradient();
            adam.step(params);
            assertArrayEquals(new float[] {0.9f, -2.1f}, w(), 1e-6f);
            // step 2: g = c + 0.01 (0.9, -2.1) = (0.509, 0.229)
            //         m = 0.9 (0.051, 0.023) + 0.1 g = (0.0968, 0.0436)
            //         v = 0.999 (0.0002601, 0.0000529) + 0.001 g^2 = (0.0005189209, 0.0001052881)
            //         m^ = m / 0.19 = (0.5094737, 0.2294737); v^ = v / 0.001999 = (0.2595902, 0.0526704)
            //         w = (0.9, -2.1) - 0.1 m^ / (sqrt(v^) + 1e-8) = (0.8000051, -2.1999886)
            gradient();
            adam.step(params);
            double[] g = {0.509, 0.229};
            double[] m = {0.9 * 0.051 + 0.1 * g[0], 0.9 * 0.023 + 0.1 * g[1]};
            double[] v = {0.999 * 0.51 * 0.51 * 0.001 + 0.001 * g[0] * g[0], 0.999 * 0.23 * 0.23 * 0.001 + 0.001 * g[1] * g[1]};
            double bc1 = 1 - 0.9 * 0.9;
            double bc2 = 1 - 0.999 * 0.999;
            float[] expected = {
                (float) (0.9 - 0.1 * (m[0] / bc1) / (Math.sqrt(v[0] / bc2) + 1e-8)),
                (float) (-2.1 - 0.1 * (m[1] / bc1) / (Math.sqrt(v[1] / bc2) + 1e-8))};
            assertArrayEquals(expected, w(), 2e-6f);
            assertEquals(0.8000051, w()[0], 2e-6);
        }
    }

    @Test
    void stateRoundTripsAndContinuesIdentically() throws Exception {
        float[] continued;
        byte[] saved;
        float[] weightsAtSave;
        try (AdamL2 adam = new AdamL2(manager, 0.1f, 0.01f)) {
            gradient();
            adam.step(params);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adam.saveState(new DataOutputStream(bytes));
            saved = bytes.toByteArray();
            weightsAtSave = w();
            gradient();
            adam.step(params);
            continued = w();
        }
        param.getArray().set(weightsAtSave);
        try (AdamL2 resumed = new AdamL2(manager, 0.5f, 0.01f)) {
            resumed.loadState(new DataInputStream(new ByteArrayInputStream(saved)));
            assertEquals(1, resumed.steps());
            assertEquals(0.1f, resumed.learningRate());
            gradient();
            resumed.step(params);
            assertArrayEquals(continued, w(), 0f);
        }
    }

    @Test
    void polyDecayIsNnUNets() {
        PolyLr poly = new PolyLr(1e-2f, 100);
        assertEquals(1e-2f, poly.at(0));
        assertEquals(1e-2 * Math.pow(0.5, 0.9), poly.at(50), 1e-9); // (1 - 50/100)^0.9 = 0.53589
        assertEquals(0f, poly.at(100));
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        try (NesterovSgd sgd = new NesterovSgd(manager, 0.1f, 0.9f, 0.01f)) {
            gradient();
            sgd.step(params);
            int after1 = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                gradient();
                sgd.step(params);
            }
            assertEquals(after1, manager.getManagedArrays().size());
        }
    }
}
