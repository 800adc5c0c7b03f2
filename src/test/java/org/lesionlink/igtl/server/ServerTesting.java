package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.lesionlink.igtl.Crc64;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.IgtlCodec;
import org.lesionlink.igtl.IgtlHeader;
import org.lesionlink.igtl.message.CoordinateSystem;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.igtl.message.Vec3;

/** Helpers for the server tests: servers on ephemeral loopback ports, raw sockets, bounded waits. */
final class ServerTesting {

    /** Upper bound for any wait: a hang guard, never a performance expectation. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private ServerTesting() {
    }

    static IgtlServerConfig.Builder loopback() {
        return IgtlServerConfig.builder().bindAddress("127.0.0.1").port(0).ioThreads(2).workerThreads(2);
    }

    static IgtlClient client(IgtlServer server) throws IOException {
        return IgtlClient.connect("127.0.0.1", server.port());
    }

    /** Waits (up to {@link #PATIENCE}) until the condition holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + PATIENCE + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    static TransformMessage transform(Envelope env, float x) {
        return new TransformMessage(env, TransformMatrix.fromColumnMajor(1, 0, 0, 0, 1, 0, 0, 0, 1, x, 0, 0));
    }

    static float translationX(TransformMessage t) {
        return t.matrix().get(0, 3);
    }

    /** A w x h uint8 IMAGE whose first four pixel bytes hold {@code n} (big-endian). */
    static ImageMessage image(Envelope env, int n, int w, int h) {
        ByteBuffer px = ByteBuffer.allocate(w * h);
        px.putInt(0, n);
        return new ImageMessage(env, ScalarType.UINT8, 1, ByteOrder.LITTLE_ENDIAN, CoordinateSystem.RAS,
                new Extent(w, h, 1), new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1), Vec3.ZERO, Extent.ZERO,
                new Extent(w, h, 1), px);
    }

    static int imageNumber(ImageMessage m) {
        return m.pixels().order(ByteOrder.BIG_ENDIAN).getInt(0);
    }

    /** The bytes of a message as the server would send it. */
    static byte[] bytes(IgtlMessage m) {
        ByteBuf b = IgtlCodec.encode(m, ByteBufAllocator.DEFAULT);
        try {
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    /** A raw message with any header fields, e.g. a wrong CRC or version; crc null = the correct one. */
    static byte[] raw(int version, String type, String device, byte[] body, Long crc, Long declaredBodySize) {
        ByteBuf b = Unpooled.buffer();
        new IgtlHeader(version, type, device, 0, declaredBodySize == null ? body.length : declaredBodySize,
                crc == null ? Crc64.of(body) : crc).write(b);
        b.writeBytes(body);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** A plain blocking socket, for bytes no well-behaved client would send. */
    static Socket rawSocket(IgtlServer server) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout((int) PATIENCE.toMillis());
        return s;
    }

    /** Reads and decodes one message from a raw socket (checks its CRC, as the decoder does). */
    static Object readMessage(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] head = new byte[IgtlHeader.SIZE];
        d.readFully(head);
        IgtlHeader h = IgtlHeader.read(Unpooled.wrappedBuffer(head));
        assertTrue(h.bodySize() < 1 << 24, "unexpected body size " + h);
        byte[] body = new byte[(int) h.bodySize()];
        d.readFully(body);
        assertEquals(h.crc(), Crc64.of(body), "CRC of " + h);
        return IgtlCodec.decode(Unpooled.wrappedBuffer(head, body));
    }
}
