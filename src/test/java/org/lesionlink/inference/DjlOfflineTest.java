package org.lesionlink.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The PyTorch engine starts from the natives on the class path, with no network (ai.djl.offline=true). */
class DjlOfflineTest {

    @Test
    void pytorchEngineRunsOffline() {
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("2.5.1", engine.getVersion());
        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3});
            assertArrayEquals(new float[] {2, 4, 6}, a.mul(2).toFloatArray());
        }
    }
}
