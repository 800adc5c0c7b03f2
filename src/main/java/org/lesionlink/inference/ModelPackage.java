package org.lesionlink.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model folder: {@code model.json} plus one weights file per fold, all in the folder itself.
 *
 * @param folder the package folder
 * @param spec its validated descriptor
 */
public record ModelPackage(Path folder, ModelSpec spec) {

    public ModelPackage {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(spec, "spec");
    }

    /**
     * Reads {@code folder/model.json} and checks that every fold's weights file exists.
     *
     * @throws InvalidModelException when the descriptor is invalid or a weights file is missing
     */
    public static ModelPackage open(Path folder) throws IOException {
        Path json = folder.resolve(ModelSpec.FILE_NAME);
        if (!Files.isRegularFile(json)) {
            throw new InvalidModelException(folder + ": not a model package (no " + ModelSpec.FILE_NAME + ")");
        }
        ModelSpec spec = ModelSpec.read(json);
        List<String> folds = spec.folds();
        for (int f = 0; f < folds.size(); f++) {
            if (!Files.isRegularFile(folder.resolve(folds.get(f)))) {
                throw new InvalidModelException(json + ": folds[" + f + "]: weights file " + folds.get(f)
                        + " not found in " + folder);
            }
        }
        return new ModelPackage(folder, spec);
    }

    /** The weights files, one per fold, in the descriptor's order. */
    public List<Path> weights() {
        List<Path> out = new ArrayList<>();
        for (String f : spec.folds()) {
            out.add(folder.resolve(f));
        }
        return out;
    }
}
