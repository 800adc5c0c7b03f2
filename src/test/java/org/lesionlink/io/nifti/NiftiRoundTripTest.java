package org.lesionlink.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/** Write with {@link NiftiWriter}, read back with {@link NiftiReader}: same grid, same bytes. */
class NiftiRoundTripTest {

    @TempDir
    Path dir;

    private final NiftiReader reader = new NiftiReader();

    /** Axis-aligned grid whose numbers are all float32-exact, so NIfTI-1 keeps them exactly too. */
    static Geometry plainGrid(int nx, int ny, int nz) {
        return Geometry.axisAligned(new int[] {nx, ny, nz}, new double[] {0.5, 1.25, 2}, new double[] {-90.5, 12.25, 7});
    }

    /** Rotated about an oblique axis, anisotropic, with an origin that float32 cannot hold exactly. */
    static Geometry obliqueGrid(boolean leftHanded) {
        double[][] r = rotation(new double[] {0.3, -0.5, 0.8}, Math.toRadians(23.7));
        if (leftHanded) {
            for (int row = 0; row < 3; row++) {
                r[row][2] = -r[row][2];
            }
        }
        return Geometry.of(new int[] {5, 4, 3}, new double[] {0.9375, 0.9375, 3.3}, new double[] {-120.3, 97.77, -33.1}, r);
    }

    /** Rodrigues' rotation matrix about a (normalised) axis. */
    static double[][] rotation(double[] axis, double angle) {
        double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double x = axis[0] / n;
        double y = axis[1] / n;
        double z = axis[2] / n;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[][] {
            {t * x * x + c, t * x * y - s * z, t * x * z + s * y},
            {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
            {t * x * z - s * y, t * y * z + s * x, t * z * z + c}
        };
    }

    /** Deterministic content covering each type's extremes (and NaN, infinities, -0 for floats). */
    static Volume volume(Geometry g, DataType type, int channels, Volume.Rescale rescale) {
        Volume.Builder b = Volume.allocate(g, type, channels).rescale(rescale);
        int n = (int) g.voxelCount();
        for (int c = 0; c < channels; c++) {
            ByteBuffer buf = b.channel(c);
            for (int i = 0; i < n; i++) {
                long k = (long) i * 2654435761L + c * 97L;
                switch (type) {
                    case UINT8 -> buf.put(i, (byte) (i == 0 ? 255 : k));
                    case INT16 -> buf.putShort(2 * i, (short) (i == 0 ? Short.MIN_VALUE : i == 1 ? Short.MAX_VALUE : k));
                    case UINT16 -> buf.putShort(2 * i, (short) (i == 0 ? 65535 : k));
                    case INT32 -> buf.putInt(4 * i, (int) (i == 0 ? Integer.MIN_VALUE : k * 31));
                    case FLOAT32 -> buf.putFloat(4 * i, i == 0 ? Float.NaN : i == 1 ? Float.NEGATIVE_INFINITY
                            : i == 2 ? -0f : i == 3 ? Float.MIN_VALUE : (float) (k * 1e-3));
                    case FLOAT64 -> buf.putDouble(8 * i, i == 0 ? Double.NaN : i == 1 ? Double.MAX_VALUE
                            : i == 2 ? -0d : (k * 1.000000001e-7));
                }
            }
        }
        return b.build();
    }

    static byte[] bytes(Volume v, int channel) {
        ByteBuffer d = v.data(channel);
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** The affine with every element rounded to float32: what NIfTI-1 can store. */
    static Affine toFloat32(Affine a) {
        double[] m = a.toRowMajor();
        for (int i = 0; i < 12; i++) {
            m[i] = (float) m[i];
        }
        return Affine.ofRowMajor(m);
    }

    static Stream<Arguments> everyTypeChannelsVersionAndSuffix() {
        List<Arguments> out = new ArrayList<>();
        for (DataType t : DataType.values()) {
            for (int channels : new int[] {1, 3}) {
                for (int version : new int[] {1, 2}) {
                    for (String suffix : new String[] {".nii", ".nii.gz"}) {
                        out.add(Arguments.of(t, channels, version, suffix));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} x{1} NIfTI-{2} {3}")
    @MethodSource("everyTypeChannelsVersionAndSuffix")
    void roundTripKeepsGridAndBytes(DataType type, int channels, int version, String suffix) throws IOException {
        Volume v = volume(plainGrid(7, 5, 3), type, channels, Volume.Rescale.IDENTITY);
        Path f = dir.resolve("v" + suffix);
        new NiftiWriter().withVersion(version).write(v, f);

        NiftiImage img = reader.read(f);
        NiftiHeader h = img.header();
        assertEquals(version, h.version());
        assertEquals(version == 1 ? "n+1" : "n+2", h.magic());
        assertEquals(NiftiDatatype.of(type).code(), h.datatype());
        assertEquals(channels > 1 ? 4 : 3, h.ndim());
        assertEquals(channels, img.volume().channels());
        assertEquals(type, img.volume().type());
        assertTrue(img.volume().rescale().isIdentity());
        assertEquals(NiftiHeader.UNITS_MM, h.xyztUnits());
        assertEquals(1, h.sformCode());
        assertEquals(1, h.qformCode());
        assertArrayEquals(new int[] {7, 5, 3}, img.volume().geometry().dims());
        assertTrue(v.geometry().ijkToRas().maxAbsDifference(img.volume().geometry().ijkToRas()) <= 1e-6,
                () -> v.geometry() + " vs " + img.volume().geometry());
        for (int c = 0; c < channels; c++) {
            assertArrayEquals(bytes(v, c), bytes(img.volume(), c), "channel " + c);
        }
        // gzip is recognised by content; the file really is compressed when named .gz
        byte[] head = Arrays.copyOf(Files.readAllBytes(f), 2);
        assertEquals(suffix.endsWith(".gz"), (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B);
    }

    static Stream<Arguments> obliqueCases() {
        return Stream.of(Arguments.of(false, 1, ".nii"), Arguments.of(true, 1, ".nii.gz"),
                Arguments.of(false, 2, ".nii.gz"), Arguments.of(true, 2, ".nii"));
    }

    @ParameterizedTest(name = "left-handed {0}, NIfTI-{1} {2}")
    @MethodSource("obliqueCases")
    void obliqueAndLeftHandedGridsSurvive(boolean leftHanded, int version, String suffix) throws IOException {
        Geometry g = obliqueGrid(leftHanded);
        assertEquals(leftHanded, g.ijkToRas().determinant3() < 0);
        Volume v = volume(g, DataType.FLOAT32, 2, Volume.Rescale.IDENTITY);
        Path f = dir.resolve("oblique" + suffix);
        new NiftiWriter().withVersion(version).write(v, f);
        NiftiImage img = reader.read(f);
        NiftiHeader h = img.header();

        // NIfTI-1 stores the srows as float32: the read-back affine is exactly the float32-rounded one.
        Affine expected = version == 1 ? toFloat32(g.ijkToRas()) : g.ijkToRas();
        assertTrue(expected.maxAbsDifference(img.volume().geometry().ijkToRas()) <= 1e-6,
                () -> expected + " vs " + img.volume().geometry().ijkToRas());
        assertTrue(g.ijkToRas().maxAbsDifference(img.volume().geometry().ijkToRas()) <= 1e-5);
        assertEquals(NiftiHeader.XformSource.SFORM, h.xformSource());

        // The qform says the same thing (for readers that only look at it), with qfac -1 when left-handed.
        assertEquals(1, h.qformCode());
        assertEquals(leftHanded ? -1.0 : 1.0, h.pixdim()[0]);
        double tol = version == 1 ? 1e-4 : 1e-9;
        assertTrue(g.ijkToRas().maxAbsDifference(h.qformAffine()) <= tol, () -> h.qformAffine() + " vs " + g.ijkToRas());
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(bytes(v, c), bytes(img.volume(), c));
        }
    }

    @Test
    void shearedGridHasNoQform() throws IOException {
        Affine sheared = Affine.ofRowMajor(1, 0.3, 0, 5, 0, 1, 0, 6, 0, 0, 2, 7, 0, 0, 0, 1);
        Geometry g = Geometry.fromIjkToRas(new int[] {3, 3, 3}, sheared);
        Path f = dir.resolve("sheared.nii");
        new NiftiWriter().write(volume(g, DataType.UINT8, 1, Volume.Rescale.IDENTITY), f);
        NiftiHeader h = reader.readHeader(f);
        assertEquals(0, h.qformCode(), "a quaternion cannot describe a shear");
        assertEquals(1, h.sformCode());
        assertTrue(sheared.maxAbsDifference(reader.read(f).volume().geometry().ijkToRas()) <= 1e-6);
    }

    @ParameterizedTest(name = "NIfTI-{0}")
    @MethodSource("versions")
    void rescaleIsStored(int version) throws IOException {
        // float32-exact numbers survive NIfTI-1 exactly
        Volume v = volume(plainGrid(4, 3, 2), DataType.INT16, 1, new Volume.Rescale(0.5, -1024));
        Path f = dir.resolve("scaled.nii.gz");
        new NiftiWriter().withVersion(version).write(v, f);
        NiftiImage img = reader.read(f);
        assertEquals(new Volume.Rescale(0.5, -1024), img.volume().rescale());
        assertEquals(0.5, img.header().sclSlope());
        assertArrayEquals(bytes(v, 0), bytes(img.volume(), 0));

        // others are exact in NIfTI-2 and float32-rounded in NIfTI-1
        Volume w = volume(plainGrid(4, 3, 2), DataType.UINT16, 1, new Volume.Rescale(0.1, -3.3));
        new NiftiWriter().withVersion(version).write(w, f);
        Volume.Rescale r = reader.read(f).volume().rescale();
        assertEquals(version == 1 ? (float) 0.1 : 0.1, r.slope());
        assertEquals(version == 1 ? (float) -3.3 : -3.3, r.intercept());
    }

    static Stream<Integer> versions() {
        return Stream.of(1, 2);
    }

    @Test
    void channelsAreTheFourthDimensionInFileOrder() throws IOException {
        Volume v = volume(plainGrid(3, 2, 2), DataType.INT16, 3, Volume.Rescale.IDENTITY);
        Path f = dir.resolve("multi.nii");
        new NiftiWriter().write(v, f);
        NiftiHeader h = reader.readHeader(f);
        assertArrayEquals(new long[] {4, 3, 2, 2, 3, 1, 1, 1}, h.dim());
        byte[] file = Files.readAllBytes(f);
        assertEquals(352, h.dataOffset());
        byte[] data = Arrays.copyOfRange(file, 352, file.length);
        byte[] concat = new byte[data.length];
        int at = 0;
        for (int c = 0; c < 3; c++) {
            byte[] b = bytes(v, c);
            System.arraycopy(b, 0, concat, at, b.length);
            at += b.length;
        }
        assertArrayEquals(concat, data, "the file's data is the channels one after another");
    }

    @Test
    void largeSizesSwitchToNifti2() throws IOException {
        Geometry g = Geometry.axisAligned(new int[] {40000, 1, 1}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume v = volume(g, DataType.UINT8, 1, Volume.Rescale.IDENTITY);
        assertEquals(2, new NiftiWriter().versionFor(v), "dim[1] = 40000 does not fit NIfTI-1's int16");
        Path f = dir.resolve("long.nii");
        new NiftiWriter().write(v, f);
        NiftiImage img = reader.read(f);
        assertEquals(2, img.header().version());
        assertEquals(40000, img.header().dim()[1]);
        assertArrayEquals(bytes(v, 0), bytes(img.volume(), 0));
    }

    @Test
    void bigEndianIsReadThroughCraftedFiles() throws IOException {
        // The writer is always little-endian; big-endian reading is covered by CraftedNifti and nibabel's files.
        Path f = dir.resolve("le.nii");
        new NiftiWriter().write(volume(plainGrid(2, 2, 2), DataType.INT32, 1, Volume.Rescale.IDENTITY), f);
        assertEquals(ByteOrder.LITTLE_ENDIAN, reader.readHeader(f).byteOrder());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("out.nii.gz");
        new NiftiWriter().write(volume(plainGrid(2, 2, 2), DataType.UINT8, 1, Volume.Rescale.IDENTITY), f);
        new NiftiWriter().write(volume(plainGrid(3, 3, 3), DataType.UINT8, 1, Volume.Rescale.IDENTITY), f);
        assertArrayEquals(new int[] {3, 3, 3}, reader.read(f).volume().geometry().dims());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void failedWriteLeavesTargetUntouchedAndNoTemporaryFile() throws IOException {
        // A non-empty directory cannot be replaced by the final rename, so the write fails after the data.
        Path target = dir.resolve("busy.nii");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        Volume v = volume(plainGrid(2, 2, 2), DataType.UINT8, 1, Volume.Rescale.IDENTITY);
        assertThrows(IOException.class, () -> new NiftiWriter().write(v, target));
        assertTrue(Files.isDirectory(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "no temporary file left behind");
        }
        assertThrows(IOException.class, () -> new NiftiWriter().write(v, dir.resolve("missing-dir/x.nii")));
    }

    @Test
    void writerRefusesOtherNames() {
        Volume v = volume(plainGrid(2, 2, 2), DataType.UINT8, 1, Volume.Rescale.IDENTITY);
        NiftiException e = assertThrows(NiftiException.class, () -> new NiftiWriter().write(v, dir.resolve("x.img")));
        assertTrue(e.getMessage().contains(".nii or .nii.gz"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.img")));
    }
}
