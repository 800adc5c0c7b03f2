package org.lesionlink.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.lesionlink.inference.LoadedModel;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelRepository;
import org.lesionlink.inference.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the server offers: the packages of the models directory, scanned once at start, and per
 * worker the {@link LoadedModel}s it has used, loaded on first use and kept resident until shutdown (one
 * engine predictor set per worker, so workers never share a predictor).
 */
public final class ModelCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

    private final List<ModelPackage> packages;
    private final LoadedModel.Options options;
    private final Map<Integer, Map<String, LoadedModel>> loaded = new HashMap<>();

    public ModelCatalog(List<ModelPackage> packages, LoadedModel.Options options) {
        this.packages = List.copyOf(packages);
        this.options = options;
    }

    /** Scans {@code dir}; an absent or empty directory gives an empty catalog and a warning. */
    public static ModelCatalog scan(Path dir, LoadedModel.Options options) throws IOException {
        if (!Files.isDirectory(dir)) {
            log.warn("models directory {} does not exist: serving no models (GetModels answers an empty list)", dir.toAbsolutePath());
            return new ModelCatalog(List.of(), options);
        }
        ModelRepository repo = ModelRepository.scan(dir);
        for (ModelRepository.Broken b : repo.broken()) {
            log.warn("model folder {} skipped: {}", b.folder(), b.problem());
        }
        if (repo.packages().isEmpty()) {
            log.warn("no models in {}: serving no models (GetModels answers an empty list)", dir.toAbsolutePath());
        }
        for (ModelPackage p : repo.packages()) {
            log.info("model {} {} ({}): channels {}", p.spec().name(), p.spec().version(), p.spec().task().id(),
                    channels(p.spec()));
        }
        return new ModelCatalog(repo.packages(), options);
    }

    public List<ModelPackage> packages() {
        return packages;
    }

    public Optional<ModelPackage> find(String name) {
        return packages.stream().filter(p -> p.spec().name().equals(name)).findFirst();
    }

    public static List<String> channels(ModelSpec spec) {
        return spec.inputs().stream().map(ModelSpec.Input::name).toList();
    }

    /** A channel or device name without case and the characters {@code " _-."}. */
    public static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[ _\\-.]", "");
    }

    /** All channel names of all models, in model order, without repeats. */
    public List<String> allChannels() {
        LinkedHashMap<String, Boolean> all = new LinkedHashMap<>();
        packages.forEach(p -> channels(p.spec()).forEach(c -> all.put(c, true)));
        return new ArrayList<>(all.keySet());
    }

    /** The worker's resident copy of a model (loaded, and warmed up, on first use). */
    public LoadedModel loaded(int worker, ModelPackage pkg) throws IOException {
        Map<String, LoadedModel> mine;
        synchronized (loaded) {
            mine = loaded.computeIfAbsent(worker, w -> new HashMap<>());
        }
        LoadedModel m = mine.get(pkg.spec().name());
        if (m == null) {
            m = LoadedModel.open(pkg, options);
            log.info("worker {}: loaded {} on {} in {} ms", worker, pkg.spec().name(), m.device(), m.loadTime().toMillis());
            mine.put(pkg.spec().name(), m);
        }
        return m;
    }

    public LoadedModel.Options options() {
        return options;
    }

    @Override
    public void close() {
        synchronized (loaded) {
            loaded.values().forEach(m -> m.values().forEach(LoadedModel::close));
            loaded.clear();
        }
    }
}
