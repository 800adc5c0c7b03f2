package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.CoordinateSystem;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.Vec3;

/**
 * A 512^3 float32 IMAGE (512 MiB of pixels, the default body limit) streamed through the decoding
 * stages in 64 KiB segments, as it would arrive from a socket. Tagged slow: run with {@code -Dgroups=slow}.
 */
@Tag("slow")
class LargeImageStreamingTest {

    @Test
    void fiveHundredTwelveCubedFloat32StreamsThroughTheDecoder() {
        int n = 512;
        Extent size = new Extent(n, n, n);
        ByteBuffer px = ByteBuffer.allocate(n * n * n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * n * n; i += 4099) {
            px.putFloat(i * 4, i * 0.25f);
        }
        ImageMessage image = new ImageMessage(Envelope.v1("CT"), ScalarType.FLOAT32, 1, ByteOrder.LITTLE_ENDIAN,
                CoordinateSystem.RAS, size, new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1), Vec3.ZERO,
                Extent.ZERO, size, px);
        long t0 = System.nanoTime();
        ByteBuf wire = IgtlCodec.encode(image, ByteBufAllocator.DEFAULT);
        long t1 = System.nanoTime();
        int total = wire.readableBytes();
        EmbeddedChannel ch = new EmbeddedChannel(new IgtlFrameDecoder(), IgtlMessageDecoder.INSTANCE);
        for (int at = 0; at < total; at += 65536) {
            ch.writeInbound(wire.retainedSlice(at, Math.min(65536, total - at)));
        }
        long t2 = System.nanoTime();
        wire.release();
        ImageMessage got = assertInstanceOf(ImageMessage.class, ch.readInbound());
        assertEquals(image, got);
        assertFalse(ch.finish());
        System.out.printf("512^3 float32 IMAGE, %d bytes: encode (CRC, no pixel copy) %.0f ms = %.0f MB/s; "
                        + "decode in 64 KiB segments (one copy + CRC) %.0f ms = %.0f MB/s%n",
                total, (t1 - t0) / 1e6, total / ((t1 - t0) / 1e3), (t2 - t1) / 1e6, total / ((t2 - t1) / 1e3));
    }
}
