package org.lesionlink.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.Segmentation;
import org.lesionlink.inference.Segmenter;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlModel;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;

/**
 * Stop-gap batch inference until {@code lesionlink segment} is merged: segments every case folder of a
 * phantom run ({@code DIR/caseNNN/<input>.nii.gz}) with one model package and writes
 * {@code OUT/caseNNN.nii.gz}, the layout {@code lesionlink evaluate --pred} reads, plus
 * {@code OUT/timings.csv} (wall time per {@link Segmenter} stage and case). Not part of the product: it
 * lives with the tests and runs on the test classpath.
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.lesionlink.tools.SegmentCases \
 *     MODEL_DIR CASES_DIR OUT_DIR [--no-tta] [--threads N]
 * </pre>
 */
public final class SegmentCases {

    private SegmentCases() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SegmentCases MODEL_DIR CASES_DIR OUT_DIR [--no-tta] [--threads N]");
            System.exit(2);
        }
        Path modelDir = Path.of(args[0]);
        Path cases = Path.of(args[1]);
        Path out = Path.of(args[2]);
        boolean tta = true;
        int threads = 0;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--no-tta")) {
                tta = false;
            } else if (args[i].equals("--threads")) {
                threads = Integer.parseInt(args[++i]);
            }
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Files.createDirectories(out);
        ModelPackage pkg = ModelPackage.open(modelDir);
        ModelSpec spec = pkg.spec();
        List<Path> folders;
        try (Stream<Path> s = Files.list(cases)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        }
        NiftiReader reader = new NiftiReader();
        StringBuilder csv = new StringBuilder();
        try (DjlModel model = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.CPU, 1, 1))) {
            Segmenter segmenter = new Segmenter(spec, model.folds(), new Segmenter.Options(tta, 1, false));
            for (Path folder : folders) {
                List<Volume> inputs = new ArrayList<>();
                for (ModelSpec.Input in : spec.inputs()) {
                    inputs.add(reader.readVolume(folder.resolve(in.name() + ".nii.gz")));
                }
                Segmentation seg = segmenter.segment(inputs);
                new NiftiWriter().write(seg.labelMap(), out.resolve(folder.getFileName() + ".nii.gz"));
                if (csv.length() == 0) {
                    csv.append("case,").append(String.join(",", seg.timings().keySet())).append(",total\n");
                }
                csv.append(folder.getFileName());
                for (Map.Entry<String, Duration> e : seg.timings().entrySet()) {
                    csv.append(String.format(Locale.ROOT, ",%.3f", e.getValue().toNanos() / 1e9));
                }
                csv.append(String.format(Locale.ROOT, ",%.3f%n", seg.total().toNanos() / 1e9));
                System.err.printf(Locale.ROOT, "%s: %d lesion(s), %.1f s %s%n", folder.getFileName(), seg.lesions().size(),
                        seg.total().toNanos() / 1e9, seg.timings());
            }
        }
        Files.writeString(out.resolve("timings.csv"), csv.toString());
    }
}
