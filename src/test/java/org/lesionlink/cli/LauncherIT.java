package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.net.DicomServer;
import org.lesionlink.dicom.net.DicomServerConfig;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;

/**
 * {@code scripts/lesionlink}, the launcher: its first short command writes a class data archive next to the jar, later
 * runs load LesionLink's classes from it, an archive older than the jar is made again, and LESIONLINK_CDS=off uses
 * none; the command's own output and exit code pass through unchanged. The packaged jar is linked (with its lib/) into
 * a temporary folder, so the archive is written there, not into target/.
 */
class LauncherIT {

    private static final Path JAR = Path.of(System.getProperty("lesionlink.jar", "target/lesionlink.jar")).toAbsolutePath();
    private static final Path LAUNCHER = Path.of("scripts/lesionlink").toAbsolutePath();
    private static final String MAIN_FROM_ARCHIVE = "org.lesionlink.cli.Main source: shared objects file (top)";

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run launch(Path jar, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("LESIONLINK_JAR", jar.toString());
            pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("launcher did not finish in 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void firstShortCommandWritesTheArchiveThatLaterRunsUse(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lesionlink.jar");
        Files.createSymbolicLink(jar, JAR);
        Files.createSymbolicLink(dir.resolve("lib"), JAR.resolveSibling("lib"));
        Path archive = dir.resolve("lesionlink.jsa");
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp());
        try (DicomServer scp = DicomServer.start(DicomServerConfig.of("ECHOSCP", 0).withBindAddress("127.0.0.1"), registry)) {
            String to = "ECHOSCP@127.0.0.1:" + scp.port();
            Map<String, String> loads = Map.of("LESIONLINK_JAVA_OPTS", "-Xlog:class+load=info");

            Run first = launch(jar, loads, "echo", to);
            assertEquals(0, first.exitCode(), first.stderr());
            assertTrue(first.stdout().contains("status 0x0000"), first.stdout());
            assertFalse(first.stdout().contains(MAIN_FROM_ARCHIVE), "no archive yet");
            assertFalse(first.stdout().contains("[cds]") || first.stderr().contains("[cds]"), "CDS warnings are not shown");
            assertTrue(Files.size(archive) > 0, "archive written by the first run");
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of("lesionlink.jar", "lesionlink.jsa", "lib"),
                        s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary archive left");
            }

            Run second = launch(jar, loads, "echo", to);
            assertEquals(0, second.exitCode(), second.stderr());
            assertTrue(second.stdout().contains(MAIN_FROM_ARCHIVE), "second run loads from the archive");
            assertTrue(second.stdout().contains("status 0x0000"), second.stdout());

            Run off = launch(jar, Map.of("LESIONLINK_CDS", "off", "LESIONLINK_JAVA_OPTS", "-Xlog:class+load=info"),
                    "echo", to);
            assertEquals(0, off.exitCode(), off.stderr());
            assertFalse(off.stdout().contains(MAIN_FROM_ARCHIVE), "LESIONLINK_CDS=off uses no archive");

            // an archive older than the jar (a rebuilt jar) is not used but made again
            Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(JAR).toMillis() - 60_000));
            Run stale = launch(jar, loads, "echo", to);
            assertEquals(0, stale.exitCode(), stale.stderr());
            assertFalse(stale.stdout().contains(MAIN_FROM_ARCHIVE), "stale archive not used");
            assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(JAR)) > 0, "archive made again");

            // a failing command keeps its exit code and its message
            Run refused = launch(jar, Map.of(), "echo", "NOBODY@127.0.0.1:1");
            assertEquals(1, refused.exitCode(), refused.stdout() + refused.stderr());
            assertTrue(refused.stderr().contains("lesionlink echo: error:"), refused.stderr());
        }
    }
}
