package org.lesionlink.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlBlockTilePredictor;
import org.lesionlink.inference.window.SlidingWindow;
import org.lesionlink.inference.window.TilePredictor;
import org.lesionlink.training.data.Augmenter;
import org.lesionlink.training.data.Patch;
import org.lesionlink.training.data.PatchSampler;
import org.lesionlink.training.data.TrainingCase;
import org.lesionlink.training.loss.SegmentationLoss;
import org.lesionlink.training.nets.Networks;
import org.lesionlink.training.nets.SegResNet;
import org.lesionlink.training.nets.UNet;
import org.lesionlink.training.optim.AdamL2;
import org.lesionlink.training.optim.NesterovSgd;
import org.lesionlink.training.optim.PolyLr;
import org.lesionlink.training.optim.StatefulOptimizer;

/**
 * k-fold training of one architecture and loss, writing a LesionLink model package
 * ({@link ModelSpec.Engine#DJL}): {@code model.json}, {@code foldN.params}, {@code training_log.csv},
 * {@code splits.json}, and per fold a checkpoint {@code foldN/checkpoint.bin} after every epoch.
 *
 * <p><b>Per fold.</b> Cases are split deterministically: shuffled with the seed, case {@code i} of the
 * shuffled list validates fold {@code i mod k}. Each epoch runs {@code iterations} batches; patch
 * {@code n} of the fold (counting over epochs, iterations and batch slots) is forced onto foreground
 * when {@code n mod 3 == 2} (nnU-Net's one third). The learning rate follows {@link PolyLr} per epoch.
 * Gradients are clipped to a global norm of 12 (nnU-Net's trainer). After each epoch the validation
 * cases are segmented by sliding window (step 0.5, Gaussian blending, no mirroring) and the Dice per
 * region (sigmoid models) or label (softmax models) is logged; a case where both prediction and truth
 * are empty scores 1.
 *
 * <p><b>Optimiser by architecture</b> (seed 2): U-Net as nnU-Net, SGD with Nesterov momentum 0.99,
 * lr 1e-2, weight decay 3e-5; SegResNet Adam lr 1e-4, weight decay 1e-5; both with poly decay.
 * TorchScript networks (fine-tuning only) take the SGD recipe. {@link TrainingConfig#learningRate()}
 * overrides the initial rate.
 *
 * <p><b>Initialisation.</b> From scratch: He-normal weights from the seed. Fine-tuning
 * ({@link TrainingConfig#fineTune()}, seed 2's transfer learning): every fold starts from the same
 * pretrained fold's weights ({@link Pretrained}); the optimiser starts fresh (a model package carries no
 * optimiser state, so momentum builds up again from zero, as in nnU-Net's {@code -pretrained_weights});
 * with {@code freezeEncoder} the encoder's parameters get no gradient. {@code init.json} in the package
 * records which it was (with the pretrained weights' SHA-256), and checkpoints refuse to resume a run
 * started differently.
 *
 * <p><b>Determinism.</b> All random choices (initial weights: {@link org.lesionlink.training.nets.HeInitializer};
 * split; case, patch position, foreground voxel and augmentation per iteration) come from Java
 * {@link SplittableRandom}s seeded from {@code (seed, fold, epoch, iteration)}, never from the engine's
 * generator, so they are identical on every machine and device. On the CPU, PyTorch's kernels gave
 * bit-identical runs in our tests for the same build and thread count; other thread counts may change
 * the order of floating-point reductions and so the last bits. On GPUs cuDNN may pick non-deterministic
 * algorithms: runs agree only approximately there.
 *
 * <p><b>Memory.</b> Each iteration's arrays (inputs, activations, gradients' temporaries) live in a
 * sub-manager closed at its end; the optimiser keeps its state in its own manager. The number of live
 * arrays is the same after every iteration (see {@link Listener#iteration}).
 */
public final class Trainer {

    /** nnU-Net's gradient-norm clip. */
    public static final float CLIP_NORM = 12f;

    /** Observes training (tests, progress). */
    public interface Listener {
        default void iteration(int fold, int epoch, int iteration, float loss, int liveArrays) {}

        default void epoch(EpochResult result) {}

        /** A fold's parameters are set (random, pretrained or resumed), before the first update. */
        default void initialized(int fold, PairList<String, Parameter> parameters) {}

        /**
         * A fold finished training; {@code network} runs the in-memory network (batch 1, the patch as tile)
         * and is valid only during this call, before the fold's parameters are written.
         */
        default void foldTrained(int fold, TilePredictor network) {}
    }

    /** One row of the training log. */
    public record EpochResult(int fold, int epoch, float learningRate, double trainLoss, Map<String, Double> validationDice,
            double seconds) {}

    private final TrainingConfig config;
    private final Listener listener;
    private final ProgressBar progress;
    private final ModelSpec spec;
    /** The network's description; null for a TorchScript network. */
    private final Networks.Network prototype;
    /** The starting point of fine-tuning; null when training from scratch. */
    private final Pretrained pretrained;

    /** @throws java.io.UncheckedIOException when the pretrained package of a fine-tune cannot be read */
    public Trainer(TrainingConfig config, Listener listener, PrintStream progress) {
        this.config = config;
        this.listener = listener == null ? new Listener() {} : listener;
        this.progress = new ProgressBar(progress);
        try {
            this.pretrained = config.fineTuning() ? Pretrained.open(config.fineTune().model(), config.fineTune().fold()) : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
        if (pretrained != null) {
            checkMatches(pretrained);
        }
        this.prototype = pretrained == null ? network(config, 1)
                : pretrained.torchScript() ? null
                : network(pretrained.spec(), 1);
        if (prototype != null) {
            for (int p : config.patch()) {
                if (p % prototype.divisor() != 0) {
                    throw new IllegalArgumentException("--patch sizes must be multiples of " + prototype.divisor() + " for "
                            + config.architecture() + ", got " + java.util.Arrays.toString(config.patch()));
                }
            }
        }
        this.spec = spec(List.of(weightsFile(0)));
    }

    /** Refuses a configuration whose inputs or sizes differ from the pretrained model's. */
    private void checkMatches(Pretrained p) {
        ModelSpec s = p.spec();
        if (!config.channels().equals(p.channels())) {
            throw new IllegalArgumentException("channels " + config.channels() + " differ from the pretrained model's " + p.channels());
        }
        if (!java.util.Arrays.equals(config.patch(), s.patchSize()) || config.spacing() != p.spacing()) {
            throw new IllegalArgumentException("patch " + java.util.Arrays.toString(config.patch()) + " at " + config.spacing()
                    + " mm differs from the pretrained model's " + java.util.Arrays.toString(s.patchSize()) + " at "
                    + p.spacing() + " mm");
        }
        if (config.task() != p.task()) {
            throw new IllegalArgumentException("--task " + config.task() + " differs from the pretrained model's " + s.task().id());
        }
        if (p.torchScript() && config.fineTune().freezeEncoder()) {
            throw new IllegalArgumentException("--freeze-encoder works for LesionLink's own architectures only; a TorchScript "
                    + "module's parameter names do not say which layers are the encoder");
        }
    }

    /** The network a DJL package describes. */
    static Networks.Network network(ModelSpec s, int outChannels) {
        return Networks.build(s.architecture().name(), s.architecture().parameters(), outChannels);
    }

    /** The network of a configuration (SegResNet: MONAI-like defaults; U-Net: stages until the bottleneck is about 4 voxels, at most 6). */
    public static Networks.Network network(TrainingConfig c, int outChannels) {
        return switch (c.architecture()) {
            case Networks.SEGRESNET -> Networks.segResNet(SegResNet.Config.defaults(c.filters()), outChannels);
            case Networks.UNET -> {
                int min = java.util.Arrays.stream(c.patch()).min().orElseThrow();
                int stages = Math.max(1, Math.min(6, 1 + (int) Math.floor(Math.log(Math.max(min / 4.0, 1)) / Math.log(2))));
                yield Networks.unet(UNet.Config.defaults(stages, c.filters()), outChannels);
            }
            default -> throw new IllegalArgumentException("--arch must be segresnet or unet, got '" + c.architecture() + "'");
        };
    }

    /** The descriptor written with the given fold files; a fine-tuned model keeps the pretrained one's but for name and folds. */
    public ModelSpec spec(List<String> folds) {
        String name = config.out().getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0))) {
            name = "model-" + name;
        }
        if (pretrained != null) {
            ModelSpec s = pretrained.spec();
            return new ModelSpec(name, s.version(), s.task(), s.inputs(), s.targetSpacing(), s.patchSize(), s.dims(),
                    s.activation(), s.labels(), s.regions(), s.regionClassOrder(), s.mirrorAxes(), s.postprocessing(), folds,
                    s.engine(), s.stepSize(), s.architecture());
        }
        return config.task().spec(name, config.channels(), config.patch(), config.spacing(), ModelSpec.Engine.DJL,
                new ModelSpec.Architecture(prototype.name(), prototype.parameters()), folds);
    }

    static String foldFile(int fold) {
        return "fold" + fold + ".params";
    }

    /** The weights file of a fold: DJL parameters, or a TorchScript module for a fine-tuned TorchScript model. */
    private String weightsFile(int fold) {
        return pretrained != null && pretrained.torchScript() ? "fold" + fold + ".pt" : foldFile(fold);
    }

    /** {@code scratch}, or {@code fine-tune:<sha256>} of the pretrained weights (checkpoint identity). */
    private String init() {
        return pretrained == null ? Checkpoint.SCRATCH : "fine-tune:" + pretrained.sha256();
    }

    private String architectureName() {
        return prototype == null ? "torchscript" : prototype.name();
    }

    /** Trains every configured fold; returns the log rows of this run. */
    public List<EpochResult> run() throws IOException {
        List<Path> folders = TrainingCase.list(config.data());
        if (folders.size() < config.folds()) {
            throw new IllegalArgumentException("--data " + config.data() + " has " + folders.size()
                    + " case folder(s) with a seg file, fewer than --folds " + config.folds());
        }
        List<TrainingCase> cases = new ArrayList<>();
        for (Path f : folders) {
            cases.add(TrainingCase.load(f, spec));
        }
        Files.createDirectories(config.out());
        int[][] split = split(cases.size(), config.folds(), config.seed());
        writeSplits(cases, split);
        writeInit();
        Engine.getEngine("PyTorch"); // loads the natives
        JniUtils.setGradMode(false); // on this thread: updates happen in place, outside the gradient collector
        if (config.threads() > 0) {
            JniUtils.setNumThreads(config.threads());
        }
        List<EpochResult> results = new ArrayList<>();
        for (int fold : config.runFolds()) {
            List<TrainingCase> train = new ArrayList<>();
            List<TrainingCase> val = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                (split[i][0] == fold ? val : train).add(cases.get(i));
            }
            results.addAll(trainFold(fold, train, val));
            writeModelJson();
        }
        return results;
    }

    /** {@code result[i][0]}: the fold that validates case {@code i} (cases shuffled with the seed first). */
    static int[][] split(int n, int k, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, 0x5B117L));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[][] fold = new int[n][1];
        for (int pos = 0; pos < n; pos++) {
            fold[order[pos]][0] = pos % k;
        }
        return fold;
    }

    /** SplitMix64-style mixing of several longs into one seed. */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h ^= p;
            h += 0x9E3779B97F4A7C15L;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
        }
        return h;
    }

    private Device device() {
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        DeviceChoice choice = config.device();
        if (choice == DeviceChoice.GPU && gpus == 0) {
            throw new IllegalStateException("--device gpu, but the PyTorch engine sees no GPU");
        }
        return choice == DeviceChoice.CPU || gpus == 0 ? Device.cpu() : Device.gpu();
    }

    private boolean sgd() {
        return prototype == null || prototype.name().equals(Networks.UNET);
    }

    private float baseLearningRate() {
        return config.learningRate() > 0 ? (float) config.learningRate() : sgd() ? NesterovSgd.LR : AdamL2.LR;
    }

    private StatefulOptimizer optimizer(NDManager manager) {
        return sgd()
                ? new NesterovSgd(manager, baseLearningRate(), NesterovSgd.MOMENTUM, NesterovSgd.WEIGHT_DECAY)
                : new AdamL2(manager, baseLearningRate(), AdamL2.WEIGHT_DECAY);
    }

    private List<EpochResult> trainFold(int fold, List<TrainingCase> train, List<TrainingCase> val) throws IOException {
        int out = spec.networkOutputChannels();
        int in = spec.networkInputChannels();
        int[] p = config.patch();
        int b = config.batch();
        Shape inputShape = new Shape(b, in, p[2], p[1], p[0]);
        Path foldDir = Files.createDirectories(config.out().resolve("fold" + fold));
        Path checkpointFile = foldDir.resolve("checkpoint.bin");
        Checkpoint identity = new Checkpoint(fold, 0, config.seed(), architectureName(), config.loss(), init());
        SegmentationLoss loss = SegmentationLoss.of(config.loss(), config.task().output(), config.batchDice());
        PatchSampler sampler = new PatchSampler(p, config.augment() ? PatchSampler.Spatial.nnUNet() : PatchSampler.Spatial.none(),
                config.foreground());
        Augmenter augmenter = new Augmenter(config.augment() ? Augmenter.Settings.nnUNet() : Augmenter.Settings.none());
        List<EpochResult> results = new ArrayList<>();
        Device device = device();
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
                StatefulOptimizer optimizer = optimizer(manager);
                TorchScriptNetwork script = pretrained != null && pretrained.torchScript()
                        ? TorchScriptNetwork.load(pretrained.weights(), device) : null) {
            Networks.Network net = script != null ? null : pretrained != null ? network(pretrained.spec(), out) : network(config, out);
            Block block = script != null ? script.block() : net.block();
            int startEpoch = 0;
            if (config.resume() && Files.isRegularFile(checkpointFile)) {
                if (script != null) {
                    throw new IllegalArgumentException("--resume: resuming the fine-tuning of a TorchScript model is not "
                            + "supported; start it again without --resume");
                }
                Checkpoint c = Checkpoint.load(checkpointFile, block, manager, optimizer, identity);
                block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, inputShape); // re-attaches gradients
                startEpoch = c.nextEpoch();
                trimLog(fold, startEpoch);
            } else {
                if (script != null) {
                    script.check(inputShape, out);
                } else if (pretrained != null) {
                    loadPretrained(block, manager);
                    block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, inputShape); // attaches gradients
                } else {
                    net.initialize(manager, inputShape, mix(config.seed(), fold, 0x1417L));
                }
                trimLog(fold, 0);
            }
            if (pretrained != null && config.fineTune().freezeEncoder()) {
                freezeEncoder(block);
            }
            PairList<String, Parameter> params = block.getParameters();
            listener.initialized(fold, params);
            ParameterStore store = new ParameterStore(manager, false);
            PolyLr poly = new PolyLr(baseLearningRate(), config.epochs());
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                float lr = poly.at(epoch);
                optimizer.setLearningRate(lr);
                String prefix = String.format(Locale.ROOT, "fold %d epoch %d/%d", fold, epoch + 1, config.epochs());
                progress.begin(prefix, config.iterations());
                double lossSum = 0;
                for (int it = 0; it < config.iterations(); it++) {
                    SplittableRandom rng = new SplittableRandom(mix(config.seed(), fold, epoch, it));
                    float[] x = new float[Math.toIntExact(inputShape.size())];
                    float[] y = new float[b * out * p[0] * p[1] * p[2]];
                    for (int s = 0; s < b; s++) {
                        long n = ((long) epoch * config.iterations() + it) * b + s;
                        TrainingCase c = train.get(rng.nextInt(train.size()));
                        Patch patch = sampler.sample(c, n % 3 == 2, rng);
                        augmenter.apply(patch, rng);
                        fill(x, y, s, patch, in, out);
                    }
                    float value;
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray xa = sub.create(FloatBuffer.wrap(x), inputShape);
                        NDArray ya = sub.create(FloatBuffer.wrap(y), new Shape(b, out, p[2], p[1], p[0]));
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDArray logits = block.forward(store, new NDList(xa), true).singletonOrThrow();
                            NDArray l = loss.compute(logits, ya);
                            gc.backward(l);
                            value = l.getFloat();
                        }
                        clip(params);
                        optimizer.step(params);
                        StatefulOptimizer.zeroGradients(params);
                    }
                    if (!Float.isFinite(value)) {
                        throw new IllegalStateException("fold " + fold + " epoch " + epoch + " iteration " + it
                                + ": the loss is " + value + " (try a smaller learning rate or check the data)");
                    }
                    lossSum += value;
                    listener.iteration(fold, epoch, it, value, manager.getManagedArrays().size());
                    progress.update(it + 1, lossSum / (it + 1));
                }
                boolean validating = config.validateEvery() > 0
                        && ((epoch + 1) % config.validateEvery() == 0 || epoch == config.epochs() - 1);
                Map<String, Double> dice = validating ? validate(block, manager, val) : notValidated();
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochResult r = new EpochResult(fold, epoch, lr, lossSum / config.iterations(), dice, seconds);
                results.add(r);
                appendLog(r);
                new Checkpoint(fold, epoch + 1, config.seed(), architectureName(), config.loss(), init())
                        .save(checkpointFile, block, optimizer);
                progress.end(String.format(Locale.ROOT, "%s loss %.4f val Dice %s (%s)", prefix, r.trainLoss(),
                        format(dice), ProgressBar.time(seconds)));
                listener.epoch(r);
            }
            try (DjlBlockTilePredictor inMemory = DjlBlockTilePredictor.wrap(block, manager, p, in, out, 1)) {
                listener.foldTrained(fold, inMemory);
            }
            Path weights = config.out().resolve(weightsFile(fold));
            Path tmp = weights.resolveSibling(weights.getFileName() + ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                if (script != null) {
                    script.write(os);
                } else {
                    block.saveParameters(new DataOutputStream(os));
                }
            }
            Files.move(tmp, weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return results;
    }

    /** Writes one patch into the batch's input and target arrays at slot {@code s}. */
    private void fill(float[] x, float[] y, int s, Patch patch, int in, int out) {
        int v = patch.voxels();
        for (int c = 0; c < in; c++) {
            System.arraycopy(patch.channels()[c], 0, x, (s * in + c) * v, v);
        }
        byte[] labels = patch.labels();
        if (spec.activation() == ModelSpec.Activation.SIGMOID) {
            List<ModelSpec.Region> regions = spec.regions();
            for (int r = 0; r < regions.size(); r++) {
                boolean[] member = members(regions.get(r).labels());
                int base = (s * out + r) * v;
                for (int i = 0; i < v; i++) {
                    y[base + i] = member[labels[i] & 0xff] ? 1 : 0;
                }
            }
        } else {
            int[] channelOf = new int[256];
            for (int c = 0; c < spec.labels().size(); c++) {
                channelOf[spec.labels().get(c).value()] = c + 1;
            }
            for (int i = 0; i < v; i++) {
                y[(s * out + channelOf[labels[i] & 0xff]) * v + i] = 1;
            }
        }
    }

    private static boolean[] members(int[] labels) {
        boolean[] m = new boolean[256];
        for (int l : labels) {
            m[l] = true;
        }
        return m;
    }

    /** Scales all gradients down to a global L2 norm of at most {@link #CLIP_NORM}. */
    private static void clip(PairList<String, Parameter> params) {
        try (NDScope scope = new NDScope()) {
            List<NDArray> grads = new ArrayList<>();
            double sq = 0;
            for (Pair<String, Parameter> p : params) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    NDArray g = w.getGradient();
                    grads.add(g);
                    sq += g.square().sum().getFloat();
                }
            }
            double norm = Math.sqrt(sq);
            if (norm > CLIP_NORM) {
                float f = (float) (CLIP_NORM / (norm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(f);
                }
            }
            scope.suppressNotUsedWarning();
        }
    }

    /** Loads the pretrained fold's DJL parameters into a freshly built block. */
    private void loadPretrained(Block block, NDManager manager) throws IOException {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(pretrained.weights()))) {
            block.loadParameters(manager, new DataInputStream(is));
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(pretrained.weights() + ": pretrained parameters do not fit " + architectureName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Freezes the encoder: parameters under the blocks {@code down*} (U-Net and SegResNet) and
     * {@code convInit} (SegResNet). DJL names a parameter by its path of child blocks, each prefixed with
     * a two-digit index, e.g. {@code 02down1_01conv_weight}.
     */
    static int freezeEncoder(Block block) {
        int frozen = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            String top = p.getKey().split("_", 2)[0].replaceFirst("^\\d+", "");
            if (top.startsWith("down") || top.equals("convInit")) {
                p.getValue().freeze(true);
                frozen++;
            }
        }
        if (frozen == 0) {
            throw new IllegalStateException("--freeze-encoder: no encoder parameters found in " + block.getClass().getSimpleName());
        }
        return frozen;
    }

    /** Dice columns of an epoch without validation. */
    private Map<String, Double> notValidated() {
        Map<String, Double> m = new LinkedHashMap<>();
        (spec.activation() == ModelSpec.Activation.SIGMOID
                ? spec.regions().stream().map(ModelSpec.Region::name)
                : spec.labels().stream().map(ModelSpec.Label::name)).forEach(n -> m.put(n, Double.NaN));
        return m;
    }

    /** Mean Dice per region (sigmoid) or label (softmax) over the validation cases. */
    private Map<String, Double> validate(Block block, NDManager manager, List<TrainingCase> val) {
        Map<String, Double> sums = new LinkedHashMap<>();
        List<String> names = spec.activation() == ModelSpec.Activation.SIGMOID
                ? spec.regions().stream().map(ModelSpec.Region::name).toList()
                : spec.labels().stream().map(ModelSpec.Label::name).toList();
        names.forEach(n -> sums.put(n, 0.0));
        if (val.isEmpty()) {
            return sums;
        }
        int in = spec.networkInputChannels();
        int out = spec.networkOutputChannels();
        try (DjlBlockTilePredictor predictor = DjlBlockTilePredictor.wrap(block, manager, config.patch(), in, out, 1)) {
            SlidingWindow window = new SlidingWindow(new SlidingWindow.Settings(0.5, true, new int[0], 1));
            for (TrainingCase c : val) {
                float[][] logits = window.predict(c.channels(), c.dims(), List.of(predictor));
                for (int k = 0; k < names.size(); k++) {
                    boolean[] truth = spec.activation() == ModelSpec.Activation.SIGMOID
                            ? members(spec.regions().get(k).labels())
                            : members(new int[] {spec.labels().get(k).value()});
                    long inter = 0;
                    long pred = 0;
                    long gt = 0;
                    for (int v = 0; v < c.voxels(); v++) {
                        boolean pv = spec.activation() == ModelSpec.Activation.SIGMOID ? logits[k][v] > 0 : argmax(logits, v) == k + 1;
                        boolean tv = truth[c.labels()[v] & 0xff];
                        inter += pv && tv ? 1 : 0;
                        pred += pv ? 1 : 0;
                        gt += tv ? 1 : 0;
                    }
                    double d = pred + gt == 0 ? 1 : 2.0 * inter / (pred + gt);
                    sums.merge(names.get(k), d / val.size(), Double::sum);
                }
            }
        }
        return sums;
    }

    private static int argmax(float[][] logits, int v) {
        int best = 0;
        for (int c = 1; c < logits.length; c++) {
            if (logits[c][v] > logits[best][v]) {
                best = c;
            }
        }
        return best;
    }

    private static String format(Map<String, Double> dice) {
        StringBuilder sb = new StringBuilder();
        dice.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.3f", v)));
        return sb.toString();
    }

    private Path logFile() {
        return config.out().resolve("training_log.csv");
    }

    private String header() {
        List<String> names = spec.activation() == ModelSpec.Activation.SIGMOID
                ? spec.regions().stream().map(ModelSpec.Region::name).toList()
                : spec.labels().stream().map(ModelSpec.Label::name).toList();
        StringBuilder sb = new StringBuilder("fold,epoch,lr,train_loss");
        names.forEach(n -> sb.append(",val_dice_").append(n.replace(' ', '_')));
        return sb.append(",seconds").toString();
    }

    private void appendLog(EpochResult r) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(r.fold()).append(',').append(r.epoch()).append(',')
                .append(String.format(Locale.ROOT, "%.6g,%.6f", r.learningRate(), r.trainLoss()));
        r.validationDice().values().forEach(d -> sb.append(String.format(Locale.ROOT, ",%.4f", d)));
        sb.append(String.format(Locale.ROOT, ",%.1f", r.seconds())).append('\n');
        Files.writeString(logFile(), sb.toString(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Keeps the log's header and the rows of other folds and of this fold's epochs before {@code fromEpoch}. */
    private void trimLog(int fold, int fromEpoch) throws IOException {
        List<String> keep = new ArrayList<>();
        keep.add(header());
        if (Files.isRegularFile(logFile())) {
            try (Stream<String> lines = Files.lines(logFile())) {
                lines.skip(1).filter(l -> !l.isBlank()).forEach(l -> {
                    String[] f = l.split(",", 3);
                    if (Integer.parseInt(f[0]) != fold || Integer.parseInt(f[1]) < fromEpoch) {
                        keep.add(l);
                    }
                });
            }
        }
        Files.write(logFile(), keep);
    }

    private void writeSplits(List<TrainingCase> cases, int[][] split) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", config.seed());
        List<Map<String, List<String>>> folds = new ArrayList<>();
        for (int f = 0; f < config.folds(); f++) {
            List<String> tr = new ArrayList<>();
            List<String> va = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                (split[i][0] == f ? va : tr).add(cases.get(i).id());
            }
            folds.add(Map.of("train", tr, "validation", va));
        }
        json.put("folds", folds);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(config.out().resolve("splits.json").toFile(), json);
    }

    /** {@code init.json}: how the weights started (scratch with the seed, or the pretrained fold and its hash). */
    private void writeInit() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        if (pretrained == null) {
            json.put("mode", "scratch");
            json.put("seed", config.seed());
        } else {
            json.putAll(pretrained.provenance());
            json.put("freezeEncoder", config.fineTune().freezeEncoder());
        }
        json.put("learningRate", baseLearningRate());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(config.out().resolve("init.json").toFile(), json);
    }

    /** model.json listing every fold whose parameters exist in the package folder. */
    private void writeModelJson() throws IOException {
        List<String> folds = new ArrayList<>();
        for (int f = 0; f < config.folds(); f++) {
            if (Files.isRegularFile(config.out().resolve(weightsFile(f)))) {
                folds.add(weightsFile(f));
            }
        }
        Files.writeString(config.out().resolve(ModelSpec.FILE_NAME), spec(folds).toJson());
    }
}
