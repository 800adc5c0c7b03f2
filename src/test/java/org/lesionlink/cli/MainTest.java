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

    @Test
    void usageErrorsExitWithTwo() {
        CliRun run = CliRun.of("info");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("FILE"), run.err());
        assertEquals(2, CliRun.of("no-such-command").exitCode());
    }
}
