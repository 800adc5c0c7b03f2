package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * IMGMETA ("imagemeta.md"): n elements of 260 bytes, {name char[64], ID char[20] (the device name to
 * use with GET_IMAGE), modality char[32], patient name char[64], patient ID char[64], timestamp uint64,
 * size uint16x3, scalar type uint8, reserved uint8}. The answer to GET_IMGMETA. The scalar type is that
 * of the IMAGE the element describes, so complex (13, NDARRAY only) is refused as in IMAGE.
 */
public record ImageMetaMessage(Envelope envelope, List<Element> elements) implements IgtlMessage {

    public static final String TYPE = "IMGMETA";
    public static final int ELEMENT_SIZE = 260;

    /**
     * One image in the sender's list.
     *
     * @param timestamp raw wire value, as in the header
     */
    public record Element(String name, String imageId, String modality, String patientName, String patientId,
                          long timestamp, Extent size, ScalarType scalarType) {
        public Element {
            Wire.checkFixed("IMGMETA name", name, 64);
            Wire.checkFixed("IMGMETA id", imageId, 20);
            Wire.checkFixed("IMGMETA modality", modality, 32);
            Wire.checkFixed("IMGMETA patient name", patientName, 64);
            Wire.checkFixed("IMGMETA patient id", patientId, 64);
            Objects.requireNonNull(size, "size");
            Objects.requireNonNull(scalarType, "scalarType");
            if (scalarType == ScalarType.COMPLEX) {
                throw new IllegalArgumentException("IMGMETA '" + name + "': scalar type 13 (complex) is not an IMAGE"
                        + " scalar type; it exists only in NDARRAY");
            }
        }
    }

    public ImageMetaMessage {
        Objects.requireNonNull(envelope, "envelope");
        elements = List.copyOf(elements);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageMetaMessage withEnvelope(Envelope e) {
        return new ImageMetaMessage(e, elements);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(ELEMENT_SIZE * elements.size());
        for (Element e : elements) {
            Wire.writeFixed(out, e.name(), 64);
            Wire.writeFixed(out, e.imageId(), 20);
            Wire.writeFixed(out, e.modality(), 32);
            Wire.writeFixed(out, e.patientName(), 64);
            Wire.writeFixed(out, e.patientId(), 64);
            out.writeLong(e.timestamp());
            e.size().write(out);
            out.writeByte(e.scalarType().code()).writeByte(0);
        }
        return out;
    }

    static ImageMetaMessage read(Envelope env, ByteBuf in) {
        int n = Wire.elementCount(TYPE, in, ELEMENT_SIZE);
        Element[] el = new Element[n];
        for (int i = 0; i < n; i++) {
            String name = Wire.readFixed(in, 64);
            String id = Wire.readFixed(in, 20);
            String modality = Wire.readFixed(in, 32);
            String patientName = Wire.readFixed(in, 64);
            String patientId = Wire.readFixed(in, 64);
            long ts = in.readLong();
            Extent size = Extent.read(in);
            ScalarType st = ScalarType.fromCode(in.readUnsignedByte());
            in.skipBytes(1);
            el[i] = new Element(name, id, modality, patientName, patientId, ts, size, st);
        }
        return new ImageMetaMessage(env, List.of(el));
    }
}
