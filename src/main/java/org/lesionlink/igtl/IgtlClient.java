package org.lesionlink.igtl;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lesionlink.igtl.message.IgtlMessage;

/**
 * A small blocking OpenIGTLink client for tests and command-line tools, on the same pipeline as the
 * server ({@link IgtlFrameDecoder}, {@link IgtlMessageDecoder}, {@link IgtlMessageEncoder},
 * {@link IgtlVersionTracker}). Received messages and decode failures queue up in arrival order and are
 * taken with {@link #receive(Duration)}. Not meant for production streaming: the queue is unbounded.
 *
 * <pre>{@code
 * try (IgtlClient c = IgtlClient.connect("localhost", 18944)) {
 *     c.send(new GetQuery(Envelope.v1(""), "GET_STATUS"));
 *     StatusMessage s = c.receive(StatusMessage.class, Duration.ofSeconds(2));
 * }
 * }</pre>
 */
public final class IgtlClient implements AutoCloseable {

    /** Queued when the connection closes, so a waiting {@link #receive} ends. */
    private static final Object CLOSED = new Object();

    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<Object> inbound;

    private IgtlClient(EventLoopGroup group, Channel channel, BlockingQueue<Object> inbound) {
        this.group = group;
        this.channel = channel;
        this.inbound = inbound;
    }

    /** Connects with the defaults: follow the peer's header version, default body limit, 5 s timeout. */
    public static IgtlClient connect(String host, int port) throws IOException {
        return builder().connect(new InetSocketAddress(host, port));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sends a message; the future completes when it is written. */
    public CompletableFuture<Void> send(IgtlMessage message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(message).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    /**
     * The next received item, an {@link IgtlMessage} or an {@link IgtlDecodeFailure}.
     *
     * @throws TimeoutException if nothing arrives in time
     * @throws IOException if the connection closed with nothing left to read
     */
    public Object receive(Duration timeout) throws InterruptedException, TimeoutException, IOException {
        Object o = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (o == null) {
            throw new TimeoutException("nothing received within " + timeout);
        }
        if (o == CLOSED) {
            inbound.add(CLOSED); // keep reporting it
            throw new IOException("connection closed");
        }
        return o;
    }

    /** The next message of {@code type}, skipping (and dropping) anything else received before it. */
    public <T extends IgtlMessage> T receive(Class<T> type, Duration timeout)
            throws InterruptedException, TimeoutException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object o = receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
    }

    /** The highest header version the server has sent so far (1 until it sends a version-2 message). */
    public int peerHeaderVersion() {
        return IgtlVersionTracker.peerHeaderVersion(channel);
    }

    public boolean isConnected() {
        return channel.isActive();
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Connection options. */
    public static final class Builder {
        private int maxHeaderVersion = 2;
        private int assumedPeerHeaderVersion = 1;
        private long maxBodySize = IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE;
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /** 1 to never send header version 2; 2 (default) to follow the peer. */
        public Builder maxHeaderVersion(int v) {
            this.maxHeaderVersion = v;
            return this;
        }

        /**
         * The header version to assume before the server sent anything (default 1). Set 2 for a server
         * known to speak protocol v3 (LesionLink, Slicer, PLUS 2.8+), so that the first messages already carry
         * metadata; that also tells the server to answer in version 2.
         */
        public Builder assumePeerHeaderVersion(int v) {
            if (v != 1 && v != 2) {
                throw new IllegalArgumentException("header version must be 1 or 2, got " + v);
            }
            this.assumedPeerHeaderVersion = v;
            return this;
        }

        public Builder maxBodySize(long bytes) {
            this.maxBodySize = bytes;
            return this;
        }

        public Builder connectTimeout(Duration t) {
            this.connectTimeout = t;
            return this;
        }

        public IgtlClient connect(InetSocketAddress address) throws IOException {
            BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
            IgtlVersionTracker tracker = new IgtlVersionTracker(maxHeaderVersion);
            long limit = maxBodySize;
            EventLoopGroup group = new NioEventLoopGroup(1);
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new IgtlFrameDecoder(limit), IgtlMessageDecoder.INSTANCE,
                                    IgtlMessageEncoder.INSTANCE, tracker, new SimpleChannelInboundHandler<Object>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                            inbound.add(msg);
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            inbound.add(CLOSED);
                                        }
                                    });
                        }
                    });
            ChannelFuture f = b.connect(address).awaitUninterruptibly();
            if (!f.isSuccess()) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw new IOException("cannot connect to " + address, f.cause());
            }
            if (assumedPeerHeaderVersion == 2) {
                IgtlVersionTracker.observe(f.channel(), 2);
            }
            return new IgtlClient(group, f.channel(), inbound);
        }
    }
}
