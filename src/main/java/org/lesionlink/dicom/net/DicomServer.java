package org.lesionlink.dicom.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.lesionlink.dicom.net.pdu.PduDecoder;
import org.lesionlink.dicom.net.pdu.PduEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DICOM acceptor: listens on a TCP port and runs an {@link Association} (acceptor role) per connection, handing
 * requests to a {@link DimseRequestHandler} (normally a {@code DicomServiceRegistry}).
 *
 * <pre>
 * per channel:  PduDecoder -> PduEncoder -> [IdleStateHandler] -> AssociationHandler -> Association -> worker -> services
 * </pre>
 * TCP_NODELAY is on: every C-STORE ends with a small response PDU that must not wait for a delayed ACK. With
 * {@link DicomServerConfig#tls()} an {@code SslHandler} goes first and the association starts after the handshake
 * (PS3.15 Annex B: the TLS connection carries the DICOM Upper Layer unchanged). Every connection ends up reported to
 * the {@link DicomServerConfig#monitor()} exactly once: accepted, or refused with the reason.
 *
 * <p>With {@link DicomServerConfig#workerThreads()} 0 (the default) each association's services run on its own
 * event loop thread (a thread per association; dcmtk's storescp serves one association at a time on one thread):
 * there are as many loops as the association limit allows, and a new connection gets the loop with the fewest
 * connections ({@link FewestChannelsChooser}). A C-STORE then costs no thread hand-off, and one association's
 * fsync delays only that association. With a worker pool, services run on the pool, one task at a time per
 * association, and the network threads never block.
 *
 * <pre>{@code
 * try (DicomServer scp = DicomServer.start(DicomServerConfig.of("LESIONLINK", 11112), registry)) {
 *     scp.awaitClose();
 * }
 * }</pre>
 */
public final class DicomServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DicomServer.class);

    private final DicomServerConfig config;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    /** null: each association's services run on its event loop */
    private final ExecutorService workers;
    private final FewestChannelsChooser loopChooser = new FewestChannelsChooser();
    /** Most event loops made for the association limit when services run on the loops. */
    static final int MAX_LOOPS = 128;
    private final ChannelGroup channels = new DefaultChannelGroup("dicom-associations", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger admitted = new AtomicInteger();
    private final Channel serverChannel;

    private DicomServer(DicomServerConfig config, DimseRequestHandler handler) throws IOException {
        this.config = config;
        this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("dicom-accept", true));
        boolean onLoops = config.workerThreads() == 0;
        // Loops start their thread on first use: those beyond the associations actually open cost a selector each
        // (two file descriptors), hence the cap; past it, associations share loops (served in turn, never stuck).
        int loops = onLoops ? Math.max(config.ioThreads(), Math.min(MAX_LOOPS, config.policy().maxAssociations()))
                : config.ioThreads();
        this.ioGroup = new NioEventLoopGroup(loops, new ThreadPerTaskExecutor(new DefaultThreadFactory("dicom-io", true)),
                loopChooser, SelectorProvider.provider(), DefaultSelectStrategyFactory.INSTANCE);
        this.workers = onLoops ? null
                : Executors.newFixedThreadPool(config.workerThreads(), new DefaultThreadFactory("dicom-worker", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        loopChooser.track(ch);
                        SslHandler tls = config.tls() == null ? null : config.tls().newHandler(ch.alloc());
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls);
                        }
                        Association as = initAcceptor(ch, config, handler, workers, admitted);
                        monitor(ch.remoteAddress(), as, tls);
                    }
                });
        try {
            serverChannel = b.bind(config.bindAddress(), config.port()).sync().channel();
        } catch (Exception e) {
            shutdownGroups();
            throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        log.info("DICOM SCP {} listening on {}{}", config.settings().aeTitle(), serverChannel.localAddress(),
                config.tls() == null ? "" : " (TLS)");
    }

    /** Reports the connection to the monitor once: TLS handshake failure, else the association's outcome. */
    private void monitor(SocketAddress remote, Association as, SslHandler tls) {
        AssociationMonitor m = config.monitor();
        AtomicBoolean reported = new AtomicBoolean();
        boolean secure = tls != null;
        if (tls != null) {
            tls.handshakeFuture().addListener(f -> {
                if (!f.isSuccess() && reported.compareAndSet(false, true)) {
                    Throwable c = f.cause();
                    safely(() -> m.refused(remote, null, null, true, "TLS handshake failed: " + tlsFailure(c)));
                }
            });
        }
        as.established().whenComplete((a, e) -> {
            if (!reported.compareAndSet(false, true)) {
                return;
            }
            if (e == null) {
                safely(() -> m.accepted(as, secure));
                return;
            }
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String reason = c instanceof AssociationException ae && ae.reject() != null ? ae.reject().describe()
                    : as.associateRq() == null ? "connection closed before an A-ASSOCIATE-RQ" : String.valueOf(c.getMessage());
            safely(() -> m.refused(remote, as.callingAeTitle(), as.calledAeTitle(), secure, reason));
        });
    }

    /** A TLS failure in a line: Netty's "not an SSL/TLS record" carries the whole record in hex, so it is named instead. */
    static String tlsFailure(Throwable c) {
        if (c == null) {
            return "connection closed";
        }
        if (c instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "not a TLS record (a plain DICOM connection to the TLS port?)";
        }
        return String.valueOf(c.getMessage());
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("association monitor failed: {}", e.toString(), e);
        }
    }

    /**
     * The acceptor's pipeline on a new connection; also used by tests on in-VM channels, so that they exercise
     * exactly what the server runs.
     */
    static Association initAcceptor(Channel ch, DicomServerConfig config, DimseRequestHandler handler,
            Executor workers /* null: services on the channel's event loop */,
            AtomicInteger admitted) {
        PduDecoder decoder = new PduDecoder();
        Association as = new Association(Association.Role.ACCEPTOR, ch, config.settings(), config.policy(), handler,
                workers, admitted, decoder);
        ch.pipeline().addLast("pdu-decoder", decoder);
        ch.pipeline().addLast("pdu-encoder", PduEncoder.INSTANCE);
        long idleMs = config.idleTimeout().toMillis();
        if (idleMs > 0) {
            // observeOutput: a large response still draining to a slow reader is activity, not idleness.
            ch.pipeline().addLast("idle", new IdleStateHandler(true, 0, 0, idleMs, TimeUnit.MILLISECONDS));
        }
        ch.pipeline().addLast("association", new AssociationHandler(as));
        return as;
    }

    /** Binds and starts accepting associations. */
    public static DicomServer start(DicomServerConfig config, DimseRequestHandler handler) throws IOException {
        return new DicomServer(Objects.requireNonNull(config, "config"), Objects.requireNonNull(handler, "handler"));
    }

    /** The port listened on (the chosen one when the config said 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public DicomServerConfig config() {
        return config;
    }

    /** Open connections per event loop, in the group's order (for tests). */
    int[] connectionsPerLoop() {
        return loopChooser.openPerLoop();
    }

    /** Associations currently admitted (established or being decided). */
    public int activeAssociations() {
        return admitted.get();
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().await();
    }

    /** Whether new associations are accepted (bound, and neither {@link #stopAccepting} nor {@link #close} called). */
    public boolean isListening() {
        return serverChannel.isActive();
    }

    /**
     * The first step of a graceful stop: the listening socket closes, so new associations are refused, while
     * the open ones go on (e.g. a C-STORE in progress completes); {@link #close} ends them.
     */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly();
    }

    /** Stops listening and closes every connection (open associations end with a transport close). */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly();
        shutdownGroups();
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (workers == null) {
            return;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
