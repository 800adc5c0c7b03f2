package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.testing.FuzzChecks;

/**
 * Fuzzes the OpenIGTLink body decoders behind a correct CRC (mutated streams almost never get past the CRC
 * check). Input layout: byte 0 picks the header version (odd: 2, even: 1), byte 1 the message type from
 * {@link #TYPES}, the rest is the body. Property: {@link IgtlCodec#decode(IgtlFrame)} returns an
 * {@link IgtlMessage} or an {@link IgtlDecodeFailure} and never throws; allocation follows the body size;
 * a decoded message can be encoded again (what {@code igtl-echo} and the server do with what they receive) and
 * decodes to an equal message of the same type.
 */
class IgtlMessageFuzzTest {

    /** Every type with its own decoder, and the query prefixes. */
    static final List<String> TYPES = List.of("IMAGE", "TRANSFORM", "POSITION", "QTRANS", "TDATA", "QTDATA", "STATUS",
            "STRING", "COMMAND", "RTS_COMMAND", "CAPABILITY", "IMGMETA", "LBMETA", "COLORT", "POINT", "POLYDATA",
            "NDARRAY", "GET_IMAGE", "STP_TDATA", "STT_TDATA", "RTS_TDATA", "SENSOR");

    @FuzzTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void body(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int version = (data[0] & 1) == 1 ? 2 : 1;
        String type = TYPES.get((data[1] & 0xFF) % TYPES.size());
        byte[] body = Arrays.copyOfRange(data, 2, data.length);
        FuzzChecks.assertAllocationWithin(2L << 20, 16, data.length, type + " body", () -> decode(version, type, body));
    }

    private static void decode(int version, String type, byte[] body) {
        IgtlFrame frame = IgtlFrame.of(new IgtlHeader(version, type, "fuzz", 0, body.length, Crc64.of(body)), body);
        Object decoded = IgtlCodec.decode(frame);
        assertTrue(decoded instanceof IgtlMessage || decoded instanceof IgtlDecodeFailure, "unexpected " + decoded);
        if (decoded instanceof IgtlMessage m) {
            ByteBuf again = IgtlCodec.encode(m, UnpooledByteBufAllocator.DEFAULT);
            try {
                Object redecoded = IgtlCodec.decode(again);
                IgtlMessage r = assertInstanceOf(IgtlMessage.class, redecoded, () -> "re-encoded " + type + ": " + redecoded);
                assertEquals(m.type(), r.type());
                assertEquals(m, r, "re-encoded " + type);
            } finally {
                again.release();
            }
        }
    }
}
