package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * LBMETA ("labelmeta.md"): n elements of 116 bytes, {name char[64], ID char[20] (the device name to use
 * with GET_IMAGE), label uint8, reserved uint8, RGBA uint8x4, size uint16x3, owner image char[20]}. The
 * answer to GET_LBMETA. In Slicer it only fills a label-meta list; it does not colour anything.
 */
public record LabelMetaMessage(Envelope envelope, List<Element> elements) implements IgtlMessage {

    public static final String TYPE = "LBMETA";
    public static final int ELEMENT_SIZE = 116;

    /** One label map. */
    public record Element(String name, String imageId, int label, Rgba color, Extent size, String owner) {
        public Element {
            Wire.checkFixed("LBMETA name", name, 64);
            Wire.checkFixed("LBMETA id", imageId, 20);
            Wire.checkUnsigned("LBMETA label", label, 255);
            Objects.requireNonNull(color, "color");
            Objects.requireNonNull(size, "size");
            Wire.checkFixed("LBMETA owner", owner, 20);
        }
    }

    public LabelMetaMessage {
        Objects.requireNonNull(envelope, "envelope");
        elements = List.copyOf(elements);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public LabelMetaMessage withEnvelope(Envelope e) {
        return new LabelMetaMessage(e, elements);
    }

    @Override
    public ByteBuf encodeContent(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(ELEMENT_SIZE * elements.size());
        for (Element e : elements) {
            Wire.writeFixed(out, e.name(), 64);
            Wire.writeFixed(out, e.imageId(), 20);
            out.writeByte(e.label()).writeByte(0);
            e.color().write(out);
            e.size().write(out);
            Wire.writeFixed(out, e.owner(), 20);
        }
        return out;
    }

    static LabelMetaMessage read(Envelope env, ByteBuf in) {
        int n = Wire.elementCount(TYPE, in, ELEMENT_SIZE);
        Element[] el = new Element[n];
        for (int i = 0; i < n; i++) {
            String name = Wire.readFixed(in, 64);
            String id = Wire.readFixed(in, 20);
            int label = in.readUnsignedByte();
            in.skipBytes(1);
            Rgba rgba = Rgba.read(in);
            Extent size = Extent.read(in);
            el[i] = new Element(name, id, label, rgba, size, Wire.readFixed(in, 20));
        }
        return new LabelMetaMessage(env, List.of(el));
    }
}
