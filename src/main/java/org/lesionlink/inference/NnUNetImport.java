package org.lesionlink.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an nnU-Net v2 {@code plans.json} and {@code dataset.json} into a LesionLink {@link ModelSpec}.
 * Written from nnU-Net v2's documented file formats; nothing is copied from it.
 *
 * <h2>Axes</h2>
 * nnU-Net reads images into arrays ordered (z, y, x), i.e. LesionLink's (k, j, i) (its SimpleITK and
 * NibabelIO readers both use that order), then transposes them with {@code transpose_forward}; every
 * per-axis value of a configuration ({@code patch_size}, {@code spacing}) and the mirroring axes refer to
 * the axes of that transposed array. Axis {@code a} of the transposed array is original array axis
 * {@code transpose_forward[a]}, which is voxel axis {@code 2 - transpose_forward[a]}; that is the mapping
 * applied here. The network itself must take LesionLink's untransposed {@code (N, C, k, j, i)} tensors: the
 * exporter {@code tools/export_nnunet.py} wraps each fold in the transposes for that reason.
 *
 * <p>2D configurations run slice by slice along transposed axis 0 ({@code sliceAxis = 2 -
 * transpose_forward[0]}); their two patch and spacing values belong to transposed axes 1 and 2, and the
 * slice axis keeps the input's spacing. Images read with {@code NibabelIOWithReorient} were reoriented to
 * RAS before training; LesionLink does not reorient, so such models get a warning.
 *
 * <h2>Everything else</h2>
 * <ul>
 *   <li>Channels: {@code dataset.json} {@code channel_names} (or the older {@code modality}), in key order.
 *   <li>Normalisation per channel from the configuration's {@code normalization_schemes}:
 *       {@code ZScoreNormalization} is {@code zscore-nonzero} when {@code use_mask_for_norm} is true for
 *       the channel, else {@code zscore}; {@code CTNormalization} is {@code ct} with the window
 *       {@code percentile_00_5 .. percentile_99_5} and the {@code mean}/{@code std} of
 *       {@code foreground_intensity_properties_per_channel}; {@code NoNormalization} is {@code none}.
 *       Others (rescale to [0, 1], RGB) are refused.
 *   <li>Labels: {@code dataset.json} {@code labels}. Plain labels must be 0 (background) and 1..K
 *       consecutive, giving a softmax model. When a label maps to a list of values (a region), all
 *       non-background entries are regions in file order, the model is sigmoid, and
 *       {@code regions_class_order} gives the value painted per region; a painted value is named after the
 *       region that paints it unless names are given. An {@code ignore} label is left out.
 *   <li>Mirroring: all spatial axes unless the exporter recorded {@code inference_allowed_mirroring_axes}.
 *   <li>Sliding-window step 0.5; no post-processing unless asked (nnU-Net's is never carried over).
 *   <li>Cascade configurations ({@code previous_stage}) are refused: they need another model's output.
 * </ul>
 */
public final class NnUNetImport {

    private static final String[] PALETTE = {"#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0",
        "#f032e6", "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324"};

    private NnUNetImport() {}

    /**
     * What to call the model and what nnU-Net's files do not say.
     *
     * @param name model name; null derives it from the plans' {@code dataset_name}
     * @param labelNames optional names for label values (region models paint values the dataset does not name)
     * @param mirrorAxes nnU-Net's {@code inference_allowed_mirroring_axes} (transposed-array axes), or null
     *     for all spatial axes
     */
    public record Options(String name, String version, ModelSpec.Task task, String configuration,
            Map<Integer, String> labelNames, int[] mirrorAxes, int minComponentVoxels) {}

    /** The result, with warnings a user should see. */
    public record Result(ModelSpec spec, List<String> warnings) {}

    /**
     * @param folds weights file names inside the future package, one per fold
     * @throws InvalidModelException naming the file and key of the first problem
     */
    public static Result convert(JsonNode plans, JsonNode dataset, Options o, List<String> folds, ModelSpec.Engine engine) {
        List<String> warnings = new ArrayList<>();
        JsonNode config = configuration(plans, o.configuration());
        if (config.hasNonNull("previous_stage")) {
            throw bad("plans.json", "configurations." + o.configuration() + ": a cascade stage (previous_stage "
                    + config.get("previous_stage").asText() + ") needs the low-resolution stage's output; not supported");
        }
        String reader = plans.path("image_reader_writer").asText("");
        if (reader.contains("Reorient")) {
            warnings.add("plans.json: image_reader_writer " + reader + " reoriented images to RAS in training; LesionLink "
                    + "segments in the file's own voxel order, so give inputs in the orientation the model was trained on");
        }
        int[] tf = transposeForward(plans);
        int[] patch = ints(config, "patch_size", "plans.json", "configurations." + o.configuration());
        double[] spacing = doubles(config, "spacing", "plans.json", "configurations." + o.configuration());
        boolean twoD = patch.length == 2;
        if (!twoD && patch.length != 3) {
            throw bad("plans.json", "configurations." + o.configuration() + ".patch_size: needs 2 or 3 values, got "
                    + Arrays.toString(patch));
        }
        if (spacing.length != patch.length) {
            throw bad("plans.json", "configurations." + o.configuration() + ".spacing: needs " + patch.length
                    + " values like patch_size, got " + Arrays.toString(spacing));
        }

        // axes: transposed axis a is voxel axis 2 - tf[a]
        int[] patchIjk = new int[3];
        double[] spacingIjk = new double[3];
        ModelSpec.Dims dims;
        int firstSpatial = twoD ? 1 : 0;
        if (twoD) {
            int slice = 2 - tf[0];
            dims = new ModelSpec.Dims(ModelSpec.Dims.Kind.TWO_D, slice, 0);
            patchIjk[slice] = 1;
            JsonNode median = plans.path("original_median_spacing_after_transp");
            spacingIjk[slice] = median.isArray() && median.size() == 3 && median.get(0).asDouble() > 0 ? median.get(0).asDouble() : 1.0;
        } else {
            dims = ModelSpec.Dims.THREE_D;
        }
        for (int p = 0; p < patch.length; p++) {
            int voxelAxis = 2 - tf[p + firstSpatial];
            patchIjk[voxelAxis] = patch[p];
            spacingIjk[voxelAxis] = spacing[p];
        }
        int[] mirror;
        int[] nnMirror = o.mirrorAxes() != null ? o.mirrorAxes() : twoD ? new int[] {0, 1} : new int[] {0, 1, 2};
        mirror = new int[nnMirror.length];
        for (int m = 0; m < nnMirror.length; m++) {
            if (nnMirror[m] < 0 || nnMirror[m] >= patch.length) {
                throw bad("export.json", "inference_allowed_mirroring_axes: axis " + nnMirror[m] + " is not one of the "
                        + patch.length + " spatial axes");
            }
            mirror[m] = 2 - tf[nnMirror[m] + firstSpatial];
        }
        Arrays.sort(mirror);

        List<ModelSpec.Input> inputs = inputs(plans, dataset, config, o.configuration());
        Labels labels = labels(dataset, o.labelNames());

        String name = o.name() != null ? o.name() : defaultName(plans);
        try {
            ModelSpec spec = new ModelSpec(name, o.version(), o.task(), inputs, spacingIjk, patchIjk, dims,
                    labels.regions.isEmpty() ? ModelSpec.Activation.SOFTMAX : ModelSpec.Activation.SIGMOID,
                    labels.labels, labels.regions, labels.regions.isEmpty() ? null : labels.classOrder, mirror,
                    new ModelSpec.PostProcessing(o.minComponentVoxels()), folds, engine, null);
            return new Result(spec, warnings);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("converted model.json: " + e.getMessage(), e);
        }
    }

    /** The configuration with {@code inherits_from} resolved (the child's keys win). */
    static JsonNode configuration(JsonNode plans, String name) {
        JsonNode all = plans.path("configurations");
        if (!all.isObject() || all.isEmpty()) {
            throw bad("plans.json", "configurations: missing (is this an nnU-Net v2 plans file?)");
        }
        List<String> chain = new ArrayList<>();
        JsonNode c = all.get(name);
        if (c == null) {
            List<String> names = new ArrayList<>();
            all.fieldNames().forEachRemaining(names::add);
            throw bad("plans.json", "configurations: no configuration '" + name + "' (available: " + String.join(", ", names) + ")");
        }
        ObjectNode merged = c.deepCopy();
        String current = name;
        while (c.hasNonNull("inherits_from")) {
            String parent = c.get("inherits_from").asText();
            chain.add(current);
            if (chain.contains(parent) || !all.has(parent)) {
                throw bad("plans.json", "configurations." + current + ".inherits_from: '" + parent
                        + "' is missing or circular");
            }
            c = all.get(parent);
            Iterator<Map.Entry<String, JsonNode>> it = c.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!merged.has(e.getKey())) {
                    merged.set(e.getKey(), e.getValue());
                }
            }
            current = parent;
        }
        merged.remove("inherits_from");
        return merged;
    }

    static int[] transposeForward(JsonNode plans) {
        JsonNode t = plans.get("transpose_forward");
        if (t == null) {
            return new int[] {0, 1, 2};
        }
        int[] tf = ints(plans, "transpose_forward", "plans.json", "");
        int[] sorted = tf.clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, new int[] {0, 1, 2})) {
            throw bad("plans.json", "transpose_forward: needs a permutation of 0, 1, 2, got " + Arrays.toString(tf));
        }
        return tf;
    }

    private static List<ModelSpec.Input> inputs(JsonNode plans, JsonNode dataset, JsonNode config, String configName) {
        JsonNode names = dataset.has("channel_names") ? dataset.get("channel_names") : dataset.get("modality");
        if (names == null || !names.isObject() || names.isEmpty()) {
            throw bad("dataset.json", "channel_names: missing or empty");
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        names.fields().forEachRemaining(e -> {
            try {
                byIndex.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException x) {
                throw bad("dataset.json", "channel_names: key '" + e.getKey() + "' is not a channel index");
            }
        });
        if (byIndex.firstKey() != 0 || byIndex.lastKey() != byIndex.size() - 1) {
            throw bad("dataset.json", "channel_names: keys must be 0.." + (byIndex.size() - 1) + ", got " + byIndex.keySet());
        }
        JsonNode schemes = config.get("normalization_schemes");
        String where = "configurations." + configName;
        if (schemes == null || !schemes.isArray() || schemes.size() != byIndex.size()) {
            throw bad("plans.json", where + ".normalization_schemes: needs one scheme per channel (" + byIndex.size() + ")");
        }
        JsonNode mask = config.path("use_mask_for_norm");
        JsonNode props = plans.path("foreground_intensity_properties_per_channel");
        List<ModelSpec.Input> out = new ArrayList<>();
        for (Map.Entry<Integer, String> ch : byIndex.entrySet()) {
            int c = ch.getKey();
            String name = ch.getValue();
            if (name.isBlank() || name.contains("=")) {
                throw bad("dataset.json", "channel_names." + c + ": '" + name + "' cannot be a channel name (blank or contains '=')");
            }
            String scheme = schemes.get(c).asText();
            switch (scheme) {
                case "ZScoreNormalization" -> out.add(ModelSpec.Input.of(name, mask.path(c).asBoolean(false)
                        ? ModelSpec.Normalization.ZSCORE_NONZERO : ModelSpec.Normalization.ZSCORE));
                case "NoNormalization" -> out.add(ModelSpec.Input.of(name, ModelSpec.Normalization.NONE));
                case "CTNormalization" -> {
                    JsonNode p = props.get(String.valueOf(c));
                    String key = "foreground_intensity_properties_per_channel." + c;
                    if (p == null) {
                        throw bad("plans.json", key + ": missing, but channel " + c + " uses CTNormalization");
                    }
                    try {
                        out.add(new ModelSpec.Input(name, ModelSpec.Normalization.CT, new ModelSpec.CtStats(
                                number(p, "percentile_00_5", key), number(p, "percentile_99_5", key),
                                number(p, "mean", key), number(p, "std", key))));
                    } catch (IllegalArgumentException e) {
                        if (e instanceof InvalidModelException) {
                            throw e;
                        }
                        throw bad("plans.json", key + ": " + e.getMessage());
                    }
                }
                default -> throw bad("plans.json", where + ".normalization_schemes[" + c + "]: " + scheme
                        + " is not supported (ZScoreNormalization, CTNormalization, NoNormalization)");
            }
        }
        return out;
    }

    private record Labels(List<ModelSpec.Label> labels, List<ModelSpec.Region> regions, int[] classOrder) {}

    private static Labels labels(JsonNode dataset, Map<Integer, String> names) {
        JsonNode labels = dataset.get("labels");
        if (labels == null || !labels.isObject() || labels.isEmpty()) {
            throw bad("dataset.json", "labels: missing or empty");
        }
        Map<String, int[]> entries = new LinkedHashMap<>();
        boolean regions = false;
        Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            int[] values;
            if (v.isIntegralNumber()) {
                values = new int[] {v.asInt()};
            } else if (v.isArray() && v.size() > 0) {
                values = new int[v.size()];
                for (int x = 0; x < values.length; x++) {
                    if (!v.get(x).isIntegralNumber()) {
                        throw bad("dataset.json", "labels." + e.getKey() + ": needs integers, got " + v);
                    }
                    values[x] = v.get(x).asInt();
                }
                regions |= values.length > 1;
            } else {
                throw bad("dataset.json", "labels." + e.getKey() + ": needs an integer or a list of integers, got " + v);
            }
            entries.put(e.getKey(), values);
        }
        int[] background = entries.remove("background");
        if (background == null || background.length != 1 || background[0] != 0) {
            throw bad("dataset.json", "labels: needs \"background\": 0");
        }
        int[] ignore = entries.remove("ignore");
        if (ignore != null && ignore.length != 1) {
            throw bad("dataset.json", "labels.ignore: must be a single value");
        }
        if (entries.isEmpty()) {
            throw bad("dataset.json", "labels: no foreground label");
        }
        Map<Integer, String> given = names == null ? Map.of() : names;
        List<ModelSpec.Label> out = new ArrayList<>();
        if (!regions) {
            TreeMap<Integer, String> byValue = new TreeMap<>();
            entries.forEach((n, v) -> {
                if (byValue.put(v[0], n) != null) {
                    throw bad("dataset.json", "labels: value " + v[0] + " used twice");
                }
            });
            int expect = 1;
            for (Map.Entry<Integer, String> e : byValue.entrySet()) {
                if (e.getKey() != expect++) {
                    throw bad("dataset.json", "labels: values must be consecutive 1.." + byValue.size()
                            + " after background 0, got " + byValue.keySet());
                }
                out.add(label(e.getKey(), given.getOrDefault(e.getKey(), e.getValue())));
            }
            return new Labels(out, List.of(), null);
        }

        JsonNode orderNode = dataset.get("regions_class_order");
        if (orderNode == null || !orderNode.isArray() || orderNode.size() != entries.size()) {
            throw bad("dataset.json", "regions_class_order: a region dataset needs one label per region (" + entries.size()
                    + ": " + String.join(", ", entries.keySet()) + ")");
        }
        int[] order = new int[entries.size()];
        List<ModelSpec.Region> regionList = new ArrayList<>();
        TreeMap<Integer, String> values = new TreeMap<>();
        int r = 0;
        for (Map.Entry<String, int[]> e : entries.entrySet()) {
            order[r] = orderNode.get(r).asInt();
            values.putIfAbsent(order[r], e.getKey());
            regionList.add(new ModelSpec.Region(e.getKey(), e.getValue()));
            r++;
        }
        for (int[] v : entries.values()) {
            for (int x : v) {
                values.putIfAbsent(x, "label_" + x);
            }
        }
        for (Map.Entry<Integer, String> e : values.entrySet()) {
            if (e.getKey() < 1 || e.getKey() > 255) {
                throw bad("dataset.json", "labels: value " + e.getKey() + " is outside 1..255");
            }
            out.add(label(e.getKey(), given.getOrDefault(e.getKey(), e.getValue())));
        }
        return new Labels(out, regionList, order);
    }

    private static ModelSpec.Label label(int value, String name) {
        return new ModelSpec.Label(value, name, PALETTE[(value - 1) % PALETTE.length], null);
    }

    /** {@code Dataset501_BrainMets} becomes {@code dataset501_brainmets}. */
    static String defaultName(JsonNode plans) {
        String n = plans.path("dataset_name").asText("nnunet-model").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        n = n.replaceAll("^[^a-z0-9]+", "");
        return n.isEmpty() ? "nnunet-model" : n;
    }

    private static double number(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw bad("plans.json", where + "." + key + ": missing or not a number");
        }
        return v.asDouble();
    }

    private static int[] ints(JsonNode node, String key, String file, String where) {
        JsonNode v = node.get(key);
        String at = where.isEmpty() ? key : where + "." + key;
        if (v == null || !v.isArray()) {
            throw bad(file, at + ": missing or not a list");
        }
        int[] out = new int[v.size()];
        for (int x = 0; x < out.length; x++) {
            if (!v.get(x).isIntegralNumber()) {
                throw bad(file, at + ": needs integers, got " + v);
            }
            out[x] = v.get(x).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode node, String key, String file, String where) {
        JsonNode v = node.get(key);
        if (v == null || !v.isArray()) {
            throw bad(file, where + "." + key + ": missing or not a list");
        }
        double[] out = new double[v.size()];
        for (int x = 0; x < out.length; x++) {
            if (!v.get(x).isNumber()) {
                throw bad(file, where + "." + key + ": needs numbers, got " + v);
            }
            out[x] = v.get(x).asDouble();
        }
        return out;
    }

    private static InvalidModelException bad(String file, String message) {
        return new InvalidModelException(file + ": " + message);
    }
}
