package org.lesionlink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelRepository;
import org.lesionlink.inference.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lesionlink models}: the installed model packages, and the folders that are broken. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model packages of the models directory, and broken model folders with their problem.")
final class ModelsCommand implements Callable<Integer> {

    @Option(names = "--models", paramLabel = "DIR",
            description = "Models directory (default: models/ next to the jar if it exists, else ./models).")
    Path modelsDir;

    @Option(names = "--json", description = "Print one JSON object: modelsDir, models[], broken[].")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = Cli.modelsDir(modelsDir);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("models directory " + dir + " does not exist (give --models DIR)");
        }
        ModelRepository repo = ModelRepository.scan(dir);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> models = new ArrayList<>();
            for (ModelPackage p : repo.packages()) {
                ModelSpec s = p.spec();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("version", s.version());
                m.put("task", s.task().id());
                m.put("channels", s.inputs().stream().map(ModelSpec.Input::name).toList());
                m.put("engine", s.engine().id());
                m.put("folds", s.folds().size());
                m.put("dims", s.dims().kind().id());
                m.put("folder", p.folder().toString());
                models.add(m);
            }
            List<Object> broken = new ArrayList<>();
            for (ModelRepository.Broken b : repo.broken()) {
                broken.add(Map.of("folder", b.folder().toString(), "problem", b.problem()));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("modelsDir", dir.toString());
            r.put("models", models);
            r.put("broken", broken);
            out.println(new ObjectMapper().writeValueAsString(r));
        } else {
            out.println("models directory: " + dir);
            if (repo.packages().isEmpty()) {
                out.println("no models installed");
            } else {
                out.printf("%-24s %-12s %-18s %-24s %-11s %-5s %s%n", "NAME", "VERSION", "TASK", "CHANNELS", "ENGINE", "FOLDS", "DIMS");
                for (ModelPackage p : repo.packages()) {
                    ModelSpec s = p.spec();
                    out.printf("%-24s %-12s %-18s %-24s %-11s %-5d %s%n", s.name(), s.version(), s.task().id(), Cli.channels(s),
                            s.engine().id(), s.folds().size(), s.dims().kind().id());
                }
            }
            for (ModelRepository.Broken b : repo.broken()) {
                out.println("broken: " + b.problem());
            }
        }
        out.flush();
        return 0;
    }
}
