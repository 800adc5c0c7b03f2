package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * IMAGE ("image.md"): a 72-byte image header followed by the pixels of a sub-volume.
 *
 * <pre>
 * off size field
 *   0    2 image header version, always 1
 *   2    1 components (1 scalar; more = interleaved, e.g. RGBRGB)
 *   3    1 scalar type ({@link ScalarType})
 *   4    1 endian of the pixel data: 1 big, 2 little (the header itself is big-endian)
 *   5    1 coordinate system: 1 RAS, 2 LPS
 *   6    6 RI, RJ, RK: size of the full volume, uint16 each
 *  12   36 T, S, N: the i, j, k axes as float32x3 each, unit direction x spacing (mm)
 *  48   12 P: the centre of the full volume (float32x3, mm)
 *  60    6 DI, DJ, DK: sub-volume offset
 *  66    6 DRI, DRJ, DRK: sub-volume size
 *  72    . pixels of the sub-volume, i fastest, then j, then k
 * </pre>
 *
 * <p>Geometry (as upstream, OpenIGTLinkIO and pyigtl agree): voxel indices address voxel centres,
 * {@code ijkToWorld = [T S N origin]} with {@code origin = P - T (RI-1)/2 - S (RJ-1)/2 - N (RK-1)/2},
 * always of the full volume. See {@link #geometry()}, {@link #toVolume()} and {@link #fromVolume}.
 *
 * <p>The pixels are kept as a read-only view of the received body (no copy); multi-byte values are in
 * {@link #endian()} order. Slicer and PLUS send little-endian pixels.
 *
 * @param iAxis T
 * @param jAxis S
 * @param kAxis N
 * @param centre P
 * @param pixels the sub-volume's pixel bytes; read-only view
 */
public record ImageMessage(Envelope envelope, ScalarType scalarType, int components, ByteOrder endian,
                           CoordinateSystem coordinates, Extent size, Vec3 iAxis, Vec3 jAxis, Vec3 kAxis,
                           Vec3 centre, Extent subvolumeOffset, Extent subvolumeSize, ByteBuffer pixels)
        implements IgtlMessage {

    public static final String TYPE = "IMAGE";
    /** Bytes of the image header. */
    public static final int HEADER_SIZE = 72;
    /** The only image header version upstream accepts. */
    public static final int IMAGE_HEADER_VERSION = 1;
    static final int ENDIAN_BIG = 1;
    static final int ENDIAN_LITTLE = 2;

    public ImageMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(scalarType, "scalarType");
        if (scalarType == ScalarType.COMPLEX) {
            throw new IllegalArgumentException("IMAGE has no complex scalar type");
        }
        Wire.checkUnsigned("components", components, 255);
        if (components == 0) {
            throw new IllegalArgumentException("an IMAGE needs at least one component");
        }
        Objects.requireNonNull(endian, "endian");
        Objects.requireNonNull(coordinates, "coordinates");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(iAxis, "iAxis");
        Objects.requireNonNull(jAxis, "jAxis");
        Objects.requireNonNull(kAxis, "kAxis");
        Objects.requireNonNull(centre, "centre");
        Objects.requireNonNull(subvolumeOffset, "subvolumeOffset");
        Objects.requireNonNull(subvolumeSize, "subvolumeSize");
        if (subvolumeOffset.i() + subvolumeSize.i() > size.i() || subvolumeOffset.j() + subvolumeSize.j() > size.j()
                || subvolumeOffset.k() + subvolumeSize.k() > size.k()) {
            throw new IllegalArgumentException("sub-volume " + subvolumeOffset + " + " + subvolumeSize
                    + " exceeds the volume " + size);
        }
        pixels = Wire.frozen("pixels", pixels);
        long expected = subvolumeSize.product() * components * scalarType.bytes();
        if (pixels.remaining() != expected) {
            throw new IllegalArgumentException("IMAGE pixel data is " + pixels.remaining() + " bytes, sub-volume "
                    + subvolumeSize + " x " + components + " " + scalarType + " needs " + expected);
        }
    }

    /**
     * An IMAGE of a whole volume, in RAS, little-endian, channels interleaved as components; see
     * {@link ImageVolumes#fromVolume} for the type mapping.
     */
    public static ImageMessage fromVolume(Envelope envelope, Volume volume) {
        return ImageVolumes.fromVolume(envelope, volume);
    }

    /** Whether the pixels cover the full volume. */
    public boolean isFullVolume() {
        return subvolumeOffset.equals(Extent.ZERO) && subvolumeSize.equals(size);
    }

    /**
     * The full volume's grid in RAS (LPS senders converted by negating x and y); voxel (0,0,0) sits at
     * {@code P - T (RI-1)/2 - S (RJ-1)/2 - N (RK-1)/2}.
     */
    public Geometry geometry() {
        return ImageVolumes.geometry(this);
    }

    /**
     * The pixels as a {@link Volume} on the sub-volume's grid, in RAS, one channel per component; see
     * {@link ImageVolumes#toVolume} for the type mapping. Shares the pixel memory when no conversion is
     * needed (one component, little-endian, a type Volume stores as is).
     */
    public Volume toVolume() {
        return ImageVolumes.toVolume(this);
    }

    /** The pixel bytes: a read-only view, positioned at 0, in {@link #endian()} order. */
    @Override
    public ByteBuffer pixels() {
        return pixels.duplicate().order(endian);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageMessage withEnvelope(Envelope e) {
        return new ImageMessage(e, scalarType, components, endian, coordinates, size, iAxis, jAxis, kAxis, centre,
                subvolumeOffset, subvolumeSize, pixels);
    }

    /** The 72-byte image header followed by the pixels, which are wrapped, not copied. */
    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf head = alloc.buffer(HEADER_SIZE);
        head.writeShort(IMAGE_HEADER_VERSION).writeByte(components).writeByte(scalarType.code())
                .writeByte(endian == ByteOrder.BIG_ENDIAN ? ENDIAN_BIG : ENDIAN_LITTLE).writeByte(coordinates.code());
        size.write(head);
        for (Vec3 v : new Vec3[] {iAxis, jAxis, kAxis, centre}) {
            head.writeFloat(v.x()).writeFloat(v.y()).writeFloat(v.z());
        }
        subvolumeOffset.write(head);
        subvolumeSize.write(head);
        if (!pixels.hasRemaining()) {
            return head;
        }
        return Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(pixels.duplicate()));
    }

    static ImageMessage read(Envelope env, ByteBuf in) {
        if (in.readableBytes() < HEADER_SIZE) {
            throw new IllegalArgumentException("IMAGE content is " + in.readableBytes() + " bytes, the image header needs 72");
        }
        int version = in.readUnsignedShort();
        if (version != IMAGE_HEADER_VERSION) {
            throw new IllegalArgumentException("IMAGE header version " + version + " (only 1 is defined)");
        }
        int components = in.readUnsignedByte();
        ScalarType type = ScalarType.fromCode(in.readUnsignedByte());
        int e = in.readUnsignedByte();
        ByteOrder endian = switch (e) {
            case ENDIAN_BIG -> ByteOrder.BIG_ENDIAN;
            case ENDIAN_LITTLE -> ByteOrder.LITTLE_ENDIAN;
            default -> throw new IllegalArgumentException("IMAGE endian must be 1 (big) or 2 (little), got " + e);
        };
        CoordinateSystem coords = CoordinateSystem.fromCode(in.readUnsignedByte());
        Extent size = Extent.read(in);
        Vec3[] v = new Vec3[4];
        for (int i = 0; i < 4; i++) {
            v[i] = new Vec3(in.readFloat(), in.readFloat(), in.readFloat());
        }
        Extent offset = Extent.read(in);
        Extent sub = Extent.read(in);
        return new ImageMessage(env, type, components, endian, coords, size, v[0], v[1], v[2], v[3], offset, sub,
                Wire.view(in, in.readableBytes()));
    }
}
