package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * POSITION, called QTRANS in the v3 documents ("position.md"): position float32x3 and quaternion
 * (OX, OY, OZ, W) float32x4. Upstream also accepts a 12-byte form (position only) and a 24-byte form
 * (position and OX, OY, OZ; W is derived as {@code sqrt(1 - x^2 - y^2 - z^2)}); {@link #layout()} keeps
 * which one arrived so encoding reproduces it. The constructor makes the record hold only what its layout
 * carries: the identity for position-only, the derived W for the 24-byte form.
 *
 * <p>The quaternion is kept as sent, which need not be normalised; use {@link #unitOrientation()}.
 * Slicer does not handle POSITION: send poses to Slicer as TRANSFORM.
 *
 * @param type {@code POSITION} or {@code QTRANS}
 */
public record PositionMessage(Envelope envelope, String type, Vec3 position, Quaternion orientation, Layout layout)
        implements IgtlMessage {

    public static final String TYPE = "POSITION";
    public static final String TYPE_QTRANS = "QTRANS";

    /** The three content sizes. */
    public enum Layout {
        POSITION_ONLY(12), QUATERNION3(24), FULL(28);

        private final int size;

        Layout(int size) {
            this.size = size;
        }

        public int size() {
            return size;
        }
    }

    public PositionMessage {
        Objects.requireNonNull(envelope, "envelope");
        if (!TYPE.equals(type) && !TYPE_QTRANS.equals(type)) {
            throw new IllegalArgumentException("type must be POSITION or QTRANS, got " + type);
        }
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(orientation, "orientation");
        Objects.requireNonNull(layout, "layout");
        // the record holds what the wire can carry: no orientation, or W derived from OX, OY, OZ
        if (layout == Layout.POSITION_ONLY) {
            orientation = Quaternion.IDENTITY;
        } else if (layout == Layout.QUATERNION3) {
            orientation = withDerivedW(orientation.x(), orientation.y(), orientation.z());
        }
    }

    private static Quaternion withDerivedW(float x, float y, float z) {
        return new Quaternion(x, y, z, (float) Math.sqrt(Math.max(0, 1 - ((double) x * x + (double) y * y + (double) z * z))));
    }

    /** A full 28-byte POSITION with the quaternion normalised. */
    public static PositionMessage of(Envelope envelope, Vec3 position, Quaternion orientation) {
        return new PositionMessage(envelope, TYPE, position, orientation.normalized(), Layout.FULL);
    }

    public Quaternion unitOrientation() {
        return orientation.normalized();
    }

    @Override
    public PositionMessage withEnvelope(Envelope e) {
        return new PositionMessage(e, type, position, orientation, layout);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(layout.size());
        out.writeFloat(position.x()).writeFloat(position.y()).writeFloat(position.z());
        if (layout != Layout.POSITION_ONLY) {
            out.writeFloat(orientation.x()).writeFloat(orientation.y()).writeFloat(orientation.z());
        }
        if (layout == Layout.FULL) {
            out.writeFloat(orientation.w());
        }
        return out;
    }

    static PositionMessage read(String type, Envelope env, ByteBuf in) {
        int n = in.readableBytes();
        Vec3 p;
        switch (n) {
            case 12:
                p = new Vec3(in.readFloat(), in.readFloat(), in.readFloat());
                return new PositionMessage(env, type, p, Quaternion.IDENTITY, Layout.POSITION_ONLY);
            case 24: {
                p = new Vec3(in.readFloat(), in.readFloat(), in.readFloat());
                Quaternion q = withDerivedW(in.readFloat(), in.readFloat(), in.readFloat());
                return new PositionMessage(env, type, p, q, Layout.QUATERNION3);
            }
            case 28:
                p = new Vec3(in.readFloat(), in.readFloat(), in.readFloat());
                Quaternion q = new Quaternion(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
                return new PositionMessage(env, type, p, q, Layout.FULL);
            default:
                throw new IllegalArgumentException(type + " content is " + n + " bytes, expected 12, 24 or 28");
        }
    }
}
