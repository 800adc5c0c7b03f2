package org.lesionlink.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.ModelSpec;

/**
 * The starting point of fine-tuning: one fold of a model package, checked to be trainable here.
 *
 * <ul>
 *   <li>{@code djl} packages (LesionLink's own {@code unet} / {@code segresnet}): the network is rebuilt
 *       from the descriptor's architecture and the fold's DJL parameters are loaded into it.
 *   <li>{@code torchscript} packages (imported, e.g. from nnU-Net): the TorchScript module is loaded by
 *       DJL's PyTorch engine with trainable parameters (see {@link TorchScriptNetwork} for what that can
 *       and cannot do).
 *   <li>{@code onnx} packages are refused: ONNX Runtime in DJL runs inference only.
 * </ul>
 *
 * The fine-tuned package inherits everything that defines the model's inputs and outputs from this
 * descriptor (channels and their normalisation, spacing, patch, labels, regions, mirroring), so cases are
 * preprocessed exactly as in pretraining.
 *
 * @param pkg the pretrained package
 * @param fold index into its {@code folds}
 * @param weights that fold's weights file
 * @param sha256 hex SHA-256 of the weights file (recorded in {@code init.json} as provenance)
 */
public record Pretrained(ModelPackage pkg, int fold, Path weights, String sha256) {

    /** Opens {@code folder} and checks that fold {@code fold} can be fine-tuned. */
    public static Pretrained open(Path folder, int fold) throws IOException {
        if (fold < 0) {
            throw new IllegalArgumentException("--from-fold must be >= 0, got " + fold);
        }
        ModelPackage pkg = ModelPackage.open(folder);
        ModelSpec spec = pkg.spec();
        if (spec.engine() == ModelSpec.Engine.ONNX) {
            throw new IllegalArgumentException("--from " + folder + ": ONNX models cannot be fine-tuned (DJL's ONNX Runtime "
                    + "engine only runs inference); use the package's TorchScript export instead");
        }
        if (spec.dims().kind() != ModelSpec.Dims.Kind.THREE_D) {
            throw new IllegalArgumentException("--from " + folder + ": only 3D models can be fine-tuned, this one is "
                    + spec.dims().kind().id());
        }
        if (fold >= spec.folds().size()) {
            throw new IllegalArgumentException("--from-fold " + fold + ": " + folder + " has " + spec.folds().size()
                    + " fold(s) (0.." + (spec.folds().size() - 1) + ")");
        }
        Path weights = pkg.weights().get(fold);
        return new Pretrained(pkg, fold, weights, sha256(weights));
    }

    public ModelSpec spec() {
        return pkg.spec();
    }

    public boolean torchScript() {
        return spec().engine() == ModelSpec.Engine.TORCHSCRIPT;
    }

    /** The task defaults matching the package's task (for the loss's activation). */
    public TaskDefaults task() {
        TaskDefaults t = switch (spec().task()) {
            case BRAIN_METASTASES -> TaskDefaults.BRAIN;
            case SPINAL_METASTASES -> TaskDefaults.SPINE;
        };
        if (t.output() != (spec().activation() == ModelSpec.Activation.SIGMOID
                ? org.lesionlink.training.loss.SegmentationLoss.Output.SIGMOID
                : org.lesionlink.training.loss.SegmentationLoss.Output.SOFTMAX)) {
            throw new IllegalArgumentException("--from " + pkg.folder() + ": a " + spec().task().id() + " model with "
                    + spec().activation().id() + " outputs; LesionLink trains " + spec().task().id() + " with "
                    + t.output().name().toLowerCase(java.util.Locale.ROOT) + " outputs");
        }
        return t;
    }

    /** Input channel names, in network order. */
    public List<String> channels() {
        return spec().inputs().stream().map(ModelSpec.Input::name).toList();
    }

    /** The isotropic spacing the trainer uses; anisotropic pretrained spacings are refused. */
    public double spacing() {
        double[] s = spec().targetSpacing();
        if (s[0] != s[1] || s[1] != s[2]) {
            throw new IllegalArgumentException("--from " + pkg.folder() + ": target spacing " + java.util.Arrays.toString(s)
                    + " is anisotropic; the trainer resamples to isotropic spacings only");
        }
        return s[0];
    }

    /** What {@code init.json} records about the starting point. */
    Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "fine-tune");
        m.put("from", pkg.folder().toAbsolutePath().normalize().toString());
        m.put("model", spec().name());
        m.put("version", spec().version());
        m.put("engine", spec().engine().id());
        m.put("fold", spec().folds().get(fold));
        m.put("sha256", sha256);
        return m;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
