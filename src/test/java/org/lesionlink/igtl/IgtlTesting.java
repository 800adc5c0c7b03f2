package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.igtl.message.IgtlMessage;

/** Shared helpers for the codec tests: fixtures, fragmenting decoder runs, encoding to bytes. */
public final class IgtlTesting {

    private IgtlTesting() {
    }

    /** A fixture from {@code src/test/resources/fixtures/igtl/}. */
    public static byte[] fixture(String name) {
        try (InputStream in = IgtlTesting.class.getResourceAsStream("/fixtures/igtl/" + name)) {
            assertNotNull(in, "missing fixture " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A decoding pipeline as the server builds it. */
    public static EmbeddedChannel decoderChannel(long maxBodySize) {
        return new EmbeddedChannel(new IgtlFrameDecoder(maxBodySize), IgtlMessageDecoder.INSTANCE);
    }

    /**
     * Feeds {@code bytes} in fragments of {@code fragment} bytes, closes the channel and returns every
     * object that came out. Asserts that nothing is left over and that the decoder released each fragment.
     */
    public static List<Object> decode(byte[] bytes, int fragment, long maxBodySize) {
        EmbeddedChannel ch = decoderChannel(maxBodySize);
        ByteBuf all = Unpooled.wrappedBuffer(bytes);
        List<Object> out = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += fragment) {
            ch.writeInbound(all.retainedSlice(at, Math.min(fragment, bytes.length - at)));
            drain(ch, out);
        }
        ch.close();
        drain(ch, out);
        assertFalse(ch.finish(), "channel holds unread messages after close");
        assertEquals(1, all.refCnt(), "decoder did not release every fragment");
        all.release();
        return out;
    }

    public static List<Object> decode(byte[] bytes, int fragment) {
        return decode(bytes, fragment, IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE);
    }

    private static void drain(EmbeddedChannel ch, List<Object> out) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
    }

    /** Encodes through an {@link IgtlMessageEncoder} in an EmbeddedChannel; returns the bytes written. */
    public static byte[] encode(IgtlMessage... messages) {
        EmbeddedChannel ch = new EmbeddedChannel(IgtlMessageEncoder.INSTANCE);
        for (IgtlMessage m : messages) {
            ch.writeOutbound(m);
        }
        List<byte[]> parts = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            assertEquals(0, b.refCnt(), "encoder output still referenced after release");
            parts.add(a);
        }
        assertFalse(ch.finish());
        return concat(parts.toArray(new byte[0][]));
    }
}
