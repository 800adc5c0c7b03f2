package org.lesionlink.inference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The descriptor of a model package, read from its {@code model.json}. Immutable; every constructor
 * validates, and {@link #parse} reports problems as {@link InvalidModelException}s that name the bad key
 * (e.g. {@code model.json: inputs[1].normalization: ...}).
 *
 * <p><b>Axis order.</b> {@code targetSpacing}, {@code patchSize} and {@code mirrorAxes} are given in
 * LesionLink's voxel-axis order (i, j, k) = (0, 1, 2). The network sees tensors of shape
 * {@code (N, C, k, j, i)} in C order, i.e. i varies fastest, which is exactly the memory layout of a
 * {@link org.lesionlink.image.Volume} channel; no transposition is done. (nnU-Net plans list the patch in
 * numpy array order; a converter from nnU-Net must map its axes onto this convention.)
 *
 * <p><b>Outputs.</b> With {@link Activation#SOFTMAX} the network has {@code 1 + labels.size()} output
 * channels: channel 0 is background and channel {@code c} is {@code labels[c - 1]}; the label map is the
 * argmax. With {@link Activation#SIGMOID} it has {@code regions.size()} channels, one per region in order,
 * each thresholded at probability 0.5 and painted with {@code regionClassOrder[r]} in region order, later
 * regions overwriting earlier ones (nnU-Net's {@code regions_class_order}). Regions may be declared with
 * softmax too; they are then only used to report region volumes.
 *
 * @param name short identifier, {@code [a-z0-9._-]+}
 * @param version free text, e.g. {@code 1.0.0}
 * @param task what the model segments
 * @param inputs one entry per input image (channel), in network channel order
 * @param targetSpacing mm per voxel axis (i, j, k) the model runs at; for a 2D model the slice-axis entry is
 *     not used (slices stay at the input's spacing, as in nnU-Net's 2D configuration)
 * @param patchSize tile size per voxel axis (i, j, k); for 2D models the slice axis has size 1
 * @param dims 3D, or 2D applied slice by slice
 * @param activation softmax over labels or sigmoid over regions
 * @param labels the label values written into the label map (1..255), with display name, colour and code
 * @param regions unions of labels (BraTS: WT, TC, ET); required and in output order for sigmoid models
 * @param regionClassOrder for sigmoid models: the label painted for each region; null otherwise
 * @param mirrorAxes voxel axes mirrored for test-time augmentation; empty turns TTA off
 * @param postprocessing what happens to the label map after inference
 * @param folds weights file names, one per fold, inside the package folder; logits are averaged
 * @param engine the weights format
 * @param stepSize sliding-window step as a fraction of the patch (nnU-Net: 0.5); null means 0.5
 * @param architecture for {@link Engine#DJL} only: the network to rebuild before loading the folds' DJL
 *     {@code .params} (absent for TorchScript and ONNX, whose files carry the graph)
 */
public record ModelSpec(
        String name,
        String version,
        Task task,
        List<Input> inputs,
        double[] targetSpacing,
        int[] patchSize,
        Dims dims,
        Activation activation,
        List<Label> labels,
        List<Region> regions,
        int[] regionClassOrder,
        int[] mirrorAxes,
        PostProcessing postprocessing,
        List<String> folds,
        Engine engine,
        Double stepSize,
        Architecture architecture) {

    /** The file name of the descriptor inside a model package folder. */
    public static final String FILE_NAME = "model.json";

    /** nnU-Net's default sliding-window step (fraction of the patch size). */
    public static final double DEFAULT_STEP_SIZE = 0.5;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern SNOMED = Pattern.compile("[0-9]{6,18}");
    /** How constructor messages start: the key they refer to, e.g. {@code patchSize: } or {@code lower/upper: }. */
    private static final Pattern KEY_PREFIX = Pattern.compile("[a-zA-Z]+(\\[\\d+\\])?([./][a-zA-Z]+)*: ");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public ModelSpec {
        require(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' must match " + NAME.pattern());
        }
        require(version, "version");
        require(task, "task");
        require(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs: at least one input is needed");
        }
        inputs = List.copyOf(inputs);
        Set<String> inputNames = new HashSet<>();
        for (int c = 0; c < inputs.size(); c++) {
            if (inputs.get(c) == null || !inputNames.add(inputs.get(c).name())) {
                throw new IllegalArgumentException("inputs[" + c + "]: missing or duplicate input name");
            }
        }
        require(targetSpacing, "targetSpacing");
        if (targetSpacing.length != 3 || Arrays.stream(targetSpacing).anyMatch(s -> !(s > 0) || !Double.isFinite(s))) {
            throw new IllegalArgumentException("targetSpacing: needs 3 positive finite values (mm along i, j, k), got "
                    + Arrays.toString(targetSpacing));
        }
        targetSpacing = targetSpacing.clone();
        require(patchSize, "patchSize");
        if (patchSize.length != 3 || Arrays.stream(patchSize).anyMatch(p -> p < 1 || p > 1024)) {
            throw new IllegalArgumentException("patchSize: needs 3 values in 1..1024 (voxels along i, j, k), got "
                    + Arrays.toString(patchSize));
        }
        patchSize = patchSize.clone();
        if (dims == null) {
            dims = Dims.THREE_D;
        }
        if (dims.kind() == Dims.Kind.TWO_D && patchSize[dims.sliceAxis()] != 1) {
            throw new IllegalArgumentException("patchSize: a 2D model needs size 1 along its slice axis "
                    + dims.sliceAxis() + ", got " + Arrays.toString(patchSize));
        }
        require(activation, "activation");
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels: at least one label is needed");
        }
        Set<Integer> labelValues = new HashSet<>();
        for (int l = 0; l < labels.size(); l++) {
            if (labels.get(l) == null || !labelValues.add(labels.get(l).value())) {
                throw new IllegalArgumentException("labels[" + l + "]: missing or duplicate label value");
            }
        }
        regions = regions == null ? List.of() : List.copyOf(regions);
        Set<String> regionNames = new HashSet<>();
        for (int r = 0; r < regions.size(); r++) {
            Region region = regions.get(r);
            if (region == null || !regionNames.add(region.name())) {
                throw new IllegalArgumentException("regions[" + r + "]: missing or duplicate region name");
            }
            for (int v : region.labels()) {
                if (!labelValues.contains(v)) {
                    throw new IllegalArgumentException("regions[" + r + "].labels: label " + v + " is not declared in labels");
                }
            }
        }
        if (activation == Activation.SIGMOID) {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("regions: a sigmoid model needs its output regions");
            }
            require(regionClassOrder, "regionClassOrder");
            if (regionClassOrder.length != regions.size()) {
                throw new IllegalArgumentException("regionClassOrder: needs one label per region (" + regions.size()
                        + "), got " + Arrays.toString(regionClassOrder));
            }
            for (int v : regionClassOrder) {
                if (!labelValues.contains(v)) {
                    throw new IllegalArgumentException("regionClassOrder: label " + v + " is not declared in labels");
                }
            }
            regionClassOrder = regionClassOrder.clone();
        } else if (regionClassOrder != null) {
            throw new IllegalArgumentException("regionClassOrder: only sigmoid (region) models take one");
        }
        mirrorAxes = mirrorAxes == null ? new int[0] : mirrorAxes.clone();
        boolean[] seen = new boolean[3];
        for (int a : mirrorAxes) {
            if (a < 0 || a > 2 || seen[a]) {
                throw new IllegalArgumentException("mirrorAxes: needs distinct voxel axes out of 0, 1, 2, got "
                        + Arrays.toString(mirrorAxes));
            }
            if (dims.kind() == Dims.Kind.TWO_D && a == dims.sliceAxis()) {
                throw new IllegalArgumentException("mirrorAxes: a 2D model cannot mirror its slice axis " + a);
            }
            seen[a] = true;
        }
        if (postprocessing == null) {
            postprocessing = PostProcessing.NONE;
        }
        if (postprocessing.thresholds() != null
                && (activation != Activation.SIGMOID || postprocessing.thresholds().size() != regions.size())) {
            throw new IllegalArgumentException("postprocessing.thresholds: needs one probability per output region of a "
                    + "sigmoid model (" + regions.size() + "), got " + postprocessing.thresholds());
        }
        require(folds, "folds");
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("folds: at least one weights file is needed");
        }
        folds = List.copyOf(folds);
        Set<String> files = new HashSet<>();
        for (int f = 0; f < folds.size(); f++) {
            String file = folds.get(f);
            if (file == null || file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")
                    || !files.add(file)) {
                throw new IllegalArgumentException("folds[" + f + "]: '" + file
                        + "' must be a distinct plain file name inside the model folder");
            }
        }
        require(engine, "engine");
        if (stepSize != null && !(stepSize > 0 && stepSize <= 1)) {
            throw new IllegalArgumentException("stepSize: must be in (0, 1], got " + stepSize);
        }
        if (engine == Engine.DJL && architecture == null) {
            throw new IllegalArgumentException("architecture: engine 'djl' needs the network description");
        }
        if (engine != Engine.DJL && architecture != null) {
            throw new IllegalArgumentException("architecture: only engine 'djl' takes one (" + engine.id()
                    + " weights carry their graph)");
        }
    }

    /** A descriptor without {@code architecture} (TorchScript and ONNX packages). */
    public ModelSpec(String name, String version, Task task, List<Input> inputs, double[] targetSpacing,
            int[] patchSize, Dims dims, Activation activation, List<Label> labels, List<Region> regions,
            int[] regionClassOrder, int[] mirrorAxes, PostProcessing postprocessing, List<String> folds,
            Engine engine, Double stepSize) {
        this(name, version, task, inputs, targetSpacing, patchSize, dims, activation, labels, regions,
                regionClassOrder, mirrorAxes, postprocessing, folds, engine, stepSize, null);
    }

    /** Parses and validates a {@code model.json}; {@code source} names it in messages. */
    public static ModelSpec parse(String json, String source) {
        try {
            return JSON.readValue(json, ModelSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidModelException(source + ": " + where(e) + ": unknown key (known keys: "
                    + e.getKnownPropertyIds() + ")", e);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            String at = where(e);
            String message;
            if (at.isEmpty()) {
                message = what;
            } else if (KEY_PREFIX.matcher(what).lookingAt()) {
                message = at + "." + what; // a record constructor naming one of its own keys
            } else {
                message = at + ": " + what;
            }
            throw new InvalidModelException(source + ": " + message, e);
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** This descriptor with another postprocessing (e.g. one chosen on validation cases). */
    public ModelSpec withPostprocessing(PostProcessing p) {
        return new ModelSpec(name, version, task, inputs, targetSpacing, patchSize, dims, activation, labels, regions,
                regionClassOrder, mirrorAxes, p, folds, engine, stepSize, architecture);
    }

    /** Reads {@code dir/model.json}. */
    public static ModelSpec read(Path modelJson) throws IOException {
        return parse(Files.readString(modelJson), modelJson.toString());
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public double[] targetSpacing() {
        return targetSpacing.clone();
    }

    @Override
    public int[] patchSize() {
        return patchSize.clone();
    }

    @Override
    public int[] regionClassOrder() {
        return regionClassOrder == null ? null : regionClassOrder.clone();
    }

    @Override
    public int[] mirrorAxes() {
        return mirrorAxes.clone();
    }

    /** The step as a fraction of the patch, {@link #DEFAULT_STEP_SIZE} when not given. */
    public double step() {
        return stepSize == null ? DEFAULT_STEP_SIZE : stepSize;
    }

    /** Channels the network takes: one per input, times the slices of a 2D model's stack. */
    public int networkInputChannels() {
        return inputs.size() * dims.slicesPerInput();
    }

    /** Channels the network returns (see the class comment). */
    public int networkOutputChannels() {
        return activation == Activation.SOFTMAX ? labels.size() + 1 : regions.size();
    }

    public Label label(int value) {
        return labels.stream().filter(l -> l.value() == value).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no label " + value + " in model " + name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "ModelSpec[" + name + " " + version + ", " + task.id() + ", " + engine.id() + ", " + folds.size() + " fold(s)]";
    }

    // ---- parts -----------------------------------------------------------------------------------------

    /** What the model segments. */
    public enum Task {
        BRAIN_METASTASES("brain-metastases"),
        SPINAL_METASTASES("spinal-metastases");

        private final String id;

        Task(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Task of(String id) {
            return byId(values(), id, "task", Task::id);
        }
    }

    /** Per-channel intensity normalisation, as nnU-Net's schemes of the same names. */
    public enum Normalization {
        /** Z-score over the non-zero (brain) mask of the crop; voxels outside stay 0 (nnU-Net with use_mask_for_norm). */
        ZSCORE_NONZERO("zscore-nonzero"),
        /** Z-score over the whole crop. */
        ZSCORE("zscore"),
        /** Clip to stored percentiles, then z-score with stored foreground statistics (nnU-Net CTNormalization). */
        CT("ct"),
        /** Values passed as they are. */
        NONE("none");

        private final String id;

        Normalization(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Normalization of(String id) {
            return byId(values(), id, "normalization", Normalization::id);
        }
    }

    /** The fixed statistics of a CT channel: clip window (dataset foreground percentiles 0.5 / 99.5), mean, std. */
    public record CtStats(double lower, double upper, double mean, double std) {
        public CtStats {
            if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(lower < upper)) {
                throw new IllegalArgumentException("lower/upper: need finite lower < upper, got " + lower + ", " + upper);
            }
            if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("mean/std: need a finite mean and a positive finite std, got "
                        + mean + ", " + std);
            }
        }
    }

    /** One input image: its name (t1c, flair, ct, ...) and normalisation. */
    public record Input(String name, Normalization normalization, CtStats ct) {
        public Input {
            require(name, "name");
            require(normalization, "normalization");
            if (normalization == Normalization.CT && ct == null) {
                throw new IllegalArgumentException("ct: normalization 'ct' needs stored statistics {lower, upper, mean, std}");
            }
            if (normalization != Normalization.CT && ct != null) {
                throw new IllegalArgumentException("ct: statistics are only used with normalization 'ct'");
            }
        }

        public static Input of(String name, Normalization normalization) {
            return new Input(name, normalization, null);
        }
    }

    /**
     * 3D, or 2D applied slice by slice along {@code sliceAxis} with {@code neighbourSlices} slices on each
     * side stacked as extra channels (per input: slice - n .. slice + n; network channel
     * {@code c * (2n + 1) + d + n} is input c at offset d; slices beyond the volume are zeros). A 2D network
     * sees tensors {@code (N, C, a, b)}: the voxel axes other than the slice axis, in (k, j, i) order; its
     * output has the same in-plane shape.
     */
    public record Dims(Kind kind, Integer sliceAxis, Integer neighbourSlices) {
        public static final Dims THREE_D = new Dims(Kind.THREE_D, null, null);

        public enum Kind {
            THREE_D("3d"),
            TWO_D("2d");

            private final String id;

            Kind(String id) {
                this.id = id;
            }

            @JsonValue
            public String id() {
                return id;
            }

            @JsonCreator
            public static Kind of(String id) {
                return byId(values(), id, "kind", Kind::id);
            }
        }

        public Dims {
            require(kind, "kind");
            if (kind == Kind.THREE_D) {
                if (sliceAxis != null || neighbourSlices != null) {
                    throw new IllegalArgumentException("sliceAxis/neighbourSlices: only 2D models take them");
                }
            } else {
                require(sliceAxis, "sliceAxis");
                if (sliceAxis < 0 || sliceAxis > 2) {
                    throw new IllegalArgumentException("sliceAxis: must be 0, 1 or 2, got " + sliceAxis);
                }
                if (neighbourSlices == null) {
                    neighbourSlices = 0;
                }
                if (neighbourSlices < 0 || neighbourSlices > 16) {
                    throw new IllegalArgumentException("neighbourSlices: must be in 0..16, got " + neighbourSlices);
                }
            }
        }

        /** Slices of each input fed to the network at once: 1 for 3D, {@code 2 n + 1} for 2D. */
        public int slicesPerInput() {
            return kind == Kind.THREE_D ? 1 : 2 * neighbourSlices + 1;
        }
    }

    public enum Activation {
        SOFTMAX("softmax"),
        SIGMOID("sigmoid");

        private final String id;

        Activation(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Activation of(String id) {
            return byId(values(), id, "activation", Activation::id);
        }
    }

    /**
     * A label of the map: value 1..255, display name, colour {@code #rrggbb} and an optional SNOMED CT
     * concept id (digits, e.g. 94225005 "Metastatic malignant neoplasm to brain").
     */
    public record Label(int value, String name, String colour, String snomedCode) {
        public Label {
            if (value < 1 || value > 255) {
                throw new IllegalArgumentException("value: must be in 1..255 (0 is background), got " + value);
            }
            require(name, "name");
            require(colour, "colour");
            if (!COLOUR.matcher(colour).matches()) {
                throw new IllegalArgumentException("colour: must look like #rrggbb, got '" + colour + "'");
            }
            if (snomedCode != null && !SNOMED.matcher(snomedCode).matches()) {
                throw new IllegalArgumentException("snomedCode: must be a SNOMED CT concept id (6-18 digits), got '"
                        + snomedCode + "'");
            }
        }
    }

    /** A named union of labels, e.g. BraTS-METS TC = {1, 3}. */
    public record Region(String name, int[] labels) {
        public Region {
            require(name, "name");
            require(labels, "labels");
            if (labels.length == 0) {
                throw new IllegalArgumentException("labels: a region needs at least one label");
            }
            labels = labels.clone();
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }

        public boolean contains(int label) {
            for (int l : labels) {
                if (l == label) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Region r && name.equals(r.name) && Arrays.equals(labels, r.labels);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(labels);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(labels);
        }
    }

    /**
     * What happens to the network's output after the sliding window; the optional keys are left out of
     * {@code model.json} when unset, so packages without them read and write as before.
     *
     * @param minComponentVoxels foreground components (26-connected, all labels together) with fewer voxels
     *     than this, counted on the input grid, are removed; 0 keeps everything
     * @param minComponentMm3 optional: foreground components (as above) smaller than this volume in mm^3 are
     *     removed too. Unlike a voxel count it means the same at every input spacing, so a threshold chosen
     *     on 2 mm validation cases holds for a 1 mm scan
     * @param thresholds optional, sigmoid (region) models only: the probability above which each region is
     *     painted, in region order (absent: 0.5 for every region, nnU-Net's)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PostProcessing(int minComponentVoxels, Double minComponentMm3, List<Double> thresholds) {
        public static final PostProcessing NONE = new PostProcessing(0);

        @JsonCreator
        public PostProcessing {
            if (minComponentVoxels < 0) {
                throw new IllegalArgumentException("minComponentVoxels: must be >= 0, got " + minComponentVoxels);
            }
            if (minComponentMm3 != null && !(minComponentMm3 >= 0 && Double.isFinite(minComponentMm3))) {
                throw new IllegalArgumentException("minComponentMm3: must be a finite volume >= 0, got " + minComponentMm3);
            }
            if (thresholds != null) {
                for (Double t : thresholds) {
                    if (t == null || !(t > 0 && t < 1)) {
                        throw new IllegalArgumentException("thresholds: probabilities must lie in (0, 1), got " + thresholds);
                    }
                }
                thresholds = List.copyOf(thresholds);
            }
        }

        /** Only a minimum voxel count (the original format). */
        public PostProcessing(int minComponentVoxels) {
            this(minComponentVoxels, null, null);
        }

        /** The probability threshold of region {@code r}: the stored one or 0.5. */
        public double threshold(int r) {
            return thresholds == null ? 0.5 : thresholds.get(r);
        }

        /** The smallest kept component in voxels of {@code voxelMm3} mm^3: the stricter of the two minimums. */
        public int minVoxels(double voxelMm3) {
            int byVolume = minComponentMm3 == null || minComponentMm3 == 0 ? 0 : (int) Math.ceil(minComponentMm3 / voxelMm3 - 1e-9);
            return Math.max(minComponentVoxels, byVolume);
        }
    }

    /** The weights format, and thereby the DJL engine that runs them. */
    public enum Engine {
        TORCHSCRIPT("torchscript"),
        ONNX("onnx"),
        /** DJL {@code .params} of a network built in Java from {@link ModelSpec#architecture()} (PyTorch engine). */
        DJL("djl");

        private final String id;

        Engine(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Engine of(String id) {
            return byId(values(), id, "engine", Engine::id);
        }
    }

    /**
     * The network of a {@link Engine#DJL} package: a name ({@code segresnet}, {@code unet}) and its
     * hyper-parameters as plain JSON values. Which names and parameters exist is decided by the code that
     * builds the network ({@code org.lesionlink.training.nets.Networks}); the descriptor only carries them.
     */
    public record Architecture(String name, java.util.Map<String, Object> parameters) {
        public Architecture {
            require(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name: '" + name + "' must match " + NAME.pattern());
            }
            parameters = parameters == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(parameters));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static void require(Object value, String key) {
        if (value == null) {
            throw new IllegalArgumentException(key + ": missing");
        }
    }

    private static <E> E byId(E[] values, String id, String what, java.util.function.Function<E, String> idOf) {
        for (E e : values) {
            if (idOf.apply(e).equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        List<String> ids = new ArrayList<>();
        for (E e : values) {
            ids.add(idOf.apply(e));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + id + "' (expected one of " + String.join(", ", ids) + ")");
    }

    /** The JSON path of a mapping problem as {@code inputs[1].normalization}. */
    private static String where(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        List<JsonMappingException.Reference> path = e.getPath();
        for (int p = 0; p < path.size(); p++) {
            JsonMappingException.Reference r = path.get(p);
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.toString();
    }

}
