package org.lesionlink.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class FuzzChecksTest {

    private static volatile byte[] sink;

    @Test
    void allocationOnEveryPassBeyondTheAllowanceFails() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> FuzzChecks.assertAllocationWithin(1 << 20, 16, 100, "length field", () -> sink = new byte[4 << 20]));
        assertTrue(e.getMessage().startsWith("length field: allocated "), e.getMessage());
    }

    @Test
    void oneTimeAllocationInAnyOnePassDoesNotCount() {
        for (int expensivePass = 0; expensivePass < 3; expensivePass++) {
            AtomicInteger pass = new AtomicInteger();
            int expensive = expensivePass;
            assertDoesNotThrow(() -> FuzzChecks.assertAllocationWithin(1 << 20, 16, 100, "one-time",
                    () -> sink = new byte[pass.getAndIncrement() == expensive ? 4 << 20 : 16]));
        }
    }
}
