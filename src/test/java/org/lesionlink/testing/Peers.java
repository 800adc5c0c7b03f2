package org.lesionlink.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real peers that interoperability tests compare LesionLink against (Python libraries, command-line tools,
 * reference files), all installed by {@code scripts/install-test-peers.sh}.
 *
 * <p>When a peer is missing, a test run by hand is <em>skipped</em> with the reason shown (JUnit assumption),
 * so a developer without the peers can still run the suite; under CI ({@code CI=true}) it <em>fails</em>
 * instead, because a silently skipped interop test would hide a broken environment.
 */
public final class Peers {

    /** Debian's interpreter, which has python3-nibabel, -numpy, -pydicom; a pyenv python3 on PATH does not. */
    private static final Path PYTHON3 = Path.of("/usr/bin/python3");

    private static final Map<String, Optional<String>> MODULE_CHECKS = new ConcurrentHashMap<>();

    private Peers() {
    }

    /** Whether this is a CI run, where a missing peer is an error rather than a reason to skip. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The Debian Python interpreter the peer scripts run with. */
    public static Path python3() {
        return PYTHON3;
    }

    /**
     * Skips (by hand) or fails (CI) unless {@code available}.
     *
     * @param what the peer and why it is needed, e.g. "nibabel (python3-nibabel) to cross-check NIfTI reading"
     */
    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        String msg = "missing test peer: " + what + " (install with scripts/install-test-peers.sh)";
        if (isCi()) {
            fail(msg + "; CI=true, so this is an error, not a skip");
        }
        Assumptions.abort(msg);
    }

    /** Requires an existing file or directory; returns it. */
    public static Path requireFile(Path file, String why) {
        require(Files.exists(file), file + " (" + why + ")");
        return file;
    }

    /** Requires Debian's python3 and that it can import {@code module}. */
    public static void requirePythonModule(String module) {
        requireFile(PYTHON3, "Debian's python3 runs the peer scripts");
        Optional<String> problem = MODULE_CHECKS.computeIfAbsent(module, m -> {
            try {
                Result r = run(List.of(PYTHON3.toString(), "-c", "import " + m), 120);
                return r.exitCode() == 0 ? Optional.empty() : Optional.of(r.stderr().strip());
            } catch (IOException e) {
                return Optional.of(e.toString());
            }
        });
        require(problem.isEmpty(), "Python module '" + module + "' for " + PYTHON3
                + problem.map(p -> ": " + p).orElse(""));
    }

    /** Requires a command, as an absolute path or found on PATH; returns its path. */
    public static Path requireCommand(String cmd) {
        Optional<Path> found = findCommand(cmd);
        require(found.isPresent(), "command '" + cmd + "' on PATH");
        return found.get();
    }

    public static Optional<Path> findCommand(String cmd) {
        if (cmd.contains("/")) {
            Path p = Path.of(cmd);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, cmd);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** A file under src/test/resources (e.g. {@code peers/nibabel_dump.py}) as a path on disk. */
    public static Path testResource(String name) {
        java.net.URL url = Peers.class.getResource("/" + name);
        if (url == null) {
            fail("test resource " + name + " is not on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a Python peer script from the test resources with {@link #python3()} and returns its stdout;
     * fails the test with the script's stderr if it exits non-zero.
     */
    public static String runPythonScript(String resource, List<String> args, long timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON3.toString());
        cmd.add(testResource(resource).toString());
        cmd.addAll(args);
        return run(cmd, timeoutSeconds).stdoutOrFail(cmd);
    }

    /** What a finished peer process printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The stdout, or an assertion failure with everything the process said. */
        public String stdoutOrFail(List<String> command) {
            if (exitCode != 0) {
                fail("peer " + command + " exited " + exitCode + "\nstderr:\n" + stderr + "\nstdout:\n" + stdout);
            }
            return stdout;
        }
    }

    /**
     * Runs a peer process to completion, reading its output concurrently (no pipe deadlock), and kills it
     * if it outlives {@code timeoutSeconds} (a hang guard, not a performance check).
     */
    public static Result run(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IOException("peer " + command + " did not finish within " + timeoutSeconds + " s; killed");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    private static String slurp(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<could not read: " + e + ">";
        }
    }
}
