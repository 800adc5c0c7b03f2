package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * TDATA ("trackingdata.md"): n elements of 70 bytes, {name char[20], type uint8, reserved uint8, 3x4
 * matrix as in TRANSFORM}. Streamed after STT_TDATA until STP_TDATA; Slicer makes one transform node per
 * element.
 */
public record TrackingDataMessage(Envelope envelope, List<Element> elements) implements IgtlMessage {

    public static final String TYPE = "TDATA";
    public static final int ELEMENT_SIZE = 70;

    /** One tracked instrument. */
    public record Element(String name, InstrumentType instrumentType, TransformMatrix matrix) {
        public Element {
            Wire.checkFixed("TDATA element name", name, 20);
            Objects.requireNonNull(instrumentType, "instrumentType");
            Objects.requireNonNull(matrix, "matrix");
        }
    }

    public TrackingDataMessage {
        Objects.requireNonNull(envelope, "envelope");
        elements = List.copyOf(elements);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TrackingDataMessage withEnvelope(Envelope e) {
        return new TrackingDataMessage(e, elements);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(ELEMENT_SIZE * elements.size());
        for (Element e : elements) {
            Wire.writeFixed(out, e.name(), 20);
            out.writeByte(e.instrumentType().code()).writeByte(0);
            e.matrix().write(out);
        }
        return out;
    }

    static TrackingDataMessage read(Envelope env, ByteBuf in) {
        int n = Wire.elementCount(TYPE, in, ELEMENT_SIZE);
        Element[] elements = new Element[n];
        for (int i = 0; i < n; i++) {
            String name = Wire.readFixed(in, 20);
            InstrumentType t = InstrumentType.fromCode(in.readUnsignedByte());
            in.skipBytes(1);
            elements[i] = new Element(name, t, TransformMatrix.read(in));
        }
        return new TrackingDataMessage(env, List.of(elements));
    }
}
