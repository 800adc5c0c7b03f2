package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IgtlHeaderTest {

    @Test
    void readsTheVerifiedTransformHeader() {
        // research notes 2.2, verified against the 1.11 and 3.1 libraries
        byte[] bytes = HexFormat.of().parseHex("0001" + "5452414e53464f524d000000" + "50726f6265546f547261636b6572000000000000"
                + "0000000000000000" + "0000000000000030" + "dcd28e1f46e9e6f7");
        IgtlHeader h = IgtlHeader.read(Unpooled.wrappedBuffer(bytes));
        assertEquals(new IgtlHeader(1, "TRANSFORM", "ProbeToTracker", 0, 48, 0xdcd28e1f46e9e6f7L), h);
    }

    @Test
    void fieldsMayUseTheirFullWidthWithoutTerminator() {
        IgtlHeader h = new IgtlHeader(1, "GET_POSITION", "ABCDEFGHIJKLMNOPQRST", -1L, 0, 0);
        ByteBuf b = Unpooled.buffer();
        h.write(b);
        assertEquals(IgtlHeader.SIZE, b.readableBytes());
        byte[] type = new byte[12];
        b.getBytes(2, type);
        assertArrayEquals("GET_POSITION".getBytes(), type);
        assertEquals(h, IgtlHeader.read(b));
        assertEquals(-1L, h.timestamp(), "timestamp is a raw unsigned 64-bit value");
    }

    @Test
    void rejectsFieldsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new IgtlHeader(1, "THIRTEENCHARS", "", 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IgtlHeader(1, "STATUS", "twenty-one characters", 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IgtlHeader(1, "STATUS", "a\0b", 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IgtlHeader(1, "STATUS", "\u20ac", 0, 0, 0));
    }

    @Test
    void timestampIsThirtyTwoDotThirtyTwoFixedPoint() {
        // the 1.11 TrackerClient sent 0x6b012c79_11fc8f4f = 1795239033.07 s (research notes, 1.4)
        long wire = 0x6b012c7911fc8f4fL;
        Instant t = IgtlTimestamp.toInstant(wire);
        assertEquals(1795239033L, t.getEpochSecond());
        assertEquals(70_260_000, t.getNano(), 10_000);
        assertEquals(0x6b012c79L << 32 | 0x80000000L, IgtlTimestamp.fromInstant(Instant.ofEpochSecond(0x6b012c79L, 500_000_000)));
        assertEquals(0, IgtlTimestamp.fromInstant(Instant.EPOCH));
        assertEquals(Instant.ofEpochSecond(0xFFFFFFFFL, 999_999_999), IgtlTimestamp.toInstant(-1L), "unsigned, clamps at 1 s");
        assertThrows(IllegalArgumentException.class, () -> IgtlTimestamp.fromInstant(Instant.ofEpochSecond(-1)));
        assertThrows(IllegalArgumentException.class, () -> IgtlTimestamp.fromInstant(Instant.ofEpochSecond(1L << 32)));
    }

    @Test
    void epochNanosBeyond2106AreRefusedNotWrapped() {
        long last = 4_294_967_295_999_999_999L; // 2106-02-07T06:28:15.999999999Z, the last representable instant
        assertEquals(0xFFFF_FFFFL, IgtlTimestamp.fromEpochNanos(last) >>> 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IgtlTimestamp.fromEpochNanos(last + 1), "2^32 s used to wrap to 1970");
        assertTrue(e.getMessage().contains("1970..2106"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IgtlTimestamp.fromEpochNanos(Long.MAX_VALUE));
    }

    @Test
    void nanosecondsSurviveARoundTrip() {
        long[] samples = {0, 1, 999_999_999L, 1_000_000_000L, 1_795_239_033_070_260_000L, 4_294_967_295_999_999_999L};
        for (long ns : samples) {
            assertEquals(ns, IgtlTimestamp.toEpochNanos(IgtlTimestamp.fromEpochNanos(ns)), "ns " + ns);
        }
        for (int ns = 0; ns < 1_000_000_000; ns += 7_919) {
            assertEquals(ns, IgtlTimestamp.toInstant(IgtlTimestamp.fromInstant(Instant.ofEpochSecond(5, ns))).getNano());
        }
        IgtlHeader h = new IgtlHeader(1, "STATUS", "", IgtlTimestamp.fromEpochNanos(1_500_000_000L), 0, 0);
        assertEquals(1_500_000_000L, h.timestampNanos());
        assertEquals(Instant.ofEpochSecond(1, 500_000_000), h.timestampInstant());
    }
}
