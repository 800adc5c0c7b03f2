package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.ImageMetaMessage;
import org.lesionlink.igtl.message.NdArrayMessage;
import org.lesionlink.igtl.message.ScalarType;

/** IMGMETA takes IMAGE scalar types only; NDARRAY with zero dimensions is one value, as in the C library. */
class ScalarTypeChecksTest {

    private static byte[] message(String type, byte[] content) {
        IgtlHeader h = new IgtlHeader(1, type, "Dev", 0, content.length, Crc64.of(content));
        ByteBuf out = Unpooled.buffer();
        h.write(out);
        out.writeBytes(content);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static ImageMetaMessage.Element element(ScalarType t) {
        return new ImageMetaMessage.Element("T1", "IMAGE_0", "MR", "Doe^Jane", "123", 0, new Extent(4, 4, 4), t);
    }

    @Test
    void imgmetaRefusesTheComplexType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> element(ScalarType.COMPLEX));
        assertTrue(e.getMessage().contains("NDARRAY"), e.getMessage());
        // on the wire: patch ST of a valid element to 13
        byte[] bytes = IgtlTesting.encode(new ImageMetaMessage(Envelope.v1("Dev"), List.of(element(ScalarType.INT16))));
        byte[] content = java.util.Arrays.copyOfRange(bytes, IgtlHeader.SIZE, bytes.length);
        assertEquals(ScalarType.INT16.code(), content[258]);
        content[258] = 13;
        IgtlDecodeFailure f = assertInstanceOf(IgtlDecodeFailure.class, IgtlTesting.decode(message("IMGMETA", content), 64).get(0));
        assertEquals(IgtlDecodeFailure.Reason.MALFORMED_BODY, f.reason());
        assertTrue(f.detail().contains("complex"), f.detail());
        for (ScalarType t : ScalarType.values()) {
            if (t != ScalarType.COMPLEX) {
                element(t);
            }
        }
    }

    @Test
    void zeroDimensionalNdarrayHoldsOneValue() {
        // ST 11 (float64), DIM 0, then one big-endian value: 10 bytes, what igtl_ndarray_get_size gives
        ByteBuffer one = ByteBuffer.allocate(8).putDouble(0, 1.5);
        NdArrayMessage m = new NdArrayMessage(Envelope.v1("Dev"), ScalarType.FLOAT64, List.of(), one);
        byte[] bytes = IgtlTesting.encode(m);
        assertEquals(IgtlHeader.SIZE + 10, bytes.length);
        NdArrayMessage back = assertInstanceOf(NdArrayMessage.class, IgtlTesting.decode(bytes, 3).get(0));
        assertEquals(List.of(), back.size());
        assertEquals(1.5, back.data().getDouble(0));
        // DIM 0 with no value, or with two, does not fit
        for (byte[] content : new byte[][] {{11, 0}, java.util.Arrays.copyOf(new byte[] {11, 0}, 18)}) {
            IgtlDecodeFailure f = assertInstanceOf(IgtlDecodeFailure.class, IgtlTesting.decode(message("NDARRAY", content), 64).get(0));
            assertEquals(IgtlDecodeFailure.Reason.MALFORMED_BODY, f.reason(), f.detail());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new NdArrayMessage(Envelope.v1("Dev"), ScalarType.FLOAT64, List.of(), ByteBuffer.allocate(0)));
    }
}
