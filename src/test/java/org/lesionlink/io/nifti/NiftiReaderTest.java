package org.lesionlink.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Volume;

/** Reading features checked on files crafted byte by byte ({@link CraftedNifti}). */
class NiftiReaderTest {

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @TempDir
    Path dir;

    private final NiftiReader reader = new NiftiReader();

    private static CraftedNifti crafted(int version, ByteOrder order) {
        CraftedNifti c = new CraftedNifti();
        c.version = version;
        c.order = order;
        return c;
    }

    @ParameterizedTest(name = "NIfTI-{0}")
    @ValueSource(ints = {1, 2})
    void bigEndianValuesAreSwappedInPlace(int version) throws IOException {
        for (String suffix : new String[] {".nii", ".nii.gz"}) {
            CraftedNifti c = crafted(version, BE);
            c.dim = new long[] {3, 2, 2, 1, 1, 1, 1, 1};
            c.datatype = NiftiDatatype.INT16.code();
            c.data = CraftedNifti.shorts(BE, -2, 300, 32767, -32768);
            Volume v = reader.readVolume(c.writeSingle(dir, "be16" + suffix));
            assertEquals(DataType.INT16, v.type());
            assertEquals(-2, v.stored(0, 0));
            assertEquals(300, v.stored(0, 1));
            assertEquals(32767, v.stored(0, 2));
            assertEquals(-32768, v.stored(0, 3));

            c.datatype = NiftiDatatype.FLOAT32.code();
            c.data = CraftedNifti.floats(BE, 1.5f, -0.25f, Float.NaN, 1e30f);
            v = reader.readVolume(c.writeSingle(dir, "be32" + suffix));
            assertEquals(1.5, v.stored(0, 0));
            assertEquals(-0.25, v.stored(0, 1));
            assertTrue(Double.isNaN(v.stored(0, 2)));
            assertEquals(1e30f, (float) v.stored(0, 3));

            c.datatype = NiftiDatatype.FLOAT64.code();
            c.data = CraftedNifti.doubles(BE, Math.PI, -1e-300, 0, 7);
            v = reader.readVolume(c.writeSingle(dir, "be64" + suffix));
            assertEquals(Math.PI, v.stored(0, 0));
            assertEquals(-1e-300, v.stored(0, 1));

            c.datatype = NiftiDatatype.UINT16.code();
            c.data = CraftedNifti.shorts(BE, 65535, 1, 256, 0);
            v = reader.readVolume(c.writeSingle(dir, "beu16" + suffix));
            assertEquals(65535, v.stored(0, 0));
            assertEquals(256, v.stored(0, 2));

            c.datatype = NiftiDatatype.INT32.code();
            c.data = CraftedNifti.ints(BE, Integer.MIN_VALUE, 1, 65536, -7);
            v = reader.readVolume(c.writeSingle(dir, "be32i" + suffix));
            assertEquals(Integer.MIN_VALUE, v.stored(0, 0));
            assertEquals(65536, v.stored(0, 2));
            assertEquals(ByteOrder.BIG_ENDIAN, reader.readHeader(dir.resolve("be32i" + suffix)).byteOrder());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LE", "BE"})
    void widenedTypesKeepEveryValue(String o) throws IOException {
        ByteOrder order = o.equals("LE") ? LE : BE;
        CraftedNifti c = crafted(1, order);
        c.dim = new long[] {3, 4, 1, 1, 1, 1, 1, 1};

        c.datatype = NiftiDatatype.INT8.code();
        c.data = new byte[] {-128, -1, 0, 127};
        Volume v = reader.readVolume(c.writeSingle(dir, "i8.nii"));
        assertEquals(DataType.INT16, v.type());
        assertArrayEquals(new double[] {-128, -1, 0, 127}, values(v));

        c.datatype = NiftiDatatype.UINT32.code();
        c.data = CraftedNifti.ints(order, 0xFFFF_FFFFL, 0, 0x8000_0000L, 12345);
        v = reader.readVolume(c.writeSingle(dir, "u32.nii.gz"));
        assertEquals(DataType.FLOAT64, v.type());
        assertArrayEquals(new double[] {4294967295.0, 0, 2147483648.0, 12345}, values(v));

        c.datatype = NiftiDatatype.INT64.code();
        c.data = CraftedNifti.longs(order, Long.MIN_VALUE, -(1L << 53), 1L << 53, 1L << 62);
        v = reader.readVolume(c.writeSingle(dir, "i64.nii"));
        assertArrayEquals(new double[] {-0x1p63, -0x1p53, 0x1p53, 0x1p62}, values(v));

        c.datatype = NiftiDatatype.UINT64.code();
        c.data = CraftedNifti.longs(order, -2048L /* 2^64 - 2048 */, 0, Long.MIN_VALUE /* 2^63 */, 5);
        v = reader.readVolume(c.writeSingle(dir, "u64.nii"));
        assertArrayEquals(new double[] {0x1p64 - 2048, 0, 0x1p63, 5}, values(v));
    }

    @Test
    void rgbBecomesChannels() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.dim = new long[] {4, 2, 1, 1, 2, 1, 1, 1}; // two voxels, two frames
        c.datatype = NiftiDatatype.RGB24.code();
        c.data = new byte[] {1, 2, 3, 4, 5, 6, /* frame 1 */ 7, 8, 9, 10, 11, (byte) 255};
        c.sclSlope = 2; // nifti1.h: scaling does not apply to RGB
        Volume v = reader.readVolume(c.writeSingle(dir, "rgb.nii"));
        assertEquals(6, v.channels());
        assertEquals(DataType.UINT8, v.type());
        assertTrue(v.rescale().isIdentity());
        double[][] expected = {{1, 4}, {2, 5}, {3, 6}, {7, 10}, {8, 11}, {9, 255}};
        for (int ch = 0; ch < 6; ch++) {
            assertArrayEquals(expected[ch], new double[] {v.stored(ch, 0), v.stored(ch, 1)}, "channel " + ch);
        }

        c.dim = new long[] {3, 2, 1, 1, 1, 1, 1, 1};
        c.datatype = NiftiDatatype.RGBA32.code();
        c.data = new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
        v = reader.readVolume(c.writeSingle(dir, "rgba.nii.gz"));
        assertEquals(4, v.channels());
        assertEquals(4, v.stored(3, 0));
        assertEquals(8, v.stored(3, 1));
        assertEquals(5, v.stored(0, 1));
    }

    @Test
    void extraDimensionsFlattenIntoChannelsInFileOrder() throws IOException {
        CraftedNifti c = crafted(2, BE);
        c.dim = new long[] {6, 2, 1, 1, 3, 1, 2, 1}; // 2 voxels x dim4 3 x dim6 2 = 6 channels
        c.data = CraftedNifti.ramp16(BE, 12);
        Volume v = reader.readVolume(c.writeSingle(dir, "six.nii"));
        assertEquals(6, v.channels());
        for (int ch = 0; ch < 6; ch++) {
            assertEquals(2 * ch - 6, v.stored(ch, 0));
            assertEquals(2 * ch - 5, v.stored(ch, 1));
        }
    }

    @ParameterizedTest(name = "NIfTI-{0}")
    @ValueSource(ints = {1, 2})
    void pairsPlainAndGzipped(int version) throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            CraftedNifti c = crafted(version, BE);
            c.data = CraftedNifti.ramp16(BE, 24);
            c.voxOffset = 16L; // the .img may start with padding too
            String base = "pair" + version + gz;
            Path hdr = c.writePair(dir, base, gz);
            NiftiImage img = reader.read(hdr);
            assertEquals(version == 1 ? "ni1" : "ni2", img.header().magic());
            assertTrue(!img.header().singleFile());
            assertEquals(-12, img.volume().stored(0, 0));
            assertEquals(11, img.volume().stored(0, 23));
            // Given the .img, the reader finds the header.
            Path imgFile = dir.resolve(base + ".img" + (gz ? ".gz" : ""));
            assertEquals(img.header(), reader.read(imgFile).header());
            assertArrayEquals(values(img.volume()), values(reader.readVolume(imgFile)));
        }
    }

    @Test
    void pairWithMixedCompressionIsFound() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.data = CraftedNifti.ramp16(LE, 24);
        c.writePair(dir, "mixed", true);
        Files.delete(dir.resolve("mixed.hdr.gz"));
        CraftedNifti.write(dir.resolve("mixed.hdr"), c.header());
        assertEquals(11, reader.readVolume(dir.resolve("mixed.hdr")).stored(0, 23));
    }

    @Test
    void headerAloneNeedsNoImageFile() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.single = false;
        Path hdr = CraftedNifti.write(dir.resolve("only.hdr"), c.header());
        NiftiHeader h = reader.readHeader(hdr);
        assertEquals("ni1", h.magic());
        assertArrayEquals(new int[] {2, 3, 4}, h.spatialDims());
    }

    @Test
    void zeroVoxOffsetInSingleFileMeansRightAfterTheHeader() throws IOException {
        // Legacy writers (e.g. the MRIcron templates) leave vox_offset 0; nibabel reads those at 352 too.
        CraftedNifti c = crafted(1, LE);
        c.data = CraftedNifti.ramp16(LE, 24);
        c.voxOffset = 0L;
        byte[] bytes = c.singleFileBytes();
        Path f = CraftedNifti.write(dir.resolve("zero.nii"), bytes);
        // singleFileBytes put the data right after the header because 0 < header size
        NiftiImage img = reader.read(f);
        assertEquals(0, img.header().voxOffset());
        assertEquals(352, img.header().dataOffset());
        assertEquals(-12, img.volume().stored(0, 0));
    }

    @Test
    void extensionsAreSkipped() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.extensions = new byte[] {16, 0, 0, 0, 4, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0, 0, 0};
        c.data = CraftedNifti.ramp16(LE, 24);
        NiftiImage img = reader.read(c.writeSingle(dir, "ext.nii.gz"));
        assertEquals(368, img.header().dataOffset());
        assertEquals(-12, img.volume().stored(0, 0));
    }

    @Test
    void scaling() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.data = CraftedNifti.ramp16(LE, 24);
        c.sclSlope = 0; // nifti1.h: 0 means no scaling
        c.sclInter = 5;
        assertTrue(reader.readVolume(c.writeSingle(dir, "s0.nii")).rescale().isIdentity());
        c.sclSlope = Double.NaN; // nibabel writes NaN for unscaled data
        assertTrue(reader.readVolume(c.writeSingle(dir, "snan.nii")).rescale().isIdentity());
        c.sclSlope = 2;
        c.sclInter = Double.NaN;
        assertEquals(new Volume.Rescale(2, 0), reader.readVolume(c.writeSingle(dir, "inan.nii")).rescale());
        c.sclSlope = -0.5;
        c.sclInter = 100;
        Volume v = reader.readVolume(c.writeSingle(dir, "s.nii"));
        assertEquals(new Volume.Rescale(-0.5, 100), v.rescale());
        assertEquals(-12 * -0.5 + 100, v.value(0, 0));
    }

    @Test
    void sformWinsOverQform() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.sformCode = 2;
        c.srowX = new double[] {-2, 0, 0, 90};
        c.srowY = new double[] {0, 2, 0, -126};
        c.srowZ = new double[] {0, 0, 2, -72};
        c.qformCode = 1;
        c.qoffsetX = 1000;
        NiftiHeader h = reader.readHeader(c.writeSingle(dir, "both.nii"));
        assertEquals(NiftiHeader.XformSource.SFORM, h.xformSource());
        assertEquals(Affine.ofRowMajor(-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1), h.bestAffine());
    }

    @Test
    void qformWhenSformCodeIsZero() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.sformCode = 0;
        c.qformCode = 1;
        c.pixdim = new double[] {-1, 2, 3, 4, 0, 0, 0, 0};
        // 90 degrees about z: a = cos 45, d = sin 45
        c.quaternD = Math.sqrt(0.5);
        c.qoffsetX = 10;
        c.qoffsetY = -20;
        c.qoffsetZ = 30;
        NiftiHeader h = reader.readHeader(c.writeSingle(dir, "q.nii"));
        assertEquals(NiftiHeader.XformSource.QFORM, h.xformSource());
        // R = [[0,-1,0],[1,0,0],[0,0,1]], scaled by (2, 3, qfac*4) with qfac = -1
        Affine expected = Affine.ofRowMajor(0, -3, 0, 10, 2, 0, 0, -20, 0, 0, -4, 30, 0, 0, 0, 1);
        assertTrue(expected.maxAbsDifference(h.bestAffine()) < 1e-6, h.bestAffine().toString());

        c.pixdim[0] = 0; // qfac 0: old writers; counts as +1
        NiftiHeader h0 = reader.readHeader(c.writeSingle(dir, "q0.nii"));
        assertEquals(4, h0.bestAffine().get(2, 2), 1e-6);
    }

    @Test
    void quaternionWithTinyNegativeRoundingIsA180DegreeTurn() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.sformCode = 0;
        c.qformCode = 1;
        // b = 1 + 2 ulp in float32: 1 - b² is slightly negative; a must become 0 (180° about x)
        c.quaternB = Math.nextUp(Math.nextUp(1f));
        NiftiHeader h = reader.readHeader(c.writeSingle(dir, "q180.nii"));
        assertTrue(1 - h.quaternB() * h.quaternB() < 0);
        assertTrue(Affine.diagonal(1, -1, -1).maxAbsDifference(h.bestAffine()) < 1e-6, h.bestAffine().toString());
    }

    @Test
    void method1WhenBothCodesAreZero() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.sformCode = 0;
        c.qformCode = 0;
        c.pixdim = new double[] {1, 2, 3, 4, 0, 0, 0, 0};
        NiftiHeader h = reader.readHeader(c.writeSingle(dir, "m1.nii"));
        assertEquals(NiftiHeader.XformSource.METHOD1, h.xformSource());
        assertEquals(Affine.diagonal(2, 3, 4), h.bestAffine());

        // Spacings that are not positive (or NaN) become 1 so the grid stays usable.
        c.pixdim = new double[] {1, 0, -3, Double.NaN, 0, 0, 0, 0};
        h = reader.readHeader(c.writeSingle(dir, "m1bad.nii"));
        assertTrue(h.hasUnusableSpacing());
        assertEquals(Affine.diagonal(1, 1, 1), h.bestAffine());
    }

    @Test
    void fewerThanThreeDimensions() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.dim = new long[] {2, 3, 2, 0, 0, 0, 0, 0}; // entries past dim[0] are ignored, even 0
        c.data = CraftedNifti.ramp16(LE, 6);
        NiftiImage img = reader.read(c.writeSingle(dir, "2d.nii"));
        assertArrayEquals(new int[] {3, 2, 1}, img.volume().geometry().dims());
        assertEquals(1, img.volume().channels());
    }

    @Test
    void bigEndianNifti2HeaderFields() throws IOException {
        CraftedNifti c = crafted(2, BE);
        c.descrip = "hello";
        c.sclSlope = 0.1; // float64 in NIfTI-2: exact
        c.data = CraftedNifti.ramp16(BE, 24);
        NiftiHeader h = reader.readHeader(c.writeSingle(dir, "n2.nii"));
        assertEquals(2, h.version());
        assertEquals("n+2", h.magic());
        assertEquals("hello", h.descrip());
        assertEquals(0.1, h.sclSlope());
        assertEquals(544, h.dataOffset());
        assertEquals(2, h.xyztUnits());
    }

    private static double[] values(Volume v) {
        double[] out = new double[v.voxelsPerChannel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.stored(0, i);
        }
        return out;
    }

    @Test
    void uint64WithLowBitsSetAbove2To63IsRefusedNotRounded() throws IOException {
        CraftedNifti c = crafted(1, LE);
        c.dim = new long[] {1, 1, 1, 1, 1, 1, 1, 1};
        c.datatype = NiftiDatatype.UINT64.code();
        c.data = ByteBuffer.allocate(8).order(LE).putLong(-1L).array(); // 2^64 - 1
        NiftiException e = org.junit.jupiter.api.Assertions.assertThrows(NiftiException.class,
                () -> reader.read(c.writeSingle(dir, "u64max.nii")));
        assertTrue(e.getMessage().contains("18446744073709551615"), e.getMessage());
    }
}
