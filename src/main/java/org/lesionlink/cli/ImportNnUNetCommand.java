package org.lesionlink.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lesionlink.inference.InvalidModelException;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.NnUNetImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lesionlink import-nnunet}: a LesionLink model package from nnU-Net v2's plans.json and
 * dataset.json plus the weights exported by {@code tools/export_nnunet.py}. The package is assembled in a
 * hidden folder beside {@code --out} and renamed into place when complete.
 */
@Command(name = "import-nnunet", mixinStandardHelpOptions = true,
        description = "Make a model package from an nnU-Net v2 plans.json, dataset.json and exported weights "
                + "(tools/export_nnunet.py).")
final class ImportNnUNetCommand implements Callable<Integer> {

    /** Fold weights the exporter writes: fold_0.pt, fold_all.onnx, ... */
    static final Pattern WEIGHTS = Pattern.compile("fold_[0-9a-z]+\\.(pt|onnx)");

    /** Written by tools/export_nnunet.py next to the weights. */
    static final String EXPORT_JSON = "export.json";

    @Option(names = "--plans", required = true, paramLabel = "plans.json", description = "nnU-Net v2 plans file.")
    Path plans;

    @Option(names = "--dataset", required = true, paramLabel = "dataset.json", description = "nnU-Net v2 dataset.json.")
    Path dataset;

    @Option(names = "--configuration", defaultValue = "3d_fullres", paramLabel = "NAME",
            description = "Configuration of the plans (default 3d_fullres; 2d works too).")
    String configuration;

    @Option(names = "--weights", required = true, paramLabel = "DIR",
            description = "Folder with fold_N.pt (TorchScript) and/or fold_N.onnx files, as export_nnunet.py writes them.")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "New model package folder (must not exist).")
    Path out;

    @Option(names = "--engine", paramLabel = "torchscript|onnx",
            description = "Which weights to use when the folder has both (default torchscript).")
    String engine;

    @Option(names = "--name", paramLabel = "NAME", description = "Model name (default: from the plans' dataset_name).")
    String name;

    @Option(names = "--model-version", defaultValue = "1.0.0", paramLabel = "TEXT", description = "Model version (default 1.0.0).")
    String version;

    @Option(names = "--task", defaultValue = "brain-metastases", paramLabel = "brain-metastases|spinal-metastases",
            description = "What the model segments (default brain-metastases).")
    String task;

    @Option(names = "--label-names", split = ",", paramLabel = "VALUE=NAME",
            description = "Names for label values, e.g. 1=NETC,2=SNFH,3=ET (region datasets do not name the painted values).")
    List<String> labelNames;

    @Option(names = "--min-component-voxels", defaultValue = "0", paramLabel = "N",
            description = "Remove lesions smaller than this many voxels (default 0: keep all).")
    int minComponentVoxels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " already exists");
        }
        Cli.requireParentDir("--out", out);
        if (!Files.isDirectory(weights)) {
            throw new IllegalArgumentException("--weights: no such folder " + weights);
        }
        ModelSpec.Task t = ModelSpec.Task.of(task);
        JsonNode plansJson = readJson(plans);
        JsonNode datasetJson = readJson(dataset);

        List<Path> pt = new ArrayList<>();
        List<Path> onnx = new ArrayList<>();
        try (Stream<Path> s = Files.list(weights)) {
            s.filter(p -> Files.isRegularFile(p) && WEIGHTS.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(Path::toString))
                    .forEach(p -> (p.toString().endsWith(".pt") ? pt : onnx).add(p));
        }
        ModelSpec.Engine e;
        if (engine != null) {
            e = ModelSpec.Engine.of(engine);
        } else {
            e = pt.isEmpty() && !onnx.isEmpty() ? ModelSpec.Engine.ONNX : ModelSpec.Engine.TORCHSCRIPT;
        }
        List<Path> files = e == ModelSpec.Engine.ONNX ? onnx : pt;
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--weights: no " + (e == ModelSpec.Engine.ONNX ? "fold_*.onnx" : "fold_*.pt")
                    + " files in " + weights + " (run tools/export_nnunet.py first)");
        }

        int[] mirror = null;
        Path exportJson = weights.resolve(EXPORT_JSON);
        if (Files.isRegularFile(exportJson)) {
            JsonNode m = readJson(exportJson).get("inference_allowed_mirroring_axes");
            if (m != null && m.isArray()) {
                mirror = new int[m.size()];
                for (int x = 0; x < mirror.length; x++) {
                    mirror[x] = m.get(x).asInt();
                }
            } else if (m != null && m.isNull()) {
                mirror = new int[0];
            }
        }

        NnUNetImport.Result r;
        try {
            r = NnUNetImport.convert(plansJson, datasetJson,
                    new NnUNetImport.Options(name, version, t, configuration, parseLabelNames(labelNames), mirror, minComponentVoxels),
                    files.stream().map(p -> p.getFileName().toString()).toList(), e);
        } catch (InvalidModelException x) {
            // name the files as the user gave them
            String m = x.getMessage();
            if (m.startsWith("plans.json: ")) {
                m = plans + m.substring("plans.json".length());
            } else if (m.startsWith("dataset.json: ")) {
                m = dataset + m.substring("dataset.json".length());
            } else if (m.startsWith("export.json: ")) {
                m = exportJson + m.substring("export.json".length());
            }
            throw new InvalidModelException(m, x);
        }

        Path target = out.toAbsolutePath().normalize();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".import-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectory(tmp);
            for (Path f : files) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
            Files.copy(plans, tmp.resolve("nnunet-plans.json"));
            Files.copy(dataset, tmp.resolve("nnunet-dataset.json"));
            Files.writeString(tmp.resolve(ModelSpec.FILE_NAME), r.spec().toJson() + "\n", StandardCharsets.UTF_8);
            ModelPackage.open(tmp); // the package as LesionLink will read it
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }

        PrintWriter o = spec.commandLine().getOut();
        for (String w : r.warnings()) {
            o.println("warning: " + w);
        }
        ModelSpec s = r.spec();
        o.printf(Locale.ROOT, "wrote %s: model %s, %s, %s, channels %s, %d fold(s) (%s)%n", out, s.name(),
                s.dims().kind().id(), s.activation().id(), Cli.channels(s), s.folds().size(), s.engine().id());
        o.flush();
        return 0;
    }

    static Map<Integer, String> parseLabelNames(List<String> values) {
        Map<Integer, String> out = new LinkedHashMap<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            int eq = v.indexOf('=');
            try {
                if (eq <= 0 || eq == v.length() - 1) {
                    throw new NumberFormatException();
                }
                out.put(Integer.parseInt(v.substring(0, eq).strip()), v.substring(eq + 1).strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("--label-names takes VALUE=NAME pairs, got '" + v + "'");
            }
        }
        return out;
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readString(file));
            if (n == null || !n.isObject()) {
                throw new InvalidModelException(file + ": not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
