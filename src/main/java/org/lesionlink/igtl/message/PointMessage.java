package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * POINT ("point.md"): n elements of 136 bytes, {name char[64], group char[32], RGBA uint8x4, position
 * float32x3, radius float32, owner image char[20]}. Slicer maps it to a markups fiducial list.
 */
public record PointMessage(Envelope envelope, List<Element> elements) implements IgtlMessage {

    public static final String TYPE = "POINT";
    public static final int ELEMENT_SIZE = 136;

    /** One point; {@code group} is e.g. "Labeled Point", "Landmark" or "Fiducial". */
    public record Element(String name, String group, Rgba color, Vec3 position, float radius, String owner) {
        public Element {
            Wire.checkFixed("POINT name", name, 64);
            Wire.checkFixed("POINT group", group, 32);
            Objects.requireNonNull(color, "color");
            Objects.requireNonNull(position, "position");
            Wire.checkFixed("POINT owner", owner, 20);
        }
    }

    public PointMessage {
        Objects.requireNonNull(envelope, "envelope");
        elements = List.copyOf(elements);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public PointMessage withEnvelope(Envelope e) {
        return new PointMessage(e, elements);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(ELEMENT_SIZE * elements.size());
        for (Element e : elements) {
            Wire.writeFixed(out, e.name(), 64);
            Wire.writeFixed(out, e.group(), 32);
            e.color().write(out);
            out.writeFloat(e.position().x()).writeFloat(e.position().y()).writeFloat(e.position().z());
            out.writeFloat(e.radius());
            Wire.writeFixed(out, e.owner(), 20);
        }
        return out;
    }

    static PointMessage read(Envelope env, ByteBuf in) {
        int n = Wire.elementCount(TYPE, in, ELEMENT_SIZE);
        Element[] el = new Element[n];
        for (int i = 0; i < n; i++) {
            String name = Wire.readFixed(in, 64);
            String group = Wire.readFixed(in, 32);
            Rgba rgba = Rgba.read(in);
            Vec3 p = new Vec3(in.readFloat(), in.readFloat(), in.readFloat());
            float radius = in.readFloat();
            el[i] = new Element(name, group, rgba, p, radius, Wire.readFixed(in, 20));
        }
        return new PointMessage(env, List.of(el));
    }
}
