package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.CoordinateSystem;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.Vec3;
import org.lesionlink.igtl.message.Wire;

/** Odd but well-formed metadata entries (empty key, repeated key) must not cost the message. */
class MetadataLenientDecodeTest {

    private static final byte[] PIXELS = {1, 2, 3, 4, 5, 6};

    private static ImageMessage image(Envelope e) {
        Extent size = new Extent(3, 2, 1);
        return new ImageMessage(e, ScalarType.UINT8, 1, ByteOrder.LITTLE_ENDIAN, CoordinateSystem.RAS, size,
                new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1), Vec3.ZERO, Extent.ZERO, size, ByteBuffer.wrap(PIXELS));
    }

    /** A v2 IMAGE whose metadata section is written by hand, entry by entry, with a correct CRC. */
    private static byte[] imageWithRawMetadata(String... keysAndValues) {
        byte[] plain = IgtlTesting.encode(image(Envelope.v2("Scan", Map.of())));
        ByteBuf in = Unpooled.wrappedBuffer(plain);
        int contentEnd = plain.length - 2; // the encoder wrote INDEX_COUNT 0 and nothing else
        int n = keysAndValues.length / 2;
        ByteBuf meta = Unpooled.buffer().writeShort(n);
        List<byte[]> data = new ArrayList<>();
        long metaSize = 0;
        for (int i = 0; i < n; i++) {
            byte[] k = keysAndValues[2 * i].getBytes(StandardCharsets.UTF_8);
            byte[] v = keysAndValues[2 * i + 1].getBytes(StandardCharsets.UTF_8);
            meta.writeShort(k.length).writeShort(Wire.mibFor(keysAndValues[2 * i + 1])).writeInt(v.length);
            data.add(k);
            data.add(v);
            metaSize += k.length + v.length;
        }
        for (byte[] b : data) {
            meta.writeBytes(b);
        }
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(in, 0, contentEnd);
        out.writeBytes(meta);
        int body = out.readableBytes() - IgtlHeader.SIZE;
        out.setLong(42, body);                                        // BODY_SIZE
        out.setShort(IgtlHeader.SIZE + 2, 2 + 8 * n);                 // META_HEADER_SIZE
        out.setInt(IgtlHeader.SIZE + 4, (int) metaSize);              // META_SIZE
        out.setLong(50, Crc64.update(0, out, IgtlHeader.SIZE, body)); // CRC
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    @Test
    void anEmptyKeyIsKeptAndTheImageDelivered() {
        byte[] bytes = imageWithRawMetadata("", "no name", "Modality", "MR");
        ImageMessage m = assertInstanceOf(ImageMessage.class, IgtlTesting.decode(bytes, 7).get(0));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("", "no name");
        expected.put("Modality", "MR");
        assertEquals(expected, m.metadata());
        byte[] px = new byte[PIXELS.length];
        m.pixels().get(px);
        assertArrayEquals(PIXELS, px);
        assertArrayEquals(bytes, IgtlTesting.encode(m), "an empty key re-encodes unchanged");
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueInTheFirstPlace() {
        byte[] bytes = imageWithRawMetadata("Status", "old", "Modality", "MR", "Status", "new");
        ImageMessage m = assertInstanceOf(ImageMessage.class, IgtlTesting.decode(bytes, bytes.length).get(0));
        assertEquals(List.of("Status", "Modality"), List.copyOf(m.metadata().keySet()));
        assertEquals("new", m.metadata().get("Status"), "last wins, as the reference library's std::map");
        assertEquals(image(m.envelope()), m);
    }
}
