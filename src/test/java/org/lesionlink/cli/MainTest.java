package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsTheCommands() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        for (String cmd : new String[] {"info", "resample", "phantom", "segment", "models", "train", "evaluate",
                "ablation-plan", "dicom-to-nifti", "echo", "store", "storescp", "igtl-echo", "help"}) {
            assertTrue(run.out().lines().anyMatch(l -> l.strip().startsWith(cmd + " ")), cmd + " missing in\n" + run.out());
        }
    }

    /**
     * {@code store} and {@code echo} run alone (Main.run skips building the other commands for them) print and exit
     * exactly as within the whole command line: help, usage errors, a failing command.
     */
    @Test
    void shortCommandsAloneBehaveAsWithinTheWholeCommandLine() {
        String[][] lines = {
            {"store", "--help"}, {"store"}, {"store", "--bogus", "A@h:1", "x"}, {"store", "A@127.0.0.1:1", "no-such-file"},
            {"echo", "--help"}, {"echo", "nohost"}, {"echo", "--count", "x", "A@127.0.0.1:1"},
        };
        for (String[] line : lines) {
            CliRun whole = CliRun.of(line);
            CliRun alone = CliRun.alone(line);
            String what = String.join(" ", line);
            assertEquals(whole.exitCode(), alone.exitCode(), what);
            assertEquals(whole.out(), alone.out(), what);
            assertEquals(whole.err(), alone.err(), what);
        }
        assertTrue(CliRun.alone("store", "--help").out().contains("Usage: lesionlink store "), "usage names the command");
        assertTrue(CliRun.alone("store", "A@127.0.0.1:1", "no-such-file").err()
                .startsWith("lesionlink store: error: no such file"), "errors name the command");
        assertEquals(null, Main.alone("storescp"));
        assertEquals(null, Main.alone("info"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun run = CliRun.of("info");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("FILE"), run.err());
        assertEquals(2, CliRun.of("no-such-command").exitCode());
    }
}
