package org.lesionlink.igtl.message;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Conversions between {@link ImageMessage} and the image model ({@link Volume}, {@link Geometry}), after
 * "image.md" and the conventions of OpenIGTLinkIO / pyigtl.
 *
 * <p>Scalar types, IGTL to Volume: uint8, int16, uint16, int32, float32 and float64 are stored as they
 * are; <b>int8 widens to INT16</b> and <b>uint32 widens to FLOAT64</b> (exact for every uint32 value;
 * LesionLink has no unsigned 32-bit type). Volume to IGTL: each {@link DataType} maps to its own code;
 * a volume with a non-identity rescale is sent as float32 real values (IMAGE has no rescale field).
 */
public final class ImageVolumes {

    private ImageVolumes() {
    }

    /** The full volume's voxel-centre grid in RAS. */
    public static Geometry geometry(ImageMessage m) {
        Extent n = m.size();
        if (n.i() == 0 || n.j() == 0 || n.k() == 0) {
            throw new IllegalArgumentException("IMAGE size " + n + " has an empty axis");
        }
        Vec3[] axes = {m.iAxis(), m.jAxis(), m.kAxis()};
        double[] half = {(n.i() - 1) / 2.0, (n.j() - 1) / 2.0, (n.k() - 1) / 2.0};
        Vec3 p = m.centre();
        double[] origin = {p.x(), p.y(), p.z()};
        double[][] lin = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double[] a = axes[c].toArray();
            for (int r = 0; r < 3; r++) {
                lin[r][c] = a[r];
                origin[r] -= a[r] * half[c];
            }
        }
        Affine ijkToWorld = Affine.of(lin, origin);
        int[] dims = n.toArray();
        return m.coordinates() == CoordinateSystem.LPS
                ? Geometry.fromIjkToLps(dims, ijkToWorld)
                : Geometry.fromIjkToRas(dims, ijkToWorld);
    }

    /** The sub-volume as a RAS volume with one channel per component. */
    public static Volume toVolume(ImageMessage m) {
        Extent off = m.subvolumeOffset();
        Extent sub = m.subvolumeSize();
        Geometry full = geometry(m);
        Geometry g = m.isFullVolume() ? full : full.region(off.toArray(), sub.toArray());
        DataType target = targetType(m.scalarType());
        ByteBuffer px = m.pixels();
        int comps = m.components();
        if (comps == 1 && m.endian() == ByteOrder.LITTLE_ENDIAN && sameLayout(m.scalarType(), target)) {
            return Volume.wrap(g, target, Volume.Rescale.IDENTITY, px.order(ByteOrder.LITTLE_ENDIAN));
        }
        Volume.Builder b = Volume.allocate(g, target, comps);
        int voxels = (int) g.voxelCount();
        int bytes = m.scalarType().bytes();
        for (int c = 0; c < comps; c++) {
            ByteBuffer dst = b.channel(c);
            for (int v = 0, at = c * bytes, step = comps * bytes; v < voxels; v++, at += step) {
                switch (m.scalarType()) {
                    case INT8 -> dst.putShort(v << 1, px.get(at));
                    case UINT8 -> dst.put(v, px.get(at));
                    case INT16, UINT16 -> dst.putShort(v << 1, px.getShort(at));
                    case INT32 -> dst.putInt(v << 2, px.getInt(at));
                    case UINT32 -> dst.putDouble(v << 3, Integer.toUnsignedLong(px.getInt(at)));
                    case FLOAT32 -> dst.putFloat(v << 2, px.getFloat(at));
                    case FLOAT64 -> dst.putDouble(v << 3, px.getDouble(at));
                    default -> throw new IllegalStateException("unreachable: " + m.scalarType());
                }
            }
        }
        return b.build();
    }

    /**
     * A full-volume IMAGE: RAS, little-endian, channels interleaved as components, T/S/N the columns of
     * the volume's IJK-to-RAS matrix and P its {@linkplain Geometry#centre() centre}, all rounded to float32.
     */
    public static ImageMessage fromVolume(Envelope envelope, Volume v) {
        Geometry g = v.geometry();
        for (int a = 0; a < 3; a++) {
            if (g.dim(a) > 0xFFFF) {
                throw new IllegalArgumentException("IMAGE axes hold at most 65535 voxels, axis " + a + " has " + g.dim(a));
            }
        }
        if (v.channels() > 255) {
            throw new IllegalArgumentException("IMAGE holds at most 255 components, volume has " + v.channels());
        }
        boolean real = !v.rescale().isIdentity();
        ScalarType type = real ? ScalarType.FLOAT32 : wireType(v.type());
        int comps = v.channels();
        int voxels = v.voxelsPerChannel();
        ByteBuffer pixels;
        if (comps == 1 && !real) {
            pixels = v.data(0);
        } else {
            int bytes = type.bytes();
            ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(voxels, comps), bytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < comps; c++) {
                if (real) {
                    float[] f = v.toFloats(c);
                    for (int i = 0; i < voxels; i++) {
                        out.putFloat((i * comps + c) * bytes, f[i]);
                    }
                } else {
                    ByteBuffer src = v.data(c);
                    for (int i = 0; i < voxels; i++) {
                        out.put((i * comps + c) * bytes, src, i * bytes, bytes);
                    }
                }
            }
            pixels = out;
        }
        Affine a = g.ijkToRas();
        double[] p = g.centre();
        Extent size = new Extent(g.dim(0), g.dim(1), g.dim(2));
        return new ImageMessage(envelope, type, comps, ByteOrder.LITTLE_ENDIAN, CoordinateSystem.RAS, size,
                column(a, 0), column(a, 1), column(a, 2), Vec3.of(p[0], p[1], p[2]), Extent.ZERO, size, pixels);
    }

    /** The Volume type an IMAGE scalar type is stored as. */
    public static DataType targetType(ScalarType t) {
        return switch (t) {
            case INT8, INT16 -> DataType.INT16;
            case UINT8 -> DataType.UINT8;
            case UINT16 -> DataType.UINT16;
            case INT32 -> DataType.INT32;
            case UINT32, FLOAT64 -> DataType.FLOAT64;
            case FLOAT32 -> DataType.FLOAT32;
            case COMPLEX -> throw new IllegalArgumentException("IMAGE has no complex scalar type");
        };
    }

    /** The IMAGE scalar type of a Volume type. */
    public static ScalarType wireType(DataType t) {
        return switch (t) {
            case UINT8 -> ScalarType.UINT8;
            case INT16 -> ScalarType.INT16;
            case UINT16 -> ScalarType.UINT16;
            case INT32 -> ScalarType.INT32;
            case FLOAT32 -> ScalarType.FLOAT32;
            case FLOAT64 -> ScalarType.FLOAT64;
        };
    }

    private static boolean sameLayout(ScalarType wire, DataType stored) {
        return wire != ScalarType.INT8 && wire != ScalarType.UINT32 && wireType(stored) == wire;
    }

    private static Vec3 column(Affine a, int c) {
        return Vec3.of(a.get(0, c), a.get(1, c), a.get(2, c));
    }
}
