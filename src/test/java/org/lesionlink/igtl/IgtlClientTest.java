package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/** The client against an in-JVM echo server built on the same pipeline, over real TCP on loopback. */
class IgtlClientTest {

    private EventLoopGroup group;
    private Channel server;

    @BeforeEach
    void startEchoServer() {
        group = new NioEventLoopGroup(1);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IgtlFrameDecoder(), IgtlMessageDecoder.INSTANCE, IgtlMessageEncoder.INSTANCE,
                                new IgtlVersionTracker(), new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof IgtlMessage m) {
                                            ctx.writeAndFlush(m);
                                        } else {
                                            IgtlDecodeFailure f = (IgtlDecodeFailure) msg;
                                            ctx.writeAndFlush(StatusMessage.of(Envelope.v1(f.deviceName()),
                                                    StatusCode.CHECKSUM_ERROR, f.detail()));
                                        }
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    void sendsAndReceivesOverTcpInVersionOneByDefault() throws Exception {
        try (IgtlClient c = IgtlClient.connect("127.0.0.1", port())) {
            TransformMessage t = new TransformMessage(new Envelope(2, "NeedleToRas", 0, 1, Map.of("TransformStatus", "OK")),
                    TransformMatrix.translation(1, 2, 3));
            c.send(t).get();
            TransformMessage echo = c.receive(TransformMessage.class, Duration.ofSeconds(5));
            assertEquals(t.withEnvelope(t.envelope().withHeaderVersion(1)), echo, "v1 until the server speaks v2");
            assertEquals(1, c.peerHeaderVersion());
            assertThrows(TimeoutException.class, () -> c.receive(Duration.ofMillis(50)));
        }
    }

    @Test
    void versionTwoWhenAssumedAndALargeImageRoundTrips() throws Exception {
        try (IgtlClient c = IgtlClient.builder().assumePeerHeaderVersion(2).connect(new InetSocketAddress("127.0.0.1", port()))) {
            Geometry g = Geometry.axisAligned(new int[] {256, 256, 20}, new double[] {0.9, 0.9, 2}, new double[] {-115, -115, -20});
            Volume.Builder b = Volume.allocate(g, DataType.INT16, 1);
            for (int i = 0; i < g.voxelCount(); i++) {
                b.set(0, i, i % 3000 - 1000);
            }
            ImageMessage image = ImageMessage.fromVolume(Envelope.v2("CT", Map.of("MRMLNodeName", "Volume")), b.build());
            c.send(image).get();
            ImageMessage echo = c.receive(ImageMessage.class, Duration.ofSeconds(10));
            assertEquals(image, echo);
            assertEquals(2, c.peerHeaderVersion());
        }
    }

    @Test
    void aDecodeFailureOnTheServerDoesNotDropTheConnection() throws Exception {
        try (IgtlClient c = IgtlClient.connect("127.0.0.1", port())) {
            byte[] bad = IgtlTesting.fixture("transform_v1_probe.bin");
            bad[70] ^= 1;
            c.channel().writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(bad)).sync();
            StatusMessage s = c.receive(StatusMessage.class, Duration.ofSeconds(5));
            assertEquals(StatusCode.CHECKSUM_ERROR, s.statusCode().orElseThrow());
            c.send(StatusMessage.of(Envelope.v1("ping"), StatusCode.OK, "")).get();
            assertInstanceOf(StatusMessage.class, c.receive(Duration.ofSeconds(5)));
        }
    }
}
