package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * POLYDATA ("polydata.md"), VTK's polygonal data:
 *
 * <pre>
 * uint32 NPOINTS, NVERTICES, SIZE_VERTICES, NLINES, SIZE_LINES, NPOLYGONS, SIZE_POLYGONS,
 *        NTRIANGLE_STRIPS, SIZE_TRIANGLE_STRIPS, NATTRIBUTES           (40 bytes)
 * float32 POINTS[NPOINTS * 3]
 * uint32 VERTICES, LINES, POLYGONS, TRIANGLE_STRIPS                   (each cell: N, i1 .. iN)
 * per attribute: uint8 type, uint8 components, uint32 N               (6 bytes each)
 * attribute names, each NUL-terminated, padded with one NUL to an even total
 * per attribute: float32 data[N * components]
 * </pre>
 *
 * The document draws the attribute type as one uint16 with the component count in bits 8-15; the
 * reference implementation writes the type byte first, then the count, which is what is done here.
 * Slicer maps POLYDATA to a model node.
 *
 * <p><b>Interop hazard:</b> the reference C library (Debian 1.11, and upstream {@code igtl_polydata.c} as of
 * 2025) picks the component count by comparing the type with the POINT_* codes only, so it packs every
 * CELL_* attribute with 9 components and 9 floats per cell; the floats beyond the real ones are read past
 * the sender's data. This decoder reports what is on the wire; LesionLink itself writes the true count.
 *
 * @param points x, y, z per point (float32)
 */
public record PolyDataMessage(Envelope envelope, float[] points, CellArray vertices, CellArray lines,
                              CellArray polygons, CellArray triangleStrips, List<Attribute> attributes)
        implements IgtlMessage {

    public static final String TYPE = "POLYDATA";
    static final int HEADER_SIZE = 40;

    /** Attribute type byte: bit 4 selects cell (1) or point (0) data, the low bits the kind. */
    public enum AttributeType {
        POINT_SCALARS(0x00), POINT_VECTORS(0x01), POINT_NORMALS(0x02), POINT_TENSORS(0x03), POINT_RGBA(0x04),
        CELL_SCALARS(0x10), CELL_VECTORS(0x11), CELL_NORMALS(0x12), CELL_TENSORS(0x13), CELL_RGBA(0x14);

        private final int code;

        AttributeType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static AttributeType fromCode(int code) {
            for (AttributeType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown POLYDATA attribute type 0x" + Integer.toHexString(code));
        }
    }

    /**
     * One dataset attribute; {@code data} holds {@code components} floats per point or cell.
     * Vectors and normals have 3 components, tensors 9, RGBA 4 (in [0, 1]).
     */
    public record Attribute(AttributeType attributeType, int components, String name, float[] data) {
        public Attribute {
            Objects.requireNonNull(attributeType, "attributeType");
            Wire.checkUnsigned("attribute components", components, 255);
            if (components == 0 || data.length % components != 0) {
                throw new IllegalArgumentException("attribute '" + name + "' has " + data.length
                        + " values, not a multiple of " + components + " components");
            }
            Wire.checkFixed("attribute name", name, 255);
            data = data.clone();
        }

        /** Number of points or cells described. */
        public int count() {
            return data.length / components;
        }

        @Override
        public float[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Attribute a && attributeType == a.attributeType && components == a.components
                    && name.equals(a.name) && Arrays.equals(data, a.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(attributeType, components, name, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Attribute[" + attributeType + " x" + components + " '" + name + "', " + count() + " tuples]";
        }
    }

    public PolyDataMessage {
        Objects.requireNonNull(envelope, "envelope");
        if (points.length % 3 != 0) {
            throw new IllegalArgumentException("points needs x, y, z per point, got " + points.length + " values");
        }
        points = points.clone();
        Objects.requireNonNull(vertices, "vertices");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(polygons, "polygons");
        Objects.requireNonNull(triangleStrips, "triangleStrips");
        attributes = List.copyOf(attributes);
    }

    /** A surface made of polygons only (e.g. triangles of a lesion mesh). */
    public static PolyDataMessage surface(Envelope envelope, float[] points, CellArray polygons) {
        return new PolyDataMessage(envelope, points, CellArray.EMPTY, CellArray.EMPTY, polygons, CellArray.EMPTY, List.of());
    }

    public int pointCount() {
        return points.length / 3;
    }

    @Override
    public float[] points() {
        return points.clone();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public PolyDataMessage withEnvelope(Envelope e) {
        return new PolyDataMessage(e, points, vertices, lines, polygons, triangleStrips, attributes);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        int names = 0;
        long data = 0;
        for (Attribute a : attributes) {
            names += a.name().length() + 1;
            data += 4L * a.data.length;
        }
        int padding = names % 2;
        long size = HEADER_SIZE + 12L * pointCount() + vertices.byteSize() + lines.byteSize() + polygons.byteSize()
                + triangleStrips.byteSize() + 6L * attributes.size() + names + padding + data;
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("POLYDATA content of " + size + " bytes is too large");
        }
        ByteBuf out = alloc.buffer((int) size);
        out.writeInt(pointCount());
        out.writeInt(vertices.cellCount()).writeInt(vertices.byteSize());
        out.writeInt(lines.cellCount()).writeInt(lines.byteSize());
        out.writeInt(polygons.cellCount()).writeInt(polygons.byteSize());
        out.writeInt(triangleStrips.cellCount()).writeInt(triangleStrips.byteSize());
        out.writeInt(attributes.size());
        for (float f : points) {
            out.writeFloat(f);
        }
        vertices.write(out);
        lines.write(out);
        polygons.write(out);
        triangleStrips.write(out);
        for (Attribute a : attributes) {
            out.writeByte(a.attributeType().code()).writeByte(a.components()).writeInt(a.count());
        }
        for (Attribute a : attributes) {
            out.writeCharSequence(a.name(), StandardCharsets.ISO_8859_1);
            out.writeByte(0);
        }
        out.writeZero(padding);
        for (Attribute a : attributes) {
            for (float f : a.data) {
                out.writeFloat(f);
            }
        }
        return out;
    }

    static PolyDataMessage read(Envelope env, ByteBuf in) {
        if (in.readableBytes() < HEADER_SIZE) {
            throw new IllegalArgumentException("POLYDATA content is " + in.readableBytes() + " bytes, header needs 40");
        }
        long npoints = in.readUnsignedInt();
        long[] counts = new long[8];
        for (int i = 0; i < 8; i++) {
            counts[i] = in.readUnsignedInt();
        }
        long nattributes = in.readUnsignedInt();
        if (npoints * 12 > in.readableBytes()) {
            throw new IllegalArgumentException("POLYDATA declares " + npoints + " points, only " + in.readableBytes() + " bytes follow");
        }
        float[] points = new float[(int) npoints * 3];
        for (int i = 0; i < points.length; i++) {
            points[i] = in.readFloat();
        }
        CellArray vertices = CellArray.read("vertices", in, counts[0], counts[1]);
        CellArray lines = CellArray.read("lines", in, counts[2], counts[3]);
        CellArray polygons = CellArray.read("polygons", in, counts[4], counts[5]);
        CellArray strips = CellArray.read("triangle strips", in, counts[6], counts[7]);
        if (nattributes * 6 > in.readableBytes()) {
            throw new IllegalArgumentException("POLYDATA declares " + nattributes + " attributes, only "
                    + in.readableBytes() + " bytes follow");
        }
        int na = (int) nattributes;
        int[] types = new int[na];
        int[] comps = new int[na];
        long[] ns = new long[na];
        for (int i = 0; i < na; i++) {
            types[i] = in.readUnsignedByte();
            comps[i] = in.readUnsignedByte();
            ns[i] = in.readUnsignedInt();
        }
        String[] names = new String[na];
        int nameBytes = 0;
        for (int i = 0; i < na; i++) {
            int nul = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
            if (nul < 0) {
                throw new IllegalArgumentException("POLYDATA attribute name " + i + " is not NUL-terminated");
            }
            int len = nul - in.readerIndex();
            names[i] = in.readCharSequence(len, StandardCharsets.ISO_8859_1).toString();
            in.skipBytes(1);
            nameBytes += len + 1;
        }
        in.skipBytes(nameBytes % 2);
        Attribute[] attributes = new Attribute[na];
        for (int i = 0; i < na; i++) {
            long values = ns[i] * comps[i];
            if (values * 4 > in.readableBytes()) {
                throw new IllegalArgumentException("POLYDATA attribute '" + names[i] + "' needs " + values * 4
                        + " bytes, " + in.readableBytes() + " left");
            }
            float[] d = new float[(int) values];
            for (int k = 0; k < d.length; k++) {
                d[k] = in.readFloat();
            }
            attributes[i] = new Attribute(AttributeType.fromCode(types[i]), comps[i], names[i], d);
        }
        Wire.checkEnd(TYPE, in);
        return new PolyDataMessage(env, points, vertices, lines, polygons, strips, List.of(attributes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolyDataMessage p && envelope.equals(p.envelope) && Arrays.equals(points, p.points)
                && vertices.equals(p.vertices) && lines.equals(p.lines) && polygons.equals(p.polygons)
                && triangleStrips.equals(p.triangleStrips) && attributes.equals(p.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelope, Arrays.hashCode(points), vertices, lines, polygons, triangleStrips, attributes);
    }

    @Override
    public String toString() {
        return "PolyDataMessage[" + envelope + ", " + pointCount() + " points, vertices " + vertices.cellCount()
                + ", lines " + lines.cellCount() + ", polygons " + polygons.cellCount() + ", strips "
                + triangleStrips.cellCount() + ", " + attributes + "]";
    }
}
