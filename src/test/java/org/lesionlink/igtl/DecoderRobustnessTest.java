package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.IgtlDecodeFailure.Reason;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.igtl.message.UnknownMessage;

/**
 * Bad input between two valid messages: the bad one becomes an {@link IgtlDecodeFailure} (or an
 * {@link UnknownMessage}), the valid ones still decode, at every fragment size.
 */
class DecoderRobustnessTest {

    private static final TransformMessage FIRST = new TransformMessage(Envelope.v1("ProbeToTracker"), TransformMatrix.translation(10, 20, 30));
    private static final StatusMessage LAST = StatusMessage.of(Envelope.v1("Server"), StatusCode.OK, "still in sync");

    /** Feeds FIRST + middle + LAST at every fragment size and checks the three results. */
    private static void between(byte[] middle, long maxBodySize, Consumer<Object> checkMiddle) {
        byte[] stream = IgtlTesting.concat(IgtlTesting.encode(FIRST), middle, IgtlTesting.encode(LAST));
        for (int fragment = 1; fragment <= stream.length; fragment++) {
            List<Object> out = IgtlTesting.decode(stream, fragment, maxBodySize);
            assertEquals(3, out.size(), "fragment " + fragment + ": " + out);
            assertEquals(FIRST, out.get(0));
            checkMiddle.accept(out.get(1));
            assertEquals(LAST, out.get(2), "fragment " + fragment);
        }
    }

    private static IgtlDecodeFailure failure(Object o, Reason reason) {
        IgtlDecodeFailure f = assertInstanceOf(IgtlDecodeFailure.class, o);
        assertEquals(reason, f.reason(), f.detail());
        return f;
    }

    @Test
    void crcMismatchIsReportedAndSkipped() {
        byte[] bad = IgtlTesting.fixture("transform_v1_probe.bin");
        bad[bad.length - 1] ^= 1; // flip a bit of TZ
        between(bad, IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE, o -> {
            IgtlDecodeFailure f = failure(o, Reason.CRC_MISMATCH);
            assertEquals("TRANSFORM", f.type());
            assertEquals("ProbeToTracker", f.deviceName());
        });
    }

    @Test
    void contentTooShortForItsTypeIsMalformed() {
        byte[] body = new byte[40]; // TRANSFORM needs 48
        between(message(1, "TRANSFORM", "Short", body), IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE, o -> {
            IgtlDecodeFailure f = failure(o, Reason.MALFORMED_BODY);
            assertTrue(f.detail().contains("40"), f.detail());
        });
    }

    @Test
    void malformedExtendedHeaderIsReported() {
        byte[] body = new byte[20];
        body[1] = 12;
        body[3] = 40; // META_HEADER_SIZE larger than the body
        between(message(2, "STRING", "", body), IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE, o -> failure(o, Reason.MALFORMED_BODY));
    }

    @Test
    void unknownTypeIsSkippedByLengthAndKept() {
        byte[] body = {1, 2, 3, 4, 5};
        between(message(1, "FOOBAR", "dev", body), IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE, o -> {
            UnknownMessage u = assertInstanceOf(UnknownMessage.class, o);
            assertEquals("FOOBAR", u.type());
            assertEquals(ByteBuffer.wrap(body), u.content());
        });
    }

    @Test
    void headerVersionThreeIsSkipped() {
        between(message(3, "TRANSFORM", "future", new byte[77]), IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE,
                o -> failure(o, Reason.UNSUPPORTED_HEADER_VERSION));
    }

    @Test
    void oversizeBodyIsDiscardedWithoutBufferingAndTheStreamStaysInSync() {
        byte[] image = IgtlTesting.fixture("image_debian_imager.bin"); // body 65608 bytes
        byte[] stream = IgtlTesting.concat(IgtlTesting.encode(FIRST), image, IgtlTesting.encode(LAST));
        for (int fragment : new int[] {1, 7, 58, 1000, 4096, 65536, stream.length}) {
            List<Object> out = IgtlTesting.decode(stream, fragment, 1000);
            assertEquals(3, out.size(), "fragment " + fragment);
            assertEquals(FIRST, out.get(0));
            IgtlDecodeFailure f = failure(out.get(1), Reason.BODY_TOO_LARGE);
            assertEquals("IMAGE", f.type());
            assertEquals(LAST, out.get(2));
        }
        between(image, 1000, o -> failure(o, Reason.BODY_TOO_LARGE));
    }

    @Test
    void absurdBodySizeNeverAllocates() {
        // BODY_SIZE 2^63 + 5 (negative as a signed long): must be reported, not allocated
        ByteBuf h = Unpooled.buffer();
        new IgtlHeader(1, "IMAGE", "evil", 0, Long.MIN_VALUE + 5, 0).write(h);
        byte[] header = new byte[IgtlHeader.SIZE];
        h.readBytes(header);
        byte[] stream = IgtlTesting.concat(IgtlTesting.encode(FIRST), header, new byte[1000]);
        List<Object> out = IgtlTesting.decode(stream, 333);
        assertEquals(FIRST, out.get(0));
        IgtlDecodeFailure f = failure(out.get(1), Reason.BODY_TOO_LARGE);
        assertTrue(f.detail().contains("9223372036854775813"), f.detail());
        assertEquals(2, out.size(), "the rest is discarded as the declared body");
    }

    @Test
    void connectionClosedInsideABodyOrHeaderIsTruncated() {
        byte[] full = IgtlTesting.fixture("transform_v1_probe.bin");
        for (int cut = 1; cut < full.length; cut++) {
            byte[] stream = IgtlTesting.concat(IgtlTesting.encode(FIRST), java.util.Arrays.copyOf(full, cut));
            for (int fragment : new int[] {1, 5, stream.length}) {
                List<Object> out = IgtlTesting.decode(stream, fragment);
                assertEquals(2, out.size(), "cut " + cut + " fragment " + fragment + ": " + out);
                assertEquals(FIRST, out.get(0));
                IgtlDecodeFailure f = failure(out.get(1), Reason.TRUNCATED);
                assertEquals(cut >= IgtlHeader.SIZE ? "TRANSFORM" : "", f.type());
            }
        }
    }

    @Test
    void emptyBodiesAndBackToBackMessages() {
        byte[] get = IgtlTesting.fixture("get_imgmeta.bin");
        byte[] stream = IgtlTesting.concat(get, get, IgtlTesting.fixture("transform_v3_metadata.bin"), get);
        for (int fragment = 1; fragment <= stream.length; fragment++) {
            List<Object> out = IgtlTesting.decode(stream, fragment);
            assertEquals(4, out.size());
            for (Object o : out) {
                assertInstanceOf(IgtlMessage.class, o);
            }
        }
    }

    /** A raw message with a correct CRC. */
    static byte[] message(int version, String type, String device, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        new IgtlHeader(version, type, device, 0, body.length, Crc64.of(body)).write(b);
        b.writeBytes(body);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
