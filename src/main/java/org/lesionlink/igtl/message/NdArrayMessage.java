package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * NDARRAY ("ndarray.md"): scalar type uint8, dimension count uint8, size uint16 per dimension, then the
 * values in C order (last index fastest), <b>big-endian</b>. Complex values are two float64 (real,
 * imaginary). Zero dimensions are allowed and hold exactly one value (the empty product is 1), as the
 * 1.11 C library sizes them ({@code igtl_ndarray_get_size} of a 0-dimensional float64 array is 2 + 8).
 *
 * @param data the raw values, big-endian; read-only view
 */
public record NdArrayMessage(Envelope envelope, ScalarType scalarType, List<Integer> size, ByteBuffer data)
        implements IgtlMessage {

    public static final String TYPE = "NDARRAY";

    public NdArrayMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(scalarType, "scalarType");
        size = List.copyOf(size);
        if (size.size() > 255) {
            throw new IllegalArgumentException("NDARRAY has at most 255 dimensions, got " + size.size());
        }
        long n = scalarType.bytes();
        for (int s : size) {
            Wire.checkUnsigned("NDARRAY size", s, 0xFFFF);
            n *= s;
        }
        data = Wire.frozen("data", data);
        if (data.remaining() != n) {
            throw new IllegalArgumentException("NDARRAY data is " + data.remaining() + " bytes, " + size + " "
                    + scalarType + " needs " + n);
        }
    }

    /** A float64 array from values in C order. */
    public static NdArrayMessage ofDoubles(Envelope envelope, List<Integer> size, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.BIG_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new NdArrayMessage(envelope, ScalarType.FLOAT64, size, b);
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NdArrayMessage withEnvelope(Envelope e) {
        return new NdArrayMessage(e, scalarType, size, data);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf head = alloc.buffer(2 + 2 * size.size()).writeByte(scalarType.code()).writeByte(size.size());
        for (int s : size) {
            head.writeShort(s);
        }
        return Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(data.duplicate()));
    }

    static NdArrayMessage read(Envelope env, ByteBuf in) {
        ScalarType t = ScalarType.fromCode(in.readUnsignedByte());
        int dim = in.readUnsignedByte();
        Integer[] size = new Integer[dim];
        for (int i = 0; i < dim; i++) {
            size[i] = in.readUnsignedShort();
        }
        return new NdArrayMessage(env, t, List.of(size), Wire.view(in, in.readableBytes()));
    }
}
