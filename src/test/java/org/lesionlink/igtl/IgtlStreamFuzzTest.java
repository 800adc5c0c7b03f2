package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.testing.FuzzChecks;

/**
 * Fuzzes the OpenIGTLink receive pipeline as the server builds it ({@link IgtlFrameDecoder} then
 * {@link IgtlMessageDecoder}) in an {@link EmbeddedChannel}, with the bytes cut into reads at fuzzer-chosen sizes.
 * Property: nothing throws (an exception would reach the event loop); every output is an
 * {@link IgtlMessage} or an {@link IgtlDecodeFailure}; every inbound buffer is released; allocation follows the
 * bytes that arrived (at most one eagerly allocated body of up to 1 MiB beyond them). Seeds: the golden
 * fixtures (see docs/fuzzing.md). Most mutations break the CRC, so {@link IgtlMessageFuzzTest} fuzzes the
 * bodies behind a correct CRC.
 */
class IgtlStreamFuzzTest {

    /** Small enough that fuzzed BODY_SIZE fields hit both sides of the limit. */
    private static final long MAX_BODY = 1 << 20;

    @FuzzTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stream(byte[] data) {
        FuzzChecks.assertAllocationWithin(8L << 20, 64, data.length, "OpenIGTLink stream", () -> decode(data));
    }

    private static void decode(byte[] data) {
        List<ByteBuf> reads = FuzzChecks.chunks(data);
        EmbeddedChannel ch = new EmbeddedChannel(new IgtlFrameDecoder(MAX_BODY), IgtlMessageDecoder.INSTANCE);
        for (ByteBuf b : reads) {
            ch.writeInbound(b); // rethrows anything that reached the end of the pipeline
        }
        ch.finish();
        for (Object o; (o = ch.readInbound()) != null;) {
            assertTrue(o instanceof IgtlMessage || o instanceof IgtlDecodeFailure, "unexpected output " + o.getClass());
        }
        FuzzChecks.assertReleased(reads);
    }
}
