package org.lesionlink.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A TorchScript module (an imported model's fold) loaded for training by DJL's PyTorch engine.
 *
 * <p>DJL loads TorchScript with frozen parameters unless the model option {@code trainParam=true} is given (DJL 0.32; later DJL versions call it {@code retrain});
 * then the module's parameters require gradients, {@code forward(..., training=true)} switches the module
 * to {@code train()} mode and back, and the trainer's optimiser updates the parameter tensors in place
 * (they are the module's own tensors). The trained module is written back as a plain TorchScript file
 * ({@code torch.jit.load} reads it), so the fine-tuned package runs through the same inference path.
 * Without that option the parameters do not require gradients ("element 0 of tensors does not require
 * grad") and BatchNorm buffers are inference tensors, so a training forward fails with "Inplace update to
 * inference tensor outside InferenceMode" (both seen here with DJL 0.32 / PyTorch 2.5.1).
 *
 * <p><b>Limits</b> (verified by {@code TorchScriptFineTuneTest} on a traced U-Net):
 * <ul>
 *   <li>only the module's <em>parameters</em> are trained; buffers follow PyTorch's semantics: BatchNorm
 *       running statistics are updated by every training forward (momentum 0.1 of the module), so with
 *       tiny batches they drift towards the new data; nothing here freezes them;
 *   <li>no freezing of layers (parameter names of an arbitrary module do not say what the encoder is);
 *   <li>the optimiser starts fresh and its state is not written into the package; resuming an
 *       interrupted TorchScript fine-tune is not supported (start again);
 *   <li>the module must be traceable for the trainer's fixed patch shape and return one tensor
 *       {@code (N, outputs, D, H, W)}; a module traced in {@code eval()} mode has its mode-dependent
 *       branches (dropout, BatchNorm) frozen into the trace by {@code torch.jit.trace}, so export with
 *       {@code torch.jit.script} when training behaviour matters.
 * </ul>
 */
final class TorchScriptNetwork implements AutoCloseable {

    private final Model model;

    private TorchScriptNetwork(Model model) {
        this.model = model;
    }

    /** Loads {@code file} with trainable parameters on {@code device}. */
    static TorchScriptNetwork load(Path file, Device device) throws IOException {
        Model model = Model.newInstance("finetune", device, "PyTorch");
        try {
            model.load(file, null, Map.of("trainParam", "true", "mapLocation", "true"));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException(file + ": cannot load the TorchScript module for training: " + e.getMessage(), e);
        }
        return new TorchScriptNetwork(model);
    }

    Block block() {
        return model.getBlock();
    }

    /** One forward pass without gradients to check that the module maps {@code input} to {@code outputs} channels. */
    void check(Shape input, int outputs) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray y = block().forward(new ParameterStore(m, false), new NDList(m.zeros(input)), false).singletonOrThrow();
            Shape want = new Shape(input.get(0), outputs, input.get(2), input.get(3), input.get(4));
            if (!y.getShape().equals(want)) {
                throw new IllegalArgumentException("the TorchScript module maps " + input + " to " + y.getShape() + ", expected "
                        + want);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Writes the module as a plain TorchScript file. */
    void write(OutputStream out) {
        JniUtils.writeModule((PtSymbolBlock) block(), out, false);
    }

    @Override
    public void close() {
        model.close();
    }
}
