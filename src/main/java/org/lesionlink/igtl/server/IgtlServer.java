package org.lesionlink.igtl.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lesionlink.igtl.IgtlDecodeFailure;
import org.lesionlink.igtl.IgtlFrameDecoder;
import org.lesionlink.igtl.IgtlMessageDecoder;
import org.lesionlink.igtl.IgtlMessageEncoder;
import org.lesionlink.igtl.IgtlVersionTracker;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenIGTLink server (TCP, default port 18944) for many concurrent clients, handing messages to an
 * {@link IgtlService} off the Netty event loop (or, with {@link IgtlServerConfig#workerThreads()} 0, on
 * it, for services that never block). Protocol-level only: it knows message types, not what the
 * application does with them.
 *
 * <pre>
 * per channel:  IgtlFrameDecoder -> IgtlMessageDecoder -> IgtlMessageEncoder -> IgtlVersionTracker
 *               -> IdleStateHandler (keep-alive, idle timeout) -> SessionHandler -> ServerSession -> worker pool
 * </pre>
 *
 * What the server does by itself (research notes on OpenIGTLink, sections 1.2, 1.3, 2.3 and 4):
 * <ul>
 * <li><b>Header versions</b>: replies in the version the peer uses, never 2 before the peer sent 2
 *     ({@link IgtlVersionTracker}), because the 1.11-era library loses framing on version 2.</li>
 * <li><b>Bad input</b> gets a STATUS error named after the failed message's device ({@link #statusFor});
 *     the stream stays framed and the connection open. Nothing is allocated beyond what a client actually
 *     sent (up to {@link IgtlServerConfig#maxBodySize()} per message).</li>
 * <li><b>GET_STATUS</b> is answered with STATUS OK at once (the protocol's ping) and not passed on.</li>
 * <li><b>Keep-alive</b>: STATUS OK with an empty device name after
 *     {@link IgtlServerConfig#keepAliveInterval()} without outgoing data, as PLUS does; a failed write
 *     closes the connection. Optional read-idle timeout; SO_KEEPALIVE.</li>
 * <li><b>Real-time streaming</b>: latest-value slots per (connection, type, device) on both paths, read
 *     backpressure when the service falls behind on control messages; see {@link IgtlService} and
 *     {@link IgtlSession#send}.</li>
 * <li><b>Client limit</b>: a client beyond {@link IgtlServerConfig#maxClients()} gets STATUS 6 (busy) and
 *     is closed; the others are not affected.</li>
 * <li><b>Access</b>: a client whose address {@link IgtlServerConfig#clientFilter()} refuses is closed at once;
 *     with {@link IgtlServerConfig#tls()} a connection becomes a session only after its TLS handshake
 *     ({@link TlsGate}). {@link IgtlServerConfig#monitor()} hears of every session and refusal.</li>
 * </ul>
 *
 * <pre>{@code
 * try (IgtlServer server = IgtlServer.start(IgtlServerConfig.defaults(), (session, message) -> ...)) {
 *     server.awaitClose();
 * }
 * }</pre>
 */
public final class IgtlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IgtlServer.class);

    private final IgtlServerConfig config;
    private final IgtlService service;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    private final ExecutorService workers;
    private final ChannelGroup channels = new DefaultChannelGroup("igtl-clients", GlobalEventExecutor.INSTANCE);
    /** Connected sessions (what the client limit counts). */
    private final Map<Long, ServerSession> sessions = new ConcurrentHashMap<>();
    /** Sessions whose onDisconnect has not run yet (what a graceful close waits for); guarded by admission. */
    private final Set<ServerSession> unfinished = new HashSet<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Object admission = new Object();
    private final Channel serverChannel;
    private volatile boolean closing;
    private boolean closed;

    private IgtlServer(IgtlServerConfig config, IgtlService service) throws IOException {
        this.config = config;
        this.service = service;
        this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("igtl-accept", true));
        this.ioGroup = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("igtl-io", true));
        this.workers = config.workerThreads() == 0 ? null // services run on each channel's event loop
                : Executors.newFixedThreadPool(config.workerThreads(), new DefaultThreadFactory("igtl-worker", true));
        IgtlVersionTracker tracker = new IgtlVersionTracker(config.maxHeaderVersion());
        long keepAliveMs = config.keepAliveInterval().toMillis();
        long idleMs = config.idleTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true) // small frames (TRANSFORM, STATUS) go out at once
                .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepAlive())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!config.clientFilter().test(ch.remoteAddress())) {
                            log.warn("refusing {}: address not allowed", ch.remoteAddress());
                            notifyRefused(ch.remoteAddress(), config.tls() != null, "address not allowed");
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        if (config.tls() != null) {
                            ch.pipeline().addLast("tls", config.tls().newHandler(ch.alloc()));
                            ch.pipeline().addLast("tls-gate", new TlsGate(IgtlServer.this));
                        }
                        ch.pipeline().addLast("frame", new IgtlFrameDecoder(config.maxBodySize()));
                        ch.pipeline().addLast("decode", IgtlMessageDecoder.INSTANCE);
                        ch.pipeline().addLast("encode", IgtlMessageEncoder.INSTANCE);
                        ch.pipeline().addLast("version", tracker);
                        if (keepAliveMs > 0 || idleMs > 0) {
                            // observeOutput: a write that is slowly draining to a slow reader counts as activity,
                            // so keep-alives are not piled onto it.
                            ch.pipeline().addLast("idle", new IdleStateHandler(true, idleMs, keepAliveMs, 0,
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast("session", new SessionHandler(IgtlServer.this));
                    }
                });
        try {
            serverChannel = b.bind(config.bindAddress(), config.port()).sync().channel();
        } catch (Exception e) {
            shutdownGroups();
            throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        log.info("OpenIGTLink server listening on {}{}", serverChannel.localAddress(), config.tls() == null ? "" : " (TLS)");
    }

    /** Binds and starts serving; the returned server is listening. */
    public static IgtlServer start(IgtlServerConfig config, IgtlService service) throws IOException {
        return new IgtlServer(Objects.requireNonNull(config, "config"), Objects.requireNonNull(service, "service"));
    }

    public IgtlServerConfig config() {
        return config;
    }

    /** The bound address; its port is the real one when the configuration asked for port 0. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    /** The sessions connected now, in no particular order. */
    public List<IgtlSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Blocks until the server is closed (or stops accepting, see {@link #stopAccepting()}). */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().sync();
    }

    /** Whether new connections are accepted: bound, and neither {@link #stopAccepting} nor {@link #close} called. */
    public boolean isListening() {
        return serverChannel.isActive() && !closing;
    }

    /**
     * The first step of a graceful stop: new connections are refused (the listening socket closes) while the
     * connected sessions go on receiving and sending, e.g. the results of running work; {@link #close} ends them.
     */
    public void stopAccepting() {
        synchronized (admission) {
            closing = true;
        }
        serverChannel.close().awaitUninterruptibly();
    }

    /**
     * The STATUS reply to a message that could not be decoded, named after its device: code 9 (checksum
     * error) for a CRC mismatch, 0 (invalid packet) for a malformed body, 11 (not enough resource) for a
     * body over the size limit, 17 (version unknown) for an unsupported header version, 2 (unknown error)
     * otherwise. The error name is the {@link IgtlDecodeFailure.Reason}, the message its detail.
     */
    public static StatusMessage statusFor(IgtlDecodeFailure f) {
        StatusCode code = switch (f.reason()) {
            case CRC_MISMATCH -> StatusCode.CHECKSUM_ERROR;
            case MALFORMED_BODY -> StatusCode.INVALID;
            case BODY_TOO_LARGE -> StatusCode.NOT_ENOUGH_RESOURCE;
            case UNSUPPORTED_HEADER_VERSION -> StatusCode.UNKNOWN_VERSION;
            case TRUNCATED -> StatusCode.UNKNOWN_ERROR;
        };
        String name = f.reason().name();
        return SessionHandler.status(Envelope.v1(f.deviceName()), code, name.length() > 20 ? name.substring(0, 20) : name,
                latin1(f.detail()));
    }

    private static String latin1(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == 0 || c > 0xFF ? '?' : c);
        }
        return b.toString();
    }

    /** Tells the monitor; a monitor that throws is logged, never the connection's problem. */
    void notifyRefused(java.net.SocketAddress remote, boolean tls, String reason) {
        try {
            config.monitor().refused(remote, tls, reason);
        } catch (RuntimeException e) {
            log.warn("connection monitor failed: {}", e.toString(), e);
        }
    }

    void notifyOpened(IgtlSession session, boolean tls) {
        try {
            config.monitor().opened(session, tls);
        } catch (RuntimeException e) {
            log.warn("connection monitor failed: {}", e.toString(), e);
        }
    }

    /** A session for a new channel, or null when the server is full or closing. Event loop. */
    ServerSession admit(Channel channel) {
        synchronized (admission) {
            if (closing || sessions.size() >= config.maxClients()) {
                return null;
            }
            ServerSession s = new ServerSession(nextId.getAndIncrement(), channel, service,
                    workers != null ? workers : channel.eventLoop(), config, this::finished);
            sessions.put(s.id(), s);
            unfinished.add(s);
            return s;
        }
    }

    /** The session's channel closed. Event loop. */
    void release(ServerSession s) {
        synchronized (admission) {
            sessions.remove(s.id());
        }
    }

    /** The service has seen the session's onDisconnect. Worker thread. */
    private void finished(ServerSession s) {
        synchronized (admission) {
            unfinished.remove(s);
            admission.notifyAll();
        }
    }

    /**
     * Graceful close: stop accepting, tell each client (STATUS 19, shutting down) and close it, let the
     * service see each session's remaining messages and {@code onDisconnect} (up to 5 s), then shut the
     * thread pools down in the reverse order of their creation.
     */
    @Override
    public void close() {
        synchronized (admission) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
        }
        serverChannel.close().awaitUninterruptibly();
        for (ServerSession s : sessions.values()) {
            s.send(SessionHandler.status(Envelope.v1(""), StatusCode.SHUTTING_DOWN, "", "server shutting down"));
        }
        // An empty write completes after everything queued before it, so the STATUS goes out first; a client
        // that does not read is closed regardless after 2 s.
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS)) {
            channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (admission) {
            while (!unfinished.isEmpty() && System.nanoTime() < deadline) {
                try {
                    admission.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("OpenIGTLink service callbacks still running after 5 s; interrupting them");
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        shutdownGroups();
        log.info("OpenIGTLink server on {} closed", serverChannel.localAddress());
    }

    private void shutdownGroups() {
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

}
