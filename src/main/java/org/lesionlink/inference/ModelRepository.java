package org.lesionlink.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model packages found in the direct sub-folders of one directory (a folder counts when it holds a
 * {@code model.json}). Invalid packages are reported in {@link #problems()} rather than failing the whole
 * listing, so one broken model does not take the others down.
 */
public final class ModelRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final Path root;
    private final List<ModelPackage> packages;
    private final List<Broken> broken;

    /** A folder with a {@code model.json} that is not a usable package, and why. */
    public record Broken(Path folder, String problem) {}

    private ModelRepository(Path root, List<ModelPackage> packages, List<Broken> broken) {
        this.root = root;
        this.packages = List.copyOf(packages);
        this.broken = List.copyOf(broken);
    }

    /** Scans {@code root} once; sub-folders are listed in name order. */
    public static ModelRepository scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("model directory " + root + " does not exist or is not a directory");
        }
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p.resolve(ModelSpec.FILE_NAME))).forEach(folders::add);
        }
        Collections.sort(folders);
        List<ModelPackage> packages = new ArrayList<>();
        List<Broken> problems = new ArrayList<>();
        for (Path folder : folders) {
            try {
                ModelPackage p = ModelPackage.open(folder);
                if (packages.stream().anyMatch(q -> q.spec().name().equals(p.spec().name()))) {
                    problems.add(new Broken(folder, folder + ": model name '" + p.spec().name()
                            + "' already used by another folder"));
                } else {
                    packages.add(p);
                }
            } catch (InvalidModelException | IOException e) {
                LOG.warn("skipping model folder {}: {}", folder, e.getMessage());
                problems.add(new Broken(folder, e.getMessage()));
            }
        }
        return new ModelRepository(root, packages, problems);
    }

    public Path root() {
        return root;
    }

    /** The valid packages, in folder name order. */
    public List<ModelPackage> packages() {
        return packages;
    }

    /** One line per skipped folder, naming it and the problem. */
    public List<String> problems() {
        return broken.stream().map(Broken::problem).toList();
    }

    /** The skipped folders with their problem, in folder name order. */
    public List<Broken> broken() {
        return broken;
    }

    public Optional<ModelPackage> find(String name) {
        return packages.stream().filter(p -> p.spec().name().equals(name)).findFirst();
    }
}
