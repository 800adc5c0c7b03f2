package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.CommandMessage;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.StringMessage;

/**
 * Text that does not fit its declared encoding is decoded leniently, the same way for STRING and COMMAND:
 * US-ASCII (3) keeps bytes above 0x7F as U+0080..U+00FF (lossless), UTF-8 (106) replaces invalid sequences
 * with U+FFFD. Neither fails the message.
 */
class LenientTextTest {

    /** A v1 message of {@code type} with the given content, CRC set. */
    private static byte[] message(String type, String device, byte[] content) {
        IgtlHeader h = new IgtlHeader(1, type, device, 0, content.length, Crc64.of(content));
        ByteBuf out = Unpooled.buffer();
        h.write(out);
        out.writeBytes(content);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static byte[] stringContent(int encoding, byte... text) {
        ByteBuf b = Unpooled.buffer().writeShort(encoding).writeShort(text.length).writeBytes(text);
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return a;
    }

    @Test
    void usAsciiStringWithAHighByteIsKeptByteForByte() {
        byte[] bytes = message("STRING", "Note", stringContent(3, (byte) 'c', (byte) 'a', (byte) 'f', (byte) 0xE9));
        StringMessage m = assertInstanceOf(StringMessage.class, IgtlTesting.decode(bytes, 5).get(0),
                "used to be MALFORMED_BODY");
        assertEquals(3, m.encoding());
        assertEquals("caf\u00e9", m.text());
        assertArrayEquals(bytes, IgtlTesting.encode(m), "re-encodes to the same bytes");
    }

    @Test
    void invalidUtf8StringIsKeptWithReplacementCharacters() {
        byte[] bytes = message("STRING", "Note", stringContent(106, (byte) 'a', (byte) 0xC3, (byte) '(', (byte) 0xFF));
        StringMessage m = assertInstanceOf(StringMessage.class, IgtlTesting.decode(bytes, bytes.length).get(0));
        assertEquals(106, m.encoding());
        assertEquals("a\uFFFD(\uFFFD", m.text());
    }

    @Test
    void commandsAreDecodedTheSameWay() {
        CommandMessage latin = new CommandMessage(Envelope.v1("CMD"), 1, "Start", 3, "<Command Name=\"D\u00fcsseldorf\"/>");
        byte[] bytes = IgtlTesting.encode(latin);
        assertEquals(0xFC, bytes[bytes.length - "sseldorf\"/>".length() - 1] & 0xFF, "written as the single byte 0xFC under encoding 3");
        assertEquals(latin, IgtlTesting.decode(bytes, bytes.length).get(0));
    }
}
