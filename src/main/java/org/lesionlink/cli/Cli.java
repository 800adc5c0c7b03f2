package org.lesionlink.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelRepository;
import org.lesionlink.inference.ModelSpec;

/** Small argument checks shared by commands; each failure names the option. */
final class Cli {
    private Cli() {}

    /** The folder name looked for next to the jar and in the working directory. */
    static final String MODELS_DIR = "models";

    /** One value for all three axes, or three values. */
    static double[] threeValues(String option, double[] values) {
        if (values.length == 1) {
            return new double[] {values[0], values[0], values[0]};
        }
        if (values.length != 3) {
            throw new IllegalArgumentException(option + " takes one value or three (x,y,z), got " + values.length);
        }
        return values.clone();
    }

    /** Upper-case enum constant name for a lower-case choice, or an error listing the choices. */
    static String enumName(String option, String value, String... choices) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(choices).contains(v)) {
            throw new IllegalArgumentException(option + " must be one of " + String.join(", ", choices) + ", got '" + value + "'");
        }
        return v.toUpperCase(Locale.ROOT);
    }

    /**
     * The models directory: {@code --models DIR} when given; else {@code models/} next to
     * {@code lesionlink.jar} when that folder exists; else {@code models/} in the working directory.
     */
    static Path modelsDir(Path option) {
        if (option != null) {
            return option;
        }
        try {
            Path code = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code) && code.getParent() != null) {
                Path besideJar = code.getParent().resolve(MODELS_DIR);
                if (Files.isDirectory(besideJar)) {
                    return besideJar;
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException | NullPointerException e) {
            // no usable code source: fall back to the working directory
        }
        return Path.of(MODELS_DIR);
    }

    /**
     * {@code --model}: a folder path when the value names an existing folder or contains a path separator,
     * else a model name looked up in the models directory.
     */
    static ModelPackage model(String nameOrDir, Path modelsOption) throws IOException {
        Path asPath = Path.of(nameOrDir);
        if (Files.isDirectory(asPath) || nameOrDir.contains("/") || nameOrDir.contains(java.io.File.separator)) {
            if (!Files.isDirectory(asPath)) {
                throw new IllegalArgumentException("--model: no such model folder: " + nameOrDir);
            }
            return ModelPackage.open(asPath);
        }
        Path dir = modelsDir(modelsOption);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--model: no model folder '" + nameOrDir + "' and no models directory " + dir
                    + " (give a model folder, or --models DIR)");
        }
        ModelRepository repo = ModelRepository.scan(dir);
        return repo.find(nameOrDir).orElseThrow(() -> {
            String broken = repo.broken().stream()
                    .filter(b -> b.folder().getFileName().toString().equals(nameOrDir))
                    .map(b -> "; folder " + nameOrDir + " is broken: " + b.problem())
                    .findFirst().orElse("");
            return new IllegalArgumentException("--model: no model named '" + nameOrDir + "' in " + dir + " (installed: "
                    + (repo.packages().isEmpty() ? "none" : String.join(", ",
                            repo.packages().stream().map(p -> p.spec().name()).toList())) + broken + ")");
        });
    }

    /** The file name ends in .nii or .nii.gz (what {@code NiftiWriter} writes). */
    static void requireNiftiName(String option, Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".nii") && !n.endsWith(".nii.gz")) {
            throw new IllegalArgumentException(option + " must end in .nii or .nii.gz, got " + file);
        }
    }

    /** The folder a new file will go into exists. */
    static void requireParentDir(String option, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + ": folder " + parent + " does not exist");
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, then moves it into place. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Channel names of a model, comma-separated. */
    static String channels(ModelSpec spec) {
        return String.join(",", spec.inputs().stream().map(ModelSpec.Input::name).toList());
    }
}
