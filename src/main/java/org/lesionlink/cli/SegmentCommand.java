package org.lesionlink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.CaseInputs;
import org.lesionlink.inference.LoadedModel;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.SegmentReport;
import org.lesionlink.inference.Segmentation;
import org.lesionlink.inference.post.Lesion;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lesionlink segment}: runs a model package on one case and writes the label map and, optionally,
 * a JSON report. All checks happen before inference; the outputs are written (each atomically) only after
 * the whole case succeeded, so a failure leaves no file behind.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment one case with an installed model: label map (NIfTI) and lesion report (JSON).")
final class SegmentCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(SegmentCommand.class);

    @Option(names = "--model", required = true, paramLabel = "NAME|DIR",
            description = "An installed model's name (see `lesionlink models`) or a model package folder.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "CHANNEL=FILE",
            description = "One per model channel, e.g. --input t1c=t1c.nii.gz --input t2f=flair.nii.gz. "
                    + "Images on other grids than the first channel's are resampled onto it.")
    List<String> inputs;

    @Option(names = "--output", required = true, paramLabel = "OUT.nii[.gz]",
            description = "The uint8 label map, on the first channel's grid.")
    Path output;

    @Option(names = "--report", paramLabel = "REPORT.json",
            description = "Also write the lesion table, volumes, model, inputs and stage timings as JSON.")
    Path report;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = "Where the network runs (default auto: the GPU when the engine sees one).")
    String device;

    @Option(names = "--models", paramLabel = "DIR",
            description = "Models directory for --model NAME (default: models/ next to the jar if it exists, else ./models).")
    Path modelsDir;

    @Option(names = "--no-tta", description = "Turn mirroring test-time augmentation off (about 8x faster for 3D models).")
    boolean noTta;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Sliding-window workers, each with its own engine predictor and one intra-op thread "
                    + "(default 0: one per CPU core up to 4, or 1 on a GPU).")
    int threads;

    @Spec
    CommandSpec spec;

    private int usedThreads;

    @Override
    public Integer call() throws Exception {
        // One case per process: no separate warm-up, the first tiles pay the engine's one-time optimisation.
        LoadedModel.Options options = LoadedModel.Options.defaults().withDevice(device.toLowerCase(Locale.ROOT))
                .withTta(!noTta).withThreads(threads).withWarmUp(false);
        Map<String, Path> given = parseInputs(inputs);
        Cli.requireNiftiName("--output", output);
        Cli.requireParentDir("--output", output);
        if (report != null) {
            Cli.requireParentDir("--report", report);
            if (report.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--report and --output name the same file " + output);
            }
        }
        for (Path in : given.values()) {
            if (in.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--output " + output + " would overwrite an input");
            }
        }

        Map<String, Long> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        ModelPackage pkg = Cli.model(model, modelsDir);
        ModelSpec ms = pkg.spec();
        List<String> order = CaseInputs.order(ms, given.keySet());

        NiftiReader reader = new NiftiReader();
        List<Volume> volumes = new ArrayList<>();
        for (String channel : order) {
            Path file = given.get(channel);
            Volume v = reader.readVolume(file);
            CaseInputs.checkValues(v, file.toString());
            if (!volumes.isEmpty()) {
                CaseInputs.checkOverlap(volumes.get(0).geometry(), given.get(order.get(0)).toString(), v.geometry(), file.toString());
            }
            volumes.add(v);
        }
        long t1 = System.nanoTime();
        timings.put("read", ms(t1 - t0));

        Segmentation seg;
        String where;
        try (LoadedModel loaded = LoadedModel.open(pkg, options)) {
            timings.put("load-model", loaded.loadTime().toMillis());
            where = loaded.device();
            usedThreads = loaded.threads();
            seg = loaded.segment(volumes);
        }
        for (Map.Entry<String, Duration> e : seg.timings().entrySet()) {
            timings.put(e.getKey(), e.getValue().toMillis());
        }

        // Everything that can fail on content has run; serialise the report before writing anything.
        long t2 = System.nanoTime();
        byte[] json = null;
        if (report != null) {
            Map<String, Long> reportTimings = new LinkedHashMap<>(timings);
            json = reportJson(pkg, given, order, where, seg, reportTimings, t0, t2);
        }
        new NiftiWriter().write(seg.labelMap(), output);
        if (json != null) {
            try {
                Cli.writeAtomically(report, json);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(output);
                throw e;
            }
        }
        long t3 = System.nanoTime();
        timings.put("write", ms(t3 - t2));
        log.info("timings (ms): {}", timings);

        PrintWriter out = spec.commandLine().getOut();
        double total = seg.lesions().stream().mapToDouble(Lesion::volumeMl).sum();
        out.printf(Locale.ROOT, "%d lesion(s), %.3f ml in all; wrote %s%s (%d ms)%n", seg.lesions().size(), total, output,
                report == null ? "" : " and " + report, ms(t3 - t0));
        out.flush();
        return 0;
    }

    /** {@code CHANNEL=FILE} pairs in the order given; duplicates and malformed values are refused. */
    static Map<String, Path> parseInputs(List<String> values) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0 || eq == v.length() - 1) {
                throw new IllegalArgumentException("--input takes CHANNEL=FILE, got '" + v + "'");
            }
            String channel = v.substring(0, eq).strip();
            if (out.put(channel, Path.of(v.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("--input: channel " + channel + " given twice");
            }
        }
        return out;
    }

    private byte[] reportJson(ModelPackage pkg, Map<String, Path> given, List<String> order, String where,
            Segmentation seg, Map<String, Long> timings, long t0, long now) throws IOException {
        Map<String, String> in = new LinkedHashMap<>();
        for (String channel : order) {
            in.put(channel, given.get(channel).toString());
        }
        timings.put("total-before-write", ms(now - t0));
        Map<String, Object> r = SegmentReport.build(pkg, in, output.toString(), where, !noTta, usedThreads, seg, timings);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(r);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
