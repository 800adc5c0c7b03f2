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
import java.util.concurrent.ConcurrentHashMap;
import org.lesionlink.inference.LoadedModel;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelRepository;
import org.lesionlink.inference.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the server offers: the packages of the models directory, scanned once at start, and per
 * worker the {@link LoadedModel}s, loaded (and warmed up) at start by {@link #preload} so that no job pays
 * the load, and kept resident until shutdown (one engine predictor set per worker, so workers never share a
 * predictor). A model that fails to load is reported by {@link #status()} and tried again by the job that
 * asks for it.
 */
public final class ModelCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

    private final List<ModelPackage> packages;
    private final LoadedModel.Options options;
    private final Map<Integer, Map<String, LoadedModel>> loaded = new HashMap<>();
    /** Model name to the last load failure (cleared when a load succeeds). */
    private final Map<String, String> failures = new ConcurrentHashMap<>();

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

    /** The worker's resident copy of a model (loaded, and warmed up, by {@link #preload} or on first use). */
    public LoadedModel loaded(int worker, ModelPackage pkg) throws IOException {
        Map<String, LoadedModel> mine;
        synchronized (loaded) {
            mine = loaded.computeIfAbsent(worker, w -> new ConcurrentHashMap<>());
        }
        String name = pkg.spec().name();
        LoadedModel m = mine.get(name);
        if (m == null) {
            try {
                m = LoadedModel.open(pkg, options);
            } catch (IOException | RuntimeException e) {
                failures.put(name, e.getMessage() == null ? e.toString() : e.getMessage());
                throw e;
            }
            failures.remove(name);
            log.info("worker {}: loaded {} {} on {} in {} ms", worker, name, pkg.spec().version(), m.device(),
                    m.loadTime().toMillis());
            mine.put(name, m);
        }
        return m;
    }

    /**
     * Loads every model for every worker now, so the first job does not pay the load and warm-up. A model
     * that fails is logged and left out (the others serve); {@link #status()} and {@code /health} name it.
     */
    public void preload(int workers) {
        for (ModelPackage p : packages) {
            for (int w = 0; w < workers; w++) {
                try {
                    loaded(w, p);
                } catch (IOException | RuntimeException e) {
                    log.error("model {} failed to load for worker {}: {}", p.spec().name(), w, failures.get(p.spec().name()));
                    break;
                }
            }
        }
    }

    /** Per model: name, version, the workers holding it resident, and the last load error if any. */
    public List<Map<String, Object>> status() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelPackage p : packages) {
            String name = p.spec().name();
            List<Integer> workers = new ArrayList<>();
            synchronized (loaded) {
                loaded.forEach((w, models) -> {
                    if (models.containsKey(name)) {
                        workers.add(w);
                    }
                });
            }
            workers.sort(null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("version", p.spec().version());
            m.put("loadedOnWorkers", workers);
            String error = failures.get(name);
            m.put("status", error != null ? "failed" : workers.isEmpty() ? "not loaded" : "loaded");
            if (error != null) {
                m.put("error", error);
            }
            out.add(m);
        }
        return out;
    }

    /** Whether some model failed to load (and no later load succeeded). */
    public boolean anyFailed() {
        return !failures.isEmpty();
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
