package org.lesionlink.igtl.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/** IMAGE geometry ("image.md", research notes section 3) and pixel conversion to and from {@link Volume}. */
class ImageVolumesTest {

    private static final double MM = 1e-4; // float32 round-off on coordinates of a few hundred mm

    /** 30 degrees about z then 10 about x, anisotropic spacing, off-centre origin. */
    private static Geometry oblique(int[] dims) {
        double a = Math.toRadians(30);
        double b = Math.toRadians(10);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
        double[][] d = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    d[r][c] += rx[r][k] * rz[k][c];
                }
            }
        }
        return Geometry.of(dims, new double[] {0.7, 0.9, 3.3}, new double[] {-101.5, 37.25, -12}, d);
    }

    @Test
    void debianImagerGeometry() {
        Extent size = new Extent(256, 256, 1);
        ImageMessage m = new ImageMessage(Envelope.v1("ImagerClient"), ScalarType.UINT8, 1, ByteOrder.BIG_ENDIAN,
                CoordinateSystem.RAS, size, new Vec3(1, 0, 0), new Vec3(0, -1, 0), new Vec3(0, 0, 5), Vec3.ZERO,
                Extent.ZERO, size, ByteBuffer.allocate(65536));
        Geometry g = m.geometry();
        assertArrayEquals(new double[] {1, 1, 5}, g.spacing(), 0);
        // P is the centre of the voxel-centred grid: origin = P - T*(RI-1)/2 - S*(RJ-1)/2 (RK = 1: N drops out)
        assertArrayEquals(new double[] {-127.5, 127.5, 0}, g.origin(), 0);
        assertArrayEquals(new double[] {0, 0, 0}, g.centre(), 0);
        assertEquals(-1, g.ijkToRas().get(1, 1));
    }

    @Test
    void obliqueAnisotropicVolumeRoundTrips() {
        Geometry g = oblique(new int[] {7, 5, 4});
        float[] values = new float[7 * 5 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 3;
        }
        Volume v = Volume.ofFloats(g, values);
        ImageMessage m = ImageMessage.fromVolume(Envelope.v1("CT"), v);
        assertEquals(CoordinateSystem.RAS, m.coordinates());
        assertEquals(ByteOrder.LITTLE_ENDIAN, m.endian());
        assertEquals(ScalarType.FLOAT32, m.scalarType());
        assertEquals(0.7, m.iAxis().length(), 1e-6, "T = direction x spacing");
        assertEquals(3.3, m.kAxis().length(), 1e-6);
        double[] c = g.centre();
        assertArrayEquals(new double[] {c[0], c[1], c[2]}, m.centre().toArray(), MM, "P = centre");
        Volume back = m.toVolume();
        assertTrue(back.geometry().sameGrid(g, MM), back.geometry() + " vs " + g);
        assertArrayEquals(values, back.toFloats(0));
    }

    @Test
    void lpsSourceIsConvertedToRas() {
        Geometry ras = oblique(new int[] {6, 6, 3});
        Affine lps = ras.ijkToLps();
        double[] half = {2.5, 2.5, 1};
        double[] p = lps.apply(half[0], half[1], half[2]);
        ImageMessage m = new ImageMessage(Envelope.v1("pyigtl"), ScalarType.UINT8, 1, ByteOrder.LITTLE_ENDIAN,
                CoordinateSystem.LPS, new Extent(6, 6, 3), col(lps, 0), col(lps, 1), col(lps, 2), Vec3.of(p[0], p[1], p[2]),
                Extent.ZERO, new Extent(6, 6, 3), ByteBuffer.allocate(108));
        assertTrue(m.geometry().sameGrid(ras, MM), m.geometry() + " vs " + ras);
    }

    @Test
    void lpsAndRasDescriptionsOfOneGridAgree() {
        Geometry g = Geometry.axisAligned(new int[] {4, 4, 4}, new double[] {1, 2, 3}, new double[] {10, 20, 30});
        ImageMessage ras = ImageMessage.fromVolume(Envelope.v1(""), Volume.ofBytes(g, new byte[64]));
        ImageMessage lps = new ImageMessage(ras.envelope(), ras.scalarType(), 1, ras.endian(), CoordinateSystem.LPS,
                ras.size(), flip(ras.iAxis()), flip(ras.jAxis()), flip(ras.kAxis()), flip(ras.centre()),
                ras.subvolumeOffset(), ras.subvolumeSize(), ras.pixels());
        assertTrue(lps.geometry().sameGrid(g, MM));
        assertArrayEquals(new double[] {10, 20, 30}, lps.geometry().origin(), MM);
    }

    @Test
    void int8WidensToInt16AndUint32ToFloat64() {
        Extent s = new Extent(4, 1, 1);
        byte[] i8 = {-128, -1, 0, 127};
        ImageMessage m8 = image(ScalarType.INT8, 1, ByteOrder.BIG_ENDIAN, s, i8);
        Volume v8 = m8.toVolume();
        assertEquals(DataType.INT16, v8.type());
        assertArrayEquals(new float[] {-128, -1, 0, 127}, v8.toFloats(0));

        ByteBuffer u32 = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        u32.putInt(0).putInt(1).putInt(0x7FFFFFFF).putInt(0xFFFFFFFF);
        Volume v32 = image(ScalarType.UINT32, 1, ByteOrder.BIG_ENDIAN, s, u32.array()).toVolume();
        assertEquals(DataType.FLOAT64, v32.type());
        assertEquals(4294967295.0, v32.stored(0, 3), 0, "uint32 max is exact");
        assertEquals(2147483647.0, v32.stored(0, 2), 0);
    }

    @Test
    void bigEndianAndInterleavedComponentsBecomeLittleEndianChannels() {
        Extent s = new Extent(3, 1, 1);
        ByteBuffer b = ByteBuffer.allocate(3 * 2 * 2).order(ByteOrder.BIG_ENDIAN);
        for (int v = 0; v < 3; v++) {
            b.putShort((short) (100 + v)).putShort((short) (-200 - v)); // component 0, component 1
        }
        Volume vol = image(ScalarType.INT16, 2, ByteOrder.BIG_ENDIAN, s, b.array()).toVolume();
        assertEquals(2, vol.channels());
        assertArrayEquals(new float[] {100, 101, 102}, vol.toFloats(0));
        assertArrayEquals(new float[] {-200, -201, -202}, vol.toFloats(1));
        ImageMessage again = ImageMessage.fromVolume(Envelope.v1(""), vol);
        assertEquals(2, again.components());
        assertEquals(-200, again.pixels().getShort(2), "interleaved, little-endian");
        assertEquals(ByteOrder.LITTLE_ENDIAN, again.pixels().order());
    }

    @Test
    void singleChannelLittleEndianSharesThePixelMemory() {
        Extent s = new Extent(2, 2, 1);
        ImageMessage m = image(ScalarType.UINT16, 1, ByteOrder.LITTLE_ENDIAN, s, new byte[] {1, 0, 2, 0, 3, 0, 4, 1});
        Volume v = m.toVolume();
        assertEquals(DataType.UINT16, v.type());
        assertEquals(260, v.stored(0, 3), 0);
        Volume lab = Volume.ofBytes(Geometry.axisAligned(new int[] {2, 2, 1}, new double[] {1, 1, 1}, new double[3]), new byte[] {0, 1, 2, 3});
        ImageMessage out = ImageMessage.fromVolume(Envelope.v1("Label"), lab);
        assertEquals(ScalarType.UINT8, out.scalarType());
        assertEquals(lab.data(0), out.pixels());
    }

    @Test
    void subVolumeBecomesAVolumeOnItsRegion() {
        Geometry full = oblique(new int[] {10, 8, 6});
        Vec3[] axes = {col(full.ijkToRas(), 0), col(full.ijkToRas(), 1), col(full.ijkToRas(), 2)};
        double[] c = full.centre();
        Extent off = new Extent(2, 3, 1);
        Extent sub = new Extent(4, 2, 3);
        byte[] px = new byte[24];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        ImageMessage m = new ImageMessage(Envelope.v1("sub"), ScalarType.UINT8, 1, ByteOrder.LITTLE_ENDIAN, CoordinateSystem.RAS,
                new Extent(10, 8, 6), axes[0], axes[1], axes[2], Vec3.of(c[0], c[1], c[2]), off, sub, ByteBuffer.wrap(px));
        Volume v = m.toVolume();
        assertTrue(v.geometry().sameGrid(full.region(new int[] {2, 3, 1}, new int[] {4, 2, 3}), MM));
        assertEquals(23, v.stored(0, v.index(3, 1, 2)), 0);
    }

    @Test
    void rescaledVolumesAreSentAsRealFloat32() {
        Geometry g = Geometry.axisAligned(new int[] {2, 1, 1}, new double[] {1, 1, 1}, new double[3]);
        Volume.Builder b = Volume.allocate(g, DataType.INT16, 1).rescale(new Volume.Rescale(2, -1024));
        b.set(0, 0, 1000);
        b.set(0, 1, 0);
        ImageMessage m = ImageMessage.fromVolume(Envelope.v1("CT"), b.build());
        assertEquals(ScalarType.FLOAT32, m.scalarType());
        assertArrayEquals(new float[] {976, -1024}, m.toVolume().toFloats(0));
    }

    @Test
    void toVolumeOfAUint8SliceIsZeroCopy() {
        byte[] bytes = org.lesionlink.igtl.IgtlTesting.fixture("image_debian_imager.bin");
        ImageMessage m = (ImageMessage) org.lesionlink.igtl.IgtlTesting.decode(bytes, bytes.length).get(0);
        Volume v = m.toVolume();
        assertEquals(DataType.UINT8, v.type());
        assertEquals(m.pixels(), v.data(0));
        assertSame(Volume.Rescale.IDENTITY, v.rescale());
    }

    private static ImageMessage image(ScalarType t, int comps, ByteOrder order, Extent s, byte[] px) {
        return new ImageMessage(Envelope.v1("t"), t, comps, order, CoordinateSystem.RAS, s, new Vec3(1, 0, 0),
                new Vec3(0, 1, 0), new Vec3(0, 0, 1), Vec3.ZERO, Extent.ZERO, s, ByteBuffer.wrap(px));
    }

    private static Vec3 col(Affine a, int c) {
        return Vec3.of(a.get(0, c), a.get(1, c), a.get(2, c));
    }

    private static Vec3 flip(Vec3 v) {
        return new Vec3(-v.x(), -v.y(), v.z());
    }
}
