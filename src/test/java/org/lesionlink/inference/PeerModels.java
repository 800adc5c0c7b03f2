package org.lesionlink.inference;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python/PyTorch peer of the inference tests: Debian's /usr/bin/python3 with python3-torch, numpy and
 * scipy, running the scripts in {@code src/test/resources/peers/}, and the tiny model packages they
 * generate. Kept inside the inference tests on purpose: a shared peer helper is being written elsewhere and
 * this one will be folded into it.
 */
public final class PeerModels {

    static final String PYTHON = "/usr/bin/python3";
    static final Path PEERS = Path.of("src", "test", "resources", "peers");
    /** Where the test models are generated, once per JVM (never committed: target/ is ignored). */
    static final Path MODELS = Path.of("target", "test-models");

    private static boolean generated;
    private static boolean onnx;

    private PeerModels() {}

    /**
     * Skips (visibly) when /usr/bin/python3 cannot import torch, numpy and scipy; fails instead when the
     * environment variable CI is "true", where a silent skip would hide a broken test setup.
     */
    public static void requireTorch() {
        String reason;
        if (!Files.isExecutable(Path.of(PYTHON))) {
            reason = PYTHON + " not found";
        } else {
            try {
                Result r = run(60, PYTHON, "-c", "import torch, numpy, scipy.ndimage");
                if (r.exit == 0) {
                    return;
                }
                reason = PYTHON + " cannot import torch/numpy/scipy: " + r.output.strip();
            } catch (IOException e) {
                reason = PYTHON + " failed to start: " + e.getMessage();
            }
        }
        reason += " (install python3-torch python3-numpy python3-scipy, see scripts/install-test-peers.sh)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and the PyTorch reference is missing: " + reason);
        }
        System.err.println("SKIPPED PyTorch cross-check: " + reason);
        Assumptions.abort(reason);
    }

    /** The generated model packages' parent folder (generates them on first use). */
    static synchronized Path models() throws IOException {
        requireTorch();
        if (!generated) {
            Files.createDirectories(MODELS);
            Result r = run(300, PYTHON, PEERS.resolve("make_test_models.py").toString(), MODELS.toString());
            if (r.exit != 0) {
                throw new IOException("make_test_models.py failed:\n" + r.output);
            }
            onnx = r.output.strip().endsWith("onnx") && !r.output.strip().endsWith("no-onnx");
            generated = true;
        }
        return MODELS;
    }

    /** One generated model package folder, e.g. {@code tiny-unet}. */
    public static Path folder(String name) throws IOException {
        return models().resolve(name);
    }

    /** Whether make_test_models.py could export ONNX. */
    public static synchronized boolean hasOnnx() throws IOException {
        models();
        return onnx;
    }

    record Result(int exit, String output) {}

    static Result run(int timeoutSeconds, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs a peer script with arguments; fails with its output when it exits non-zero. */
    public static String script(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON);
        cmd.add(PEERS.resolve(name).toString());
        cmd.addAll(List.of(args));
        Result r = run(300, cmd.toArray(String[]::new));
        if (r.exit != 0) {
            fail(name + " failed (exit " + r.exit + "):\n" + r.output);
        }
        return r.output;
    }
}
