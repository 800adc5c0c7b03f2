package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.testing.Peers;
import picocli.CommandLine;

/** {@code lesionlink storescp}, {@code echo} and {@code store} against each other, and dcmtk's echoscu against storescp. */
@Timeout(60)
class DicomCommandsTest {

    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @Test
    void storescpEchoAndStore(@TempDir Path tmp) throws Exception {
        Peers.requireFile(PYDICOM.resolve("MR_small.dcm"), "pydicom test files");
        StoreScpCommand scp = new StoreScpCommand();
        StringWriter scpOut = new StringWriter();
        CommandLine cl = new CommandLine(scp);
        cl.setOut(new PrintWriter(scpOut, true));
        Path storage = tmp.resolve("store");
        Thread t = new Thread(() -> cl.execute("--port", "0", "--bind", "127.0.0.1", "--ae-title", "LLSCP",
                "--storage", storage.toString(), "--check-called-ae"));
        t.start();
        assertTrue(scp.started.await(20, TimeUnit.SECONDS), scpOut.toString());
        try {
            int port = scp.server.port();
            CliRun echo = CliRun.of("echo", "LLSCP@127.0.0.1:" + port, "--calling-ae", "CLIECHO", "--count", "2");
            assertEquals(0, echo.exitCode(), echo.err());
            assertTrue(echo.out().contains("status 0x0000 (success)"), echo.out());

            CliRun wrongAe = CliRun.of("echo", "OTHER@127.0.0.1:" + port);
            assertEquals(Main.EXIT_FAILURE, wrongAe.exitCode());
            assertTrue(wrongAe.err().contains("rejected"), wrongAe.err());

            Path dir = tmp.resolve("in");
            Files.createDirectories(dir.resolve("sub"));
            Files.copy(PYDICOM.resolve("MR_small.dcm"), dir.resolve("mr.dcm"));
            Files.copy(PYDICOM.resolve("CT_small.dcm"), dir.resolve("sub/ct.dcm"));
            Files.writeString(dir.resolve("notes.txt"), "not DICOM");
            CliRun store = CliRun.of("store", "--calling-ae", "CLISTORE", "LLSCP@127.0.0.1:" + port, dir.toString());
            assertEquals(0, store.exitCode(), store.err() + store.out());
            assertTrue(store.out().startsWith("stored 2 of 2 instances"), store.out());
            assertTrue(store.err().contains("skipping " + dir.resolve("notes.txt")), store.err());
            try (Stream<Path> s = Files.walk(storage)) {
                assertEquals(2, s.filter(p -> p.toString().endsWith(".dcm")).count());
            }
            assertTrue(scpOut.toString().contains("from CLISTORE"), scpOut.toString());

            Path echoscu = Peers.findCommand("echoscu").orElse(null);
            if (echoscu != null) {
                Peers.Result r = Peers.run(List.of(echoscu.toString(), "-aec", "LLSCP", "127.0.0.1", String.valueOf(port)), 30);
                assertEquals(0, r.exitCode(), r.stderr());
            }
        } finally {
            scp.server.close();
            t.join(10_000);
        }
    }

    /**
     * On a disk storescp makes instances durable through its journal in DIR/.journal, which one process owns: a
     * second storescp on the same directory is refused with the reason (with --no-journal it may share it).
     */
    @Test
    void storescpJournalsOnDiskAndOwnsItsJournal(@TempDir Path tmp) throws Exception {
        Peers.requireFile(PYDICOM.resolve("MR_small.dcm"), "pydicom test files");
        Path base = org.lesionlink.dicom.net.dimse.StorageJournal.worthwhile(tmp) ? tmp
                : Files.createTempDirectory(Files.createDirectories(Path.of("target", "tmp")), "journal");
        Path storage = base.resolve("store");
        StoreScpCommand scp = new StoreScpCommand();
        StringWriter scpOut = new StringWriter();
        CommandLine cl = new CommandLine(scp);
        cl.setOut(new PrintWriter(scpOut, true));
        Thread t = new Thread(() -> cl.execute("--port", "0", "--bind", "127.0.0.1", "--storage", storage.toString()));
        t.start();
        assertTrue(scp.started.await(20, TimeUnit.SECONDS), scpOut.toString());
        try {
            CliRun store = CliRun.of("store", "LESIONLINK@127.0.0.1:" + scp.server.port(),
                    PYDICOM.resolve("MR_small.dcm").toString());
            assertEquals(0, store.exitCode(), store.err() + store.out());
            try (Stream<Path> s = Files.list(storage.resolve(".journal"))) {
                assertTrue(s.anyMatch(p -> p.toString().endsWith(".wal")));
            }
            CliRun second = CliRun.of("storescp", "--port", "0", "--bind", "127.0.0.1", "--storage",
                    storage.toString());
            assertEquals(Main.EXIT_FAILURE, second.exitCode(), second.out());
            assertTrue(second.err().contains(storage.resolve(".journal") + " is in use"), second.err());
        } finally {
            scp.server.close();
            t.join(10_000);
        }
        try (Stream<Path> s = Files.walk(storage)) {
            assertEquals(1, s.filter(p -> p.toString().endsWith(".dcm")).count());
        }
    }

    @Test
    void badAddressesAndUnreachablePeers(@TempDir Path tmp) throws Exception {
        assertEquals(2, CliRun.of("echo", "nohost").exitCode());
        assertEquals(2, CliRun.of("echo", "AE@host:99999").exitCode());
        assertEquals(2, CliRun.of("echo", "THIS_AE_TITLE_IS_TOO_LONG@host:104").exitCode());
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun r = CliRun.of("echo", "X@127.0.0.1:" + closed);
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("cannot connect"), r.err());
        CliRun none = CliRun.of("store", "X@127.0.0.1:" + closed, tmp.toString());
        assertEquals(Main.EXIT_FAILURE, none.exitCode());
        assertTrue(none.err().contains("no DICOM instances"), none.err());
    }
}
