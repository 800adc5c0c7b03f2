package org.lesionlink.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/**
 * LesionLink against a real peer, nibabel (Debian's python3-nibabel), in three directions:
 *
 * <ol>
 *   <li>every NIfTI file shipped in nibabel's test data and the Colin27 MRI templates of mricron-data, read by
 *       both: same header fields, dims, affine (1e-5) and voxel sha256;
 *   <li>files nibabel writes with what LesionLink's writer never produces (int8, uint32, int64, uint64,
 *       RGB, big-endian, 5D, pairs, qform-only, no transform), read by both the same way;
 *   <li>files LesionLink writes, loaded by nibabel: same affine, qform, data and scaling.
 * </ol>
 *
 * <p><b>Documented deviation:</b> when {@code qform_code == sform_code == 0}, LesionLink uses nifti1.h's
 * Method 1 ({@code diag(pixdim[1..3])}, no translation) and nibabel the Analyze 7.5 affine (x flipped, origin
 * at the centre). The dump script reports Method 1 for such files and keeps nibabel's own answer apart;
 * {@link #method1DeviationFromNibabelIsDeliberate()} pins the difference.
 */
class NiftiNibabelInteropTest {

    static final Path NIBABEL_DATA = Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data");
    static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");
    static final List<String> COLIN27 = List.of("ch2.nii.gz", "ch2bet.nii.gz", "ch2better.nii.gz");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature()); // nibabel's NaN slopes
    private static final double AFFINE_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    private final NiftiReader reader = new NiftiReader();

    // -----------------------------------------------------------------------------------------------------
    // nibabel reads, LesionLink reads

    @TestFactory
    Stream<DynamicTest> everyNiftiFileInNibabelsTestData() throws IOException {
        Peers.requirePythonModule("nibabel");
        Peers.requireFile(NIBABEL_DATA, "nibabel's test data, shipped with python3-nibabel");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(NIBABEL_DATA)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".nii") || n.endsWith(".nii.gz");
            }).sorted().forEach(files::add);
        }
        // the header-only pairs: the header must match, reading the voxels must say the .img is missing
        files.add(NIBABEL_DATA.resolve("nifti1.hdr"));
        files.add(NIBABEL_DATA.resolve("nifti2.hdr"));
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("example4d.nii.gz", "example_nifti2.nii.gz", "anatomical.nii",
                "functional.nii", "standard.nii.gz", "row_major.dconn.nii")), "nibabel's test data changed: " + names);
        Map<String, JsonNode> nib = dump(files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> compare(f, nib)));
    }

    @TestFactory
    Stream<DynamicTest> colin27Templates() throws IOException {
        Peers.requirePythonModule("nibabel");
        List<Path> files = new ArrayList<>();
        for (String name : COLIN27) {
            files.add(Peers.requireFile(TEMPLATES.resolve(name), "the Colin27 MRI template from mricron-data"));
        }
        Map<String, JsonNode> nib = dump(files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            NiftiImage img = compare(f, nib);
            // These carry vox_offset 0 (unset), which both read as "right after the header".
            assertEquals(352, img.header().dataOffset());
        }));
    }

    @Test
    void analyzeHeaderIsRefusedAsNotNifti() throws IOException {
        Peers.requirePythonModule("nibabel");
        Path f = Peers.requireFile(NIBABEL_DATA.resolve("analyze.hdr"), "nibabel's test data");
        JsonNode n = dump(List.of(f)).get(f.toString());
        assertFalse(n.get("nifti").asBoolean(), "nibabel too sees no NIfTI here: " + n);
        assertTrue(n.get("class").asText().contains("Analyze"), n.toString());
        NiftiException e = assertThrows(NiftiException.class, () -> reader.readHeader(f));
        assertTrue(e.getMessage().contains("not a NIfTI file") && e.getMessage().contains("Analyze 7.5"), e.getMessage());
        assertThrows(NiftiException.class, () -> reader.read(f));
    }

    @TestFactory
    Stream<DynamicTest> filesNibabelWrites() throws IOException {
        Peers.requirePythonModule("nibabel");
        JsonNode written = JSON.readTree(Peers.runPythonScript("peers/nibabel_write.py", List.of(dir.toString()), 300));
        List<Path> files = new ArrayList<>();
        written.forEach(p -> files.add(Path.of(p.asText())));
        assertEquals(12, files.size(), written.toString());
        Map<String, JsonNode> nib = dump(files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> compare(f, nib)));
    }

    @Test
    void method1DeviationFromNibabelIsDeliberate() throws IOException {
        Peers.requirePythonModule("nibabel");
        CraftedNifti c = new CraftedNifti();
        c.dim = new long[] {3, 4, 5, 6, 1, 1, 1, 1};
        c.pixdim = new double[] {1, 2, 3, 4, 0, 0, 0, 0};
        c.qformCode = 0;
        c.sformCode = 0;
        c.data = new byte[4 * 5 * 6 * 2];
        Path f = c.writeSingle(dir, "no-xform.nii");
        JsonNode n = dump(List.of(f)).get(f.toString());

        Affine lesionLink = reader.readHeader(f).bestAffine();
        Affine method1 = Affine.diagonal(2, 3, 4); // nifti1.h Method 1: x = pixdim[1] * i, ..., no offset
        Affine analyze = Affine.ofRowMajor( // nibabel: x flipped, voxel ((dim-1)/2) at the origin
                -2, 0, 0, 2 * 1.5,
                0, 3, 0, -3 * 2.0,
                0, 0, 4, -4 * 2.5,
                0, 0, 0, 1);
        assertEquals(method1, lesionLink, "LesionLink follows the NIfTI-1 standard");
        assertEquals("method1", n.get("affine_rule").asText());
        assertTrue(analyze.maxAbsDifference(affine(n.get("nibabel_affine"))) < 1e-12,
                "nibabel's own answer is the Analyze affine: " + n.get("nibabel_affine"));
        assertTrue(lesionLink.maxAbsDifference(affine(n.get("nibabel_affine"))) > 1,
                "the deviation is real, so the substitution in nibabel_dump.py matters");
        assertTrue(lesionLink.maxAbsDifference(affine(n.get("affine"))) < 1e-12);
    }

    /** Reads {@code f} with LesionLink and checks it against what nibabel said. */
    private NiftiImage compare(Path f, Map<String, JsonNode> dumps) throws IOException {
        JsonNode n = dumps.get(f.toString());
        assertNotNull(n, "nibabel_dump.py said nothing about " + f);
        assertFalse(n.has("load_error"), () -> "nibabel could not load " + f + ": " + n.get("load_error"));
        assertTrue(n.get("nifti").asBoolean(), () -> "nibabel does not see NIfTI in " + f + ": " + n);

        NiftiHeader h = reader.readHeader(f);
        assertEquals(n.get("version").asInt(), h.version());
        assertEquals(n.get("magic").asText(), h.magic());
        assertEquals(n.get("byte_order").asText().equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
                h.byteOrder());
        assertArrayEquals(longs(n.get("dim")), h.dim());
        assertEquals(n.get("datatype").asInt(), h.datatype());
        assertEquals(n.get("qform_code").asInt(), h.qformCode());
        assertEquals(n.get("sform_code").asInt(), h.sformCode());
        assertEquals(n.get("scl_slope").asDouble(), h.sclSlope()); // NaN equals NaN here
        assertEquals(n.get("scl_inter").asDouble(), h.sclInter());
        assertEquals(n.get("affine_rule").asText(), h.xformSource().name().toLowerCase(Locale.ROOT));
        Affine expected = affine(n.get("affine"));
        assertTrue(expected.maxAbsDifference(h.bestAffine()) <= AFFINE_TOLERANCE,
                () -> "affine: nibabel " + expected + ", LesionLink " + h.bestAffine());

        if (n.has("data_error")) {
            NiftiException e = assertThrows(NiftiException.class, () -> reader.read(f),
                    "nibabel could not read the voxels (" + n.get("data_error") + "), so neither may LesionLink");
            assertTrue(e.getMessage().contains("image file missing"), e.getMessage());
            return null;
        }
        NiftiImage img = reader.read(f);
        Volume v = img.volume();
        assertEquals(h, img.header());
        JsonNode shape = n.get("shape");
        assertArrayEquals(new int[] {shape.get(0).asInt(), dim(shape, 1), dim(shape, 2)}, v.geometry().dims());
        long frames = 1;
        for (int d = 3; d < shape.size(); d++) {
            frames *= shape.get(d).asLong();
        }
        NiftiDatatype t = h.niftiDatatype().orElseThrow();
        assertEquals(frames * t.components(), v.channels());
        assertEquals(t.storedAs().orElseThrow(), v.type());
        assertTrue(expected.maxAbsDifference(v.geometry().ijkToRas()) <= AFFINE_TOLERANCE);
        String want = n.has("sha256_lesionlink") ? n.get("sha256_lesionlink").asText() : n.get("sha256").asText();
        assertEquals(want, sha256(v, t), "voxel data of " + f);
        assertEquals(n.get("slope").asDouble(), v.rescale().slope(), "effective scl_slope");
        assertEquals(n.get("inter").asDouble(), v.rescale().intercept(), "effective scl_inter");
        return img;
    }

    // -----------------------------------------------------------------------------------------------------
    // LesionLink writes, nibabel reads

    private record Written(Path file, Volume volume, int version) {}

    @Test
    void filesLesionLinkWritesLoadInNibabel() throws IOException {
        Peers.requirePythonModule("nibabel");
        Geometry plain = NiftiRoundTripTest.plainGrid(6, 5, 4);
        Geometry oblique = NiftiRoundTripTest.obliqueGrid(false);
        Geometry leftHanded = NiftiRoundTripTest.obliqueGrid(true);
        List<Written> cases = new ArrayList<>();
        cases.add(write("uint8.nii", plain, DataType.UINT8, 1, Volume.Rescale.IDENTITY, 1));
        cases.add(write("int16_scaled.nii.gz", oblique, DataType.INT16, 1, new Volume.Rescale(0.5, -1024), 1));
        cases.add(write("uint16_lh_n2.nii", leftHanded, DataType.UINT16, 1, Volume.Rescale.IDENTITY, 2));
        cases.add(write("int32_3ch_n2.nii.gz", plain, DataType.INT32, 3, Volume.Rescale.IDENTITY, 2));
        cases.add(write("float32_lh_2ch.nii", leftHanded, DataType.FLOAT32, 2, Volume.Rescale.IDENTITY, 1));
        cases.add(write("float64_scaled_n2.nii.gz", oblique, DataType.FLOAT64, 1, new Volume.Rescale(0.1, -3.3), 2));
        cases.add(write("int16_oblique_scaled_n1.nii", oblique, DataType.INT16, 2, new Volume.Rescale(0.1, -3.3), 1));

        List<String> args = cases.stream().map(w -> w.file().toString()).toList();
        JsonNode out = JSON.readTree(Peers.runPythonScript("peers/nibabel_load.py", args, 300));
        assertEquals(cases.size(), out.size());
        for (int i = 0; i < cases.size(); i++) {
            Written w = cases.get(i);
            JsonNode n = out.get(i);
            String what = w.file().getFileName().toString();
            Volume v = w.volume();
            assertEquals(w.version() == 1 ? "Nifti1Image" : "Nifti2Image", n.get("class").asText(), what);
            int[] d = v.geometry().dims();
            List<Integer> shape = new ArrayList<>(List.of(d[0], d[1], d[2]));
            if (v.channels() > 1) {
                shape.add(v.channels());
            }
            assertEquals(shape, JSON.convertValue(n.get("shape"), List.class), what);
            assertEquals(NiftiDatatype.of(v.type()).code(), n.get("datatype").asInt(), what);
            assertEquals("mm", n.get("space_unit").asText(), what);

            // the grid: the original to float32 precision (NIfTI-1) or exactly (NIfTI-2), and the same as ours
            Affine original = v.geometry().ijkToRas();
            Affine nibAffine = affine(n.get("affine"));
            double tol = w.version() == 1 ? AFFINE_TOLERANCE : 1e-9;
            assertTrue(original.maxAbsDifference(nibAffine) <= tol, () -> what + ": " + nibAffine + " vs " + original);
            NiftiHeader ours = reader.readHeader(w.file());
            assertTrue(ours.bestAffine().maxAbsDifference(nibAffine) <= 1e-9, what);
            assertEquals(1, n.get("sform_code").asInt(), what);
            assertEquals(1, n.get("qform_code").asInt(), what);
            Affine nibQform = affine(n.get("qform"));
            assertTrue(ours.qformAffine().maxAbsDifference(nibQform) <= 1e-6, () -> what + " qform: " + nibQform);
            assertTrue(original.maxAbsDifference(nibQform) <= (w.version() == 1 ? 1e-4 : 1e-9), what);

            // the stored voxels and the scaling
            assertEquals(sha256(v, NiftiDatatype.of(v.type())), n.get("sha256").asText(), what);
            double slope = w.version() == 1 ? (float) v.rescale().slope() : v.rescale().slope();
            double inter = w.version() == 1 ? (float) v.rescale().intercept() : v.rescale().intercept();
            assertEquals(slope, n.get("slope").asDouble(), what);
            assertEquals(inter, n.get("inter").asDouble(), what);
            JsonNode head = n.get("scaled_head");
            for (int k = 0; k < head.size(); k++) {
                int c = k / v.voxelsPerChannel();
                double stored = v.stored(c, k % v.voxelsPerChannel());
                double expected = stored * slope + inter;
                double got = head.get(k).asDouble();
                assertTrue(Double.compare(expected, got) == 0 || Math.abs(expected - got) <= 1e-9 * Math.abs(expected),
                        what + " scaled value " + k + ": nibabel " + got + ", expected " + expected);
            }
        }
    }

    private Written write(String name, Geometry g, DataType type, int channels, Volume.Rescale r, int version)
            throws IOException {
        Volume v = NiftiRoundTripTest.volume(g, type, channels, r);
        Path f = dir.resolve(name);
        new NiftiWriter().withVersion(version).write(v, f);
        return new Written(f, v, version);
    }

    // -----------------------------------------------------------------------------------------------------
    // helpers

    private static Map<String, JsonNode> dump(List<Path> files) throws IOException {
        List<String> args = files.stream().map(Path::toString).toList();
        JsonNode all = JSON.readTree(Peers.runPythonScript("peers/nibabel_dump.py", args, 600));
        Map<String, JsonNode> byPath = new LinkedHashMap<>();
        all.forEach(n -> byPath.put(n.get("path").asText(), n));
        return byPath;
    }

    /**
     * sha256 of the voxels in the file's order: the channels one after another, except RGB(A), whose
     * components are interleaved again per voxel as the file has them.
     */
    static String sha256(Volume v, NiftiDatatype t) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int comps = t.components();
        if (comps == 1) {
            for (int c = 0; c < v.channels(); c++) {
                md.update(v.data(c));
            }
        } else {
            int n = v.voxelsPerChannel();
            byte[] voxel = new byte[comps];
            for (int frame = 0; frame < v.channels() / comps; frame++) {
                ByteBuffer[] parts = new ByteBuffer[comps];
                for (int k = 0; k < comps; k++) {
                    parts[k] = v.data(frame * comps + k);
                }
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < comps; k++) {
                        voxel[k] = parts[k].get(i);
                    }
                    md.update(voxel);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Affine affine(JsonNode rows) {
        double[] m = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                m[4 * r + c] = rows.get(r).get(c).asDouble();
            }
        }
        return Affine.ofRowMajor(m);
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static int dim(JsonNode shape, int i) {
        return i < shape.size() ? shape.get(i).asInt() : 1;
    }
}
