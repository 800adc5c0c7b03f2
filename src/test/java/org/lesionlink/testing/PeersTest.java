package org.lesionlink.testing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing peer skips a test run by hand and fails it under CI=true. */
class PeersTest {

    private static void assertSkipOrFail(Throwable t, String mention) {
        if (Peers.isCi()) {
            assertInstanceOf(AssertionFailedError.class, t, "CI=true: a missing peer is an error");
        } else {
            assertInstanceOf(TestAbortedException.class, t, "by hand: a missing peer skips the test");
        }
        assertTrue(t.getMessage().contains(mention), t.getMessage());
    }

    @Test
    void missingFile() {
        Throwable t = assertThrows(Throwable.class, () -> Peers.requireFile(Path.of("/nonexistent/lesionlink-peer"), "a test"));
        assertSkipOrFail(t, "/nonexistent/lesionlink-peer");
    }

    @Test
    void missingCommand() {
        Throwable t = assertThrows(Throwable.class, () -> Peers.requireCommand("lesionlink-no-such-command"));
        assertSkipOrFail(t, "lesionlink-no-such-command");
    }

    @Test
    void missingPythonModule() {
        Throwable t = assertThrows(Throwable.class, () -> Peers.requirePythonModule("lesionlink_no_such_module"));
        assertSkipOrFail(t, Peers.python3().toString());
    }

    @Test
    void presentPeersPass() {
        Peers.requireFile(Path.of("/"), "the root directory");
        assertTrue(Peers.requireCommand("sh").toString().endsWith("/sh"));
    }
}
