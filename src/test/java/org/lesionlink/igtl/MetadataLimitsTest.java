package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.Wire;

/**
 * The v3 metadata size fields (META_HEADER_SIZE uint16, KEY_SIZE uint16, META_SIZE uint32): what does not
 * fit is refused when the envelope is built, with a message naming the field, instead of wrapping into a
 * corrupt message.
 */
class MetadataLimitsTest {

    private static Map<String, String> entries(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("k" + i, "v");
        }
        return m;
    }

    @Test
    void theLargestEntryCountFitsAndRoundTrips() {
        assertEquals(8191, Envelope.MAX_METADATA_ENTRIES);
        StringMessage m = StringMessage.of(Envelope.v2("Many", entries(8191)), "x");
        byte[] bytes = IgtlTesting.encode(m);
        ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
        assertEquals(2 + 8 * 8191, b.getUnsignedShort(IgtlHeader.SIZE + 2), "META_HEADER_SIZE");
        assertEquals(List.of(m), IgtlTesting.decode(bytes, 4096));
    }

    @Test
    void oneEntryMoreIsRefusedBeforeTheHeaderSizeWraps() {
        // 2 + 8 * 8192 = 65538 would be written as META_HEADER_SIZE 2
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Envelope.v2("x", entries(8192)));
        assertTrue(e.getMessage().contains("at most 8191"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Envelope.v2("x", Map.of()).withMetadata(entries(65536)));
    }

    @Test
    void keysAreLimitedInUtf8BytesNotCharacters() {
        Envelope.v2("x", Map.of("k".repeat(65535), "v"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Envelope.v2("x", Map.of("k".repeat(65536), "v")));
        assertTrue(e.getMessage().contains("KEY_SIZE"), e.getMessage());
        // 40000 characters but 80000 bytes: used to pass the character check and wrap KEY_SIZE
        assertThrows(IllegalArgumentException.class, () -> Envelope.v2("x", Map.of("\u00e9".repeat(40000), "v")));
        Envelope.v2("x", Map.of("\u00e9".repeat(32767), "v"));
    }

    @Test
    void largeKeysAndValuesEncodeTheirExactSizes() {
        String key = "\u00e9".repeat(30000) + "\uD83D\uDE00"; // 60004 bytes
        String value = "\u2713".repeat(100_000);              // 300000 bytes
        StringMessage m = StringMessage.of(Envelope.v2("Big", Map.of(key, value)), "x");
        ByteBuf out = IgtlCodec.encode(m, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(60004 + 300000, out.getUnsignedInt(IgtlHeader.SIZE + 4), "META_SIZE");
        } finally {
            out.release();
        }
        assertEquals(List.of(m), IgtlTesting.decode(IgtlTesting.encode(m), 65536));
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : new String[] {"", "abc", "\u00e9", "\u2713", "\uD83D\uDE00", "\uD83D", "a\uDE00b", "\u07ff\u0800"}) {
            assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, Wire.utf8Length(s), s);
        }
    }
}
