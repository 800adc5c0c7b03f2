package org.lesionlink.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nnU-Net v2 plans/dataset fixtures (src/test/resources/fixtures/nnunet) turned into model descriptors. */
class NnUNetImportTest {

    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "nnunet");
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode read(String dataset, String file) throws IOException {
        return JSON.readTree(FIXTURES.resolve(dataset).resolve(file).toFile());
    }

    static NnUNetImport.Options options(String configuration) {
        return new NnUNetImport.Options(null, "1.0.0", ModelSpec.Task.BRAIN_METASTASES, configuration, Map.of(), null, 0);
    }

    static ModelSpec convert(String dataset, String configuration) throws IOException {
        return NnUNetImport.convert(read(dataset, "plans.json"), read(dataset, "dataset.json"), options(configuration),
                List.of("fold_0.pt", "fold_1.pt"), ModelSpec.Engine.TORCHSCRIPT).spec();
    }

    @Test
    void bratsRegionDataset() throws IOException {
        ModelSpec s = convert("brats-mets", "3d_fullres");
        assertEquals("dataset501_bratsmets", s.name());
        assertEquals(List.of("t1n", "t1c", "t2w", "t2f"), s.inputs().stream().map(ModelSpec.Input::name).toList());
        assertTrue(s.inputs().stream().allMatch(i -> i.normalization() == ModelSpec.Normalization.ZSCORE_NONZERO));
        // identity transpose: plans (z, y, x) = (k, j, i), so the patch is reversed
        assertArrayEquals(new int[] {112, 160, 128}, s.patchSize());
        assertArrayEquals(new double[] {1, 1, 1}, s.targetSpacing(), 0);
        assertArrayEquals(new int[] {0, 1, 2}, s.mirrorAxes());
        assertEquals(ModelSpec.Activation.SIGMOID, s.activation());
        assertEquals(List.of("whole_tumor", "tumor_core", "enhancing_tumor"), s.regions().stream().map(ModelSpec.Region::name).toList());
        assertArrayEquals(new int[] {1, 3}, s.regions().get(1).labels());
        assertArrayEquals(new int[] {2, 1, 3}, s.regionClassOrder());
        // painted values are named after the region that paints them
        assertEquals("tumor_core", s.label(1).name());
        assertEquals("whole_tumor", s.label(2).name());
        assertEquals(3, s.networkOutputChannels());
        assertEquals(4, s.networkInputChannels());
        assertEquals(List.of("fold_0.pt", "fold_1.pt"), s.folds());
        assertEquals(0.5, s.step());
        // the descriptor survives its own JSON
        assertEquals(s, ModelSpec.parse(s.toJson(), "model.json"));
    }

    @Test
    void labelNamesCanBeGiven() throws IOException {
        ModelSpec s = NnUNetImport.convert(read("brats-mets", "plans.json"), read("brats-mets", "dataset.json"),
                new NnUNetImport.Options("brats", "2", ModelSpec.Task.BRAIN_METASTASES, "3d_fullres",
                        Map.of(1, "NETC", 2, "SNFH", 3, "ET"), null, 5),
                List.of("fold_0.pt"), ModelSpec.Engine.TORCHSCRIPT).spec();
        assertEquals(List.of("NETC", "SNFH", "ET"), s.labels().stream().map(ModelSpec.Label::name).toList());
        assertEquals("brats", s.name());
        assertEquals(5, s.postprocessing().minComponentVoxels());
    }

    @Test
    void bratsTwoD() throws IOException {
        ModelSpec s = convert("brats-mets", "2d");
        assertEquals(ModelSpec.Dims.Kind.TWO_D, s.dims().kind());
        assertEquals(2, s.dims().sliceAxis(), "identity transpose: slices along array axis 0 = k");
        assertEquals(0, s.dims().neighbourSlices());
        assertArrayEquals(new int[] {160, 192, 1}, s.patchSize());
        assertArrayEquals(new int[] {0, 1}, s.mirrorAxes());
    }

    @Test
    void ctWithTransposeIgnoreLabelAndInheritance() throws IOException {
        ModelSpec s = convert("ct-spine", "3d_fullres");
        ModelSpec.Input ct = s.inputs().get(0);
        assertEquals("CT", ct.name());
        assertEquals(ModelSpec.Normalization.CT, ct.normalization());
        assertEquals(new ModelSpec.CtStats(-98, 1474, 386.2, 262.7), ct.ct());
        // transpose_forward [2, 0, 1]: plans axis a is voxel axis 2 - tf[a] -> a0 = i, a1 = k, a2 = j
        assertArrayEquals(new double[] {3.0, 0.78, 0.78}, s.targetSpacing(), 0);
        assertArrayEquals(new int[] {48, 160, 192}, s.patchSize());
        assertEquals(ModelSpec.Activation.SOFTMAX, s.activation());
        assertEquals(List.of("lytic_metastasis", "blastic_metastasis"), s.labels().stream().map(ModelSpec.Label::name).toList());
        assertEquals(3, s.networkOutputChannels(), "the ignore label is not an output");
        assertNull(s.regionClassOrder());

        ModelSpec big = convert("ct-spine", "3d_fullres_bigpatch");
        assertArrayEquals(new int[] {64, 192, 224}, big.patchSize(), "inherits_from: own patch, parent's spacing");
        assertArrayEquals(new double[] {3.0, 0.78, 0.78}, big.targetSpacing(), 0);

        ModelSpec twoD = convert("ct-spine", "2d");
        assertEquals(0, twoD.dims().sliceAxis(), "slices along transposed axis 0 = original array axis 2 = i");
        assertArrayEquals(new int[] {1, 448, 512}, twoD.patchSize());
        assertArrayEquals(new double[] {3.0, 0.78, 0.78}, twoD.targetSpacing(), 0);
        assertArrayEquals(new int[] {1, 2}, twoD.mirrorAxes());
    }

    @Test
    void mirrorAxesFromTheExportAreMapped() throws IOException {
        ModelSpec s = NnUNetImport.convert(read("ct-spine", "plans.json"), read("ct-spine", "dataset.json"),
                new NnUNetImport.Options(null, "1", ModelSpec.Task.SPINAL_METASTASES, "3d_fullres", Map.of(), new int[] {1, 2}, 0),
                List.of("fold_0.pt"), ModelSpec.Engine.TORCHSCRIPT).spec();
        assertArrayEquals(new int[] {1, 2}, s.mirrorAxes(), "plans axes 1, 2 are voxel axes k, j");
        assertEquals(ModelSpec.Task.SPINAL_METASTASES, s.task());
    }

    @Test
    void problemsNameFileAndKey() throws IOException {
        assertMessage("brats-mets", "3d_cascade_fullres", p -> { }, d -> { }, "plans.json: configurations.3d_cascade_fullres: a cascade stage");
        assertMessage("brats-mets", "3d_nope", p -> { }, d -> { }, "plans.json: configurations: no configuration '3d_nope' (available: 2d, 3d_fullres");
        assertMessage("brats-mets", "3d_fullres", p -> { }, d -> d.remove("regions_class_order"),
                "dataset.json: regions_class_order: a region dataset needs one label per region (3");
        assertMessage("ct-spine", "3d_fullres", p -> ((ObjectNode) p.get("configurations").get("3d_fullres"))
                .putArray("normalization_schemes").add("RescaleTo01Normalization"), d -> { },
                "plans.json: configurations.3d_fullres.normalization_schemes[0]: RescaleTo01Normalization is not supported");
        assertMessage("ct-spine", "3d_fullres", p -> p.remove("foreground_intensity_properties_per_channel"), d -> { },
                "plans.json: foreground_intensity_properties_per_channel.0: missing");
        assertMessage("ct-spine", "3d_fullres", p -> p.putArray("transpose_forward").add(0).add(0).add(1), d -> { },
                "plans.json: transpose_forward: needs a permutation");
        assertMessage("ct-spine", "3d_fullres", p -> { }, d -> ((ObjectNode) d.get("labels")).put("blastic_metastasis", 5),
                "dataset.json: labels: values must be consecutive");
        assertMessage("ct-spine", "3d_fullres", p -> { }, d -> d.remove("channel_names"), "dataset.json: channel_names: missing");
    }

    private static void assertMessage(String dataset, String configuration, java.util.function.Consumer<ObjectNode> plans,
            java.util.function.Consumer<ObjectNode> data, String expected) throws IOException {
        ObjectNode p = (ObjectNode) read(dataset, "plans.json");
        ObjectNode d = (ObjectNode) read(dataset, "dataset.json");
        plans.accept(p);
        data.accept(d);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> NnUNetImport.convert(p, d,
                options(configuration), List.of("fold_0.pt"), ModelSpec.Engine.TORCHSCRIPT));
        assertTrue(e.getMessage().startsWith(expected), "got: " + e.getMessage());
    }
}
