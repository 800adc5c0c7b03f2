package org.lesionlink.dicom.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.lesionlink.dicom.net.pdu.AAssociateRq;
import org.lesionlink.dicom.net.pdu.PduDecoder;
import org.lesionlink.dicom.net.pdu.PduEncoder;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import org.lesionlink.dicom.net.pdu.UserInformation;

/**
 * Opens associations as requestor (SCU). One client can open many associations; close it to free its threads. With a
 * client {@code SslContext} every association runs over TLS (PS3.15 Annex B); the context decides what the server's
 * certificate is checked against (trusted certificates and, as {@code TlsSettings} builds it, the host name passed to
 * {@link #open}).
 *
 * <pre>{@code
 * try (DicomClient client = new DicomClient(AssociationSettings.of("LESIONLINK"))) {
 *     Association as = client.open("127.0.0.1", 11112, "STORESCP",
 *             List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)));
 *     as.cecho();
 *     as.release();
 * }
 * }</pre>
 */
public final class DicomClient implements AutoCloseable {

    private final AssociationSettings settings;
    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final SslContext tls;

    public DicomClient(AssociationSettings settings) {
        this(settings, null);
    }

    /** A client whose associations use TLS ({@code tls} a client context; null: plain TCP). */
    public DicomClient(AssociationSettings settings, SslContext tls) {
        if (tls != null && !tls.isClient()) {
            throw new IllegalArgumentException("a DICOM requestor needs a client SslContext");
        }
        this.settings = settings;
        this.tls = tls;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("dicom-scu-io", true));
        this.workers = Executors.newCachedThreadPool(new DefaultThreadFactory("dicom-scu-worker", true));
    }

    public AssociationSettings settings() {
        return settings;
    }

    /**
     * Connects and negotiates; returns the established association.
     *
     * @throws AssociationException when the peer rejects or aborts, or nothing answers in time (ARTIM)
     */
    public Association open(String host, int port, String calledAe, List<PresentationContextRq> contexts)
            throws IOException {
        return open(host, port, calledAe, contexts, null);
    }

    /** As {@link #open(String, int, String, List)}, with a request handler for DIMSE requests from the peer. */
    public Association open(String host, int port, String calledAe, List<PresentationContextRq> contexts,
            DimseRequestHandler handler) throws IOException {
        AAssociateRq rq = new AAssociateRq(1, AssociationSettings.checkAeTitle(calledAe), settings.aeTitle(),
                AAssociateRq.DICOM_APPLICATION_CONTEXT, contexts,
                new UserInformation(settings.maxPduLength(), settings.implementationClassUid(),
                        settings.implementationVersionName()));
        Association[] holder = new Association[1];
        SslHandler[] ssl = new SslHandler[1];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.artimTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ssl[0] = tls.newHandler(ch.alloc(), host, port);
                            ch.pipeline().addLast("tls", ssl[0]);
                        }
                        PduDecoder decoder = new PduDecoder();
                        Association as = new Association(Association.Role.REQUESTOR, ch, settings, null, handler,
                                workers, null, decoder);
                        holder[0] = as;
                        ch.pipeline().addLast("pdu-decoder", decoder);
                        ch.pipeline().addLast("pdu-encoder", PduEncoder.INSTANCE);
                        ch.pipeline().addLast("association", new AssociationHandler(as));
                    }
                });
        Channel ch;
        try {
            ch = b.register().sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while opening a channel");
        }
        Association as = holder[0];
        as.request(new InetSocketAddress(host, port), rq);
        try {
            return Association.await(as.established(), settings.artimTimeout().toMillis() + 1000,
                    "A-ASSOCIATE-AC from " + calledAe + "@" + host + ":" + port);
        } catch (IOException e) {
            ch.close();
            Throwable handshake = ssl[0] == null ? null : ssl[0].handshakeFuture().cause();
            if (handshake != null) {
                throw new AssociationException("TLS handshake with " + host + ":" + port + " failed: "
                        + handshake.getMessage());
            }
            throw e;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownNow();
    }
}
