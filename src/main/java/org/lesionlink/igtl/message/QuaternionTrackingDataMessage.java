package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * QTDATA ("qtrackingdata.md"): n elements of 50 bytes, {name char[20], type uint8, reserved uint8,
 * position float32x3, quaternion (OX, OY, OZ, W) float32x4}. Slicer does not handle it.
 */
public record QuaternionTrackingDataMessage(Envelope envelope, List<Element> elements) implements IgtlMessage {

    public static final String TYPE = "QTDATA";
    public static final int ELEMENT_SIZE = 50;

    /** One tracked instrument; the quaternion is kept as sent. */
    public record Element(String name, InstrumentType instrumentType, Vec3 position, Quaternion orientation) {
        public Element {
            Wire.checkFixed("QTDATA element name", name, 20);
            Objects.requireNonNull(instrumentType, "instrumentType");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(orientation, "orientation");
        }
    }

    public QuaternionTrackingDataMessage {
        Objects.requireNonNull(envelope, "envelope");
        elements = List.copyOf(elements);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public QuaternionTrackingDataMessage withEnvelope(Envelope e) {
        return new QuaternionTrackingDataMessage(e, elements);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(ELEMENT_SIZE * elements.size());
        for (Element e : elements) {
            Wire.writeFixed(out, e.name(), 20);
            out.writeByte(e.instrumentType().code()).writeByte(0);
            Vec3 p = e.position();
            Quaternion q = e.orientation();
            out.writeFloat(p.x()).writeFloat(p.y()).writeFloat(p.z());
            out.writeFloat(q.x()).writeFloat(q.y()).writeFloat(q.z()).writeFloat(q.w());
        }
        return out;
    }

    static QuaternionTrackingDataMessage read(Envelope env, ByteBuf in) {
        int n = Wire.elementCount(TYPE, in, ELEMENT_SIZE);
        Element[] elements = new Element[n];
        for (int i = 0; i < n; i++) {
            String name = Wire.readFixed(in, 20);
            InstrumentType t = InstrumentType.fromCode(in.readUnsignedByte());
            in.skipBytes(1);
            Vec3 p = new Vec3(in.readFloat(), in.readFloat(), in.readFloat());
            Quaternion q = new Quaternion(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
            elements[i] = new Element(name, t, p, q);
        }
        return new QuaternionTrackingDataMessage(env, List.of(elements));
    }
}
