package org.lesionlink.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lesionlink.image.BoundingBox;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.djl.DeviceChoice;
import org.lesionlink.inference.djl.DjlModel;

/**
 * LesionLink's whole pipeline on DJL against reference_pipeline.py, an independent numpy/scipy/PyTorch
 * implementation, running the same TorchScript weights on the same case: crop box equal, logits within
 * 1e-4 (max abs), label maps identical. The case is at the model's spacing (the reference does not resample).
 * The 2D models run slice by slice (axial with neighbouring slices as channels, and sagittal).
 */
class SegmenterReferenceTest {

    @TempDir
    Path dir;

    /** A skull-stripped-looking case: smooth blobs inside an ellipsoid, zero outside, with a zero hole inside. */
    static List<Volume> phantom(int[] dims, long seed) {
        java.util.Random r = new java.util.Random(seed);
        Geometry g = Geometry.of(dims, new double[] {1, 1, 1}, new double[] {-12, 30, 5},
                new double[][] {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        double[][] blobs = new double[6][];
        for (int b = 0; b < blobs.length; b++) {
            blobs[b] = new double[] {r.nextDouble() * dims[0], r.nextDouble() * dims[1], r.nextDouble() * dims[2],
                    2 + 3 * r.nextDouble(), 50 + 200 * r.nextDouble()};
        }
        float[][] ch = new float[2][dims[0] * dims[1] * dims[2]];
        for (int k = 0, v = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++, v++) {
                    double ex = (i - 15.5) / 12.5;
                    double ey = (j - 13.0) / 9.5;
                    double ez = (k - 11.0) / 6.2;
                    boolean inside = ex * ex + ey * ey + ez * ez <= 1;
                    boolean hole = Math.abs(i - 15) <= 1 && Math.abs(j - 13) <= 1 && Math.abs(k - 11) <= 1;
                    if (!inside || hole) {
                        continue;
                    }
                    double s = 100;
                    for (double[] b : blobs) {
                        double d2 = sq(i - b[0]) + sq(j - b[1]) + sq(k - b[2]);
                        s += b[4] * Math.exp(-d2 / (2 * b[3] * b[3]));
                    }
                    ch[0][v] = (float) (s + 5 * r.nextGaussian());
                    ch[1][v] = (float) (0.5 * s + 300 * Math.exp(-sq(i - 10) / 20.0) + 5 * r.nextGaussian());
                }
            }
        }
        return List.of(Volume.ofFloats(g, ch[0]), Volume.ofFloats(g, ch[1]));
    }

    static double sq(double x) {
        return x * x;
    }

    @ParameterizedTest(name = "{0}, tta {1}")
    @CsvSource({"tiny-unet, true", "tiny-segresnet, true", "tiny-unet, false", "tiny-unet2d, true", "tiny-unet2d-sag, true"})
    void matchesTheIndependentPythonPipeline(String model, boolean tta) throws Exception {
        ModelPackage pkg = ModelPackage.open(PeerModels.folder(model));
        int[] dims = {32, 28, 24};
        List<Volume> inputs = phantom(dims, 42);

        Segmentation seg;
        try (DjlModel m = DjlModel.open(pkg, new DjlModel.Options(DeviceChoice.CPU, 2, 1))) {
            seg = new Segmenter(pkg.spec(), m.folds(), new Segmenter.Options(tta, 1, true)).segment(inputs);
        }

        Path caseDir = Files.createDirectories(dir.resolve("case"));
        for (int c = 0; c < inputs.size(); c++) {
            Files.write(caseDir.resolve("c" + c + ".f32"), toBytes(inputs.get(c).toFloats(0)));
        }
        Files.writeString(caseDir.resolve("case.json"), "{\"dims\": [32, 28, 24], \"channels\": [\"c0.f32\", \"c1.f32\"], \"tta\": "
                + tta + "}");
        Path out = dir.resolve("out");
        PeerModels.script("reference_pipeline.py", pkg.folder().toString(), caseDir.toString(), out.toString());

        JsonNode bbox = new ObjectMapper().readTree(out.resolve("bbox.json").toFile());
        BoundingBox b = seg.crop().orElseThrow();
        assertArrayEquals(ints(bbox.get("start")), b.start(), "crop start");
        assertArrayEquals(ints(bbox.get("size")), b.size(), "crop size");
        assertTrue(b.size(2) < 16, "the crop is thinner than the patch along k, so padding is exercised: " + b);

        Volume logits = seg.logits().orElseThrow();
        float[] want = floats(Files.readAllBytes(out.resolve("logits.f32")));
        int n = logits.voxelsPerChannel();
        assertEquals(want.length, n * logits.channels());
        double maxAbs = 0;
        for (int c = 0; c < logits.channels(); c++) {
            float[] got = logits.toFloats(c);
            for (int v = 0; v < n; v++) {
                maxAbs = Math.max(maxAbs, Math.abs(got[v] - want[c * n + v]));
            }
        }
        System.err.printf("%s tta=%s: max |logit difference| = %.3g, timings %s%n", model, tta, maxAbs, seg.timings());
        assertTrue(maxAbs < 1e-4, "max abs logit difference " + maxAbs);

        byte[] wantLabels = Files.readAllBytes(out.resolve("labels.u8"));
        byte[] gotLabels = new byte[wantLabels.length];
        seg.labelMap().data(0).get(gotLabels);
        int differ = 0;
        int[] counts = new int[4];
        for (int v = 0; v < gotLabels.length; v++) {
            differ += gotLabels[v] != wantLabels[v] ? 1 : 0;
            counts[gotLabels[v]]++;
        }
        assertEquals(0, differ, "voxels whose label differs from the reference");
        assertEquals(inputs.get(0).geometry(), seg.labelMap().geometry());
        assertTrue(counts[1] + counts[2] + counts[3] > 0, "the random net labels something: " + java.util.Arrays.toString(counts));
        assertEquals(List.of("check", "crop", "normalise", "resample", "inference", "resample-back", "labels",
                "postprocess", "restore", "lesions"), List.copyOf(seg.timings().keySet()));
        long lesionVoxels = seg.lesions().stream().mapToLong(l -> l.voxels()).sum();
        assertEquals(counts[1] + counts[2] + counts[3], lesionVoxels);
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int x = 0; x < out.length; x++) {
            out[x] = a.get(x).asInt();
        }
        return out;
    }

    static byte[] toBytes(float[] f) {
        ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

}
