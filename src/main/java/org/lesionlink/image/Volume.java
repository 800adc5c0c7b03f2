package org.lesionlink.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * An immutable 3D image: a {@link Geometry}, a voxel {@link DataType}, one or more channels of equal
 * size, and a linear {@link Rescale} from stored to real values (NIfTI scl_slope/scl_inter, DICOM
 * RescaleSlope/Intercept).
 *
 * <p>Each channel is one little-endian buffer in index order {@code i + nx * (j + ny * k)} (i fastest,
 * as in NIfTI), so a channel holds at most 2 GiB. Buffers are never copied by accessors: they are handed
 * out as read-only views. Create volumes with {@link #allocate} + {@link Builder} or
 * {@link #wrap}, whose caller promises not to touch the buffers afterwards.
 */
public final class Volume {

    /** Real value = stored * slope + intercept. */
    public record Rescale(double slope, double intercept) {
        public static final Rescale IDENTITY = new Rescale(1, 0);

        public Rescale {
            if (!Double.isFinite(slope) || slope == 0 || !Double.isFinite(intercept)) {
                throw new IllegalArgumentException("rescale needs a finite non-zero slope and finite intercept, got "
                        + slope + ", " + intercept);
            }
        }

        public boolean isIdentity() {
            return slope == 1 && intercept == 0;
        }

        public double apply(double stored) {
            return stored * slope + intercept;
        }
    }

    private final Geometry geometry;
    private final DataType type;
    private final ByteBuffer[] channels;
    private final Rescale rescale;

    private Volume(Geometry geometry, DataType type, ByteBuffer[] channels, Rescale rescale) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.type = Objects.requireNonNull(type, "type");
        this.rescale = Objects.requireNonNull(rescale, "rescale");
        if (channels.length == 0) {
            throw new IllegalArgumentException("a volume needs at least one channel");
        }
        long expected = geometry.voxelCount() * type.bytes();
        this.channels = new ByteBuffer[channels.length];
        for (int c = 0; c < channels.length; c++) {
            if (channels[c].remaining() != expected) {
                throw new IllegalArgumentException("channel " + c + " has " + channels[c].remaining()
                        + " bytes, expected " + expected + " for " + geometry.voxelCount() + " " + type.id() + " voxels");
            }
            this.channels[c] = channels[c].slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Takes ownership of {@code channels} (little-endian, positioned at the first voxel). */
    public static Volume wrap(Geometry geometry, DataType type, Rescale rescale, ByteBuffer... channels) {
        return new Volume(geometry, type, channels, rescale);
    }

    public static Builder allocate(Geometry geometry, DataType type, int channels) {
        return new Builder(geometry, type, channels);
    }

    /** A single float32 channel from an array in index order (the array is copied). */
    public static Volume ofFloats(Geometry geometry, float[] values) {
        Builder b = allocate(geometry, DataType.FLOAT32, 1);
        b.channel(0).asFloatBuffer().put(values);
        return b.build();
    }

    /** A single uint8 channel from an array in index order (the array is copied); for labelmaps. */
    public static Volume ofBytes(Geometry geometry, byte[] values) {
        Builder b = allocate(geometry, DataType.UINT8, 1);
        b.channel(0).put(values);
        return b.build();
    }

    public Geometry geometry() {
        return geometry;
    }

    public DataType type() {
        return type;
    }

    public int channels() {
        return channels.length;
    }

    public Rescale rescale() {
        return rescale;
    }

    public int voxelsPerChannel() {
        return (int) geometry.voxelCount();
    }

    /** Read-only little-endian view of one channel's stored values. */
    public ByteBuffer data(int channel) {
        return channels[channel].asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Linear index of voxel (i, j, k). */
    public int index(int i, int j, int k) {
        return i + geometry.dim(0) * (j + geometry.dim(1) * k);
    }

    /** Stored (unscaled) value at a linear index. */
    public double stored(int channel, int index) {
        ByteBuffer b = channels[channel];
        return switch (type) {
            case UINT8 -> b.get(index) & 0xFF;
            case INT16 -> b.getShort(index << 1);
            case UINT16 -> b.getShort(index << 1) & 0xFFFF;
            case INT32 -> b.getInt(index << 2);
            case FLOAT32 -> b.getFloat(index << 2);
            case FLOAT64 -> b.getDouble(index << 3);
        };
    }

    /** Real (rescaled) value at a linear index. */
    public double value(int channel, int index) {
        return rescale.apply(stored(channel, index));
    }

    public double value(int channel, int i, int j, int k) {
        return value(channel, index(i, j, k));
    }

    /** Real values of one channel as a new float array (the usual input of inference and metrics). */
    public float[] toFloats(int channel) {
        int n = voxelsPerChannel();
        float[] out = new float[n];
        ByteBuffer b = channels[channel];
        double s = rescale.slope();
        double o = rescale.intercept();
        switch (type) {
            case UINT8 -> { for (int i = 0; i < n; i++) out[i] = (float) ((b.get(i) & 0xFF) * s + o); }
            case INT16 -> { for (int i = 0; i < n; i++) out[i] = (float) (b.getShort(i << 1) * s + o); }
            case UINT16 -> { for (int i = 0; i < n; i++) out[i] = (float) ((b.getShort(i << 1) & 0xFFFF) * s + o); }
            case INT32 -> { for (int i = 0; i < n; i++) out[i] = (float) (b.getInt(i << 2) * s + o); }
            case FLOAT32 -> {
                if (rescale.isIdentity()) {
                    b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
                } else {
                    for (int i = 0; i < n; i++) out[i] = (float) (b.getFloat(i << 2) * s + o);
                }
            }
            case FLOAT64 -> { for (int i = 0; i < n; i++) out[i] = (float) (b.getDouble(i << 3) * s + o); }
        }
        return out;
    }

    /** One channel as a volume sharing this volume's buffer. */
    public Volume channel(int channel) {
        if (channels.length == 1 && channel == 0) {
            return this;
        }
        return new Volume(geometry, type, new ByteBuffer[] {channels[channel]}, rescale);
    }

    /** The same voxels on another grid of equal dims (e.g. after a geometry correction); no copy. */
    public Volume withGeometry(Geometry other) {
        if (other.voxelCount() != geometry.voxelCount() || other.dim(0) != geometry.dim(0) || other.dim(1) != geometry.dim(1)) {
            throw new IllegalArgumentException("new geometry " + other + " has other dims than " + geometry);
        }
        return new Volume(other, type, channels, rescale);
    }

    @Override
    public String toString() {
        return "Volume[" + type.id() + " x" + channels.length + ", " + geometry + (rescale.isIdentity() ? "" : ", " + rescale) + "]";
    }

    /** Fills the buffers of a new volume; {@link #build()} hands them over, after which the builder is spent. */
    public static final class Builder {
        private final Geometry geometry;
        private final DataType type;
        private final ByteBuffer[] buffers;
        private Rescale rescale = Rescale.IDENTITY;
        private boolean built;

        private Builder(Geometry geometry, DataType type, int channels) {
            long bytes = geometry.voxelCount() * type.bytes();
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a channel of " + geometry.voxelCount() + " " + type.id()
                        + " voxels needs " + bytes + " bytes, more than the 2 GiB a channel can hold");
            }
            if (channels < 1) {
                throw new IllegalArgumentException("channels must be >= 1, got " + channels);
            }
            this.geometry = geometry;
            this.type = type;
            this.buffers = new ByteBuffer[channels];
            for (int c = 0; c < channels; c++) {
                buffers[c] = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            }
        }

        /** The writable buffer of one channel (little-endian, absolute puts by byte offset). */
        public ByteBuffer channel(int c) {
            if (built) {
                throw new IllegalStateException("volume already built");
            }
            return buffers[c];
        }

        public Builder rescale(Rescale r) {
            this.rescale = r;
            return this;
        }

        /** Writes a real value, clamped and rounded to the stored type (no rescale applied). */
        public void set(int c, int index, double v) {
            ByteBuffer b = channel(c);
            double x = type.clamp(v);
            switch (type) {
                case UINT8 -> b.put(index, (byte) (int) x);
                case INT16, UINT16 -> b.putShort(index << 1, (short) (int) x);
                case INT32 -> b.putInt(index << 2, (int) x);
                case FLOAT32 -> b.putFloat(index << 2, (float) x);
                case FLOAT64 -> b.putDouble(index << 3, x);
            }
        }

        public Volume build() {
            built = true;
            for (ByteBuffer b : buffers) {
                b.clear();
            }
            return new Volume(geometry, type, buffers, rescale);
        }
    }
}
