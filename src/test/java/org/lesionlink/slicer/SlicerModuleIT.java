package org.lesionlink.slicer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lesionlink.testing.Peers;

/**
 * The 3D Slicer module's Python tests ({@code slicer-module/tests}, pytest) as part of {@code mvn verify}, run
 * after the jar is packaged so that they can start it ({@code lesionlink igtl-echo}, later {@code serve}), and a
 * byte-compilation of every module file. The module's GUI and its Slicer self-test need a real Slicer and are
 * not run here (slicer-module/README.md).
 */
class SlicerModuleIT {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path SLICER_MODULE = BASEDIR.resolve("slicer-module");
    private static final Path JAR = Path.of(System.getProperty("lesionlink.jar", "target/lesionlink.jar")).toAbsolutePath();
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
    private static final Pattern PASSED = Pattern.compile("(\\d+) passed");

    @Test
    void pytestPassesAgainstThePackagedJar() throws IOException {
        Peers.requirePythonModule("pytest");
        Peers.requirePythonModule("numpy");
        Peers.requireFile(JAR, "the packaged jar the live tests start");
        // The children inherit this environment (CI included: under CI=true a missing peer fails there too);
        // java is this JVM's, the jar the one just packaged, and no bytecode or pytest cache lands in the tree.
        List<String> command = List.of("/usr/bin/env", "LESIONLINK_JAR=" + JAR, "PYTHONDONTWRITEBYTECODE=1",
                "PATH=" + JAVA_BIN + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", ""),
                Peers.python3().toString(), "-m", "pytest", SLICER_MODULE.resolve("tests").toString(),
                "-q", "-rs", "-p", "no:cacheprovider");
        Peers.Result r = Peers.run(command, 900);
        System.out.println("slicer-module pytest (" + JAR + "):\n" + r.stdout().strip()); // skip reasons and summary
        String output = "stdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr();
        assertNotEquals(5, r.exitCode(), "pytest collected no tests\n" + output);
        assertEquals(0, r.exitCode(), "pytest failed\n" + output);
        Matcher passed = PASSED.matcher(r.stdout());
        int count = 0;
        while (passed.find()) {
            count = Integer.parseInt(passed.group(1)); // the summary line is the last match
        }
        assertTrue(count > 0, "pytest's summary reports no passed tests\n" + output);
    }

    @Test
    void everyModuleFileByteCompiles() throws IOException {
        Path prefix = Files.createTempDirectory("lesionlink-pycache");
        try {
            List<String> command = List.of("/usr/bin/env", "PYTHONPYCACHEPREFIX=" + prefix, Peers.python3().toString(),
                    "-m", "compileall", "-q", "-f", SLICER_MODULE.toString());
            Peers.Result r = Peers.run(command, 300);
            assertEquals(0, r.exitCode(), "compileall failed\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
            assertEquals(count(SLICER_MODULE, ".py"), count(prefix, ".pyc"), "one .pyc per module .py file");
        } finally {
            try (Stream<Path> files = Files.walk(prefix)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long count(Path root, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !p.toString().contains("__pycache__"))
                    .count();
        }
    }
}
