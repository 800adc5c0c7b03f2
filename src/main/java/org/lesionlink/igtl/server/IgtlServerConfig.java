package org.lesionlink.igtl.server;

import io.netty.handler.ssl.SslContext;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.lesionlink.igtl.IgtlFrameDecoder;

/**
 * Settings of an {@link IgtlServer}. Build with {@link #builder()}; every setting has a default chosen
 * for 3D Slicer, PLUS and MR-scanner peers (research notes on OpenIGTLink, sections 2.3 and 4):
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th><th>why</th></tr>
 * <tr><td>port</td><td>18944</td><td>the OpenIGTLink/Slicer/PLUS default; 0 picks a free port (tests)</td></tr>
 * <tr><td>bindAddress</td><td>0.0.0.0</td><td>scanners and Slicer connect from other hosts, as to PLUS</td></tr>
 * <tr><td>maxClients</td><td>16</td><td>a few Slicer instances, trackers and a scanner; an extra client
 *     gets STATUS 6 (busy) and is closed</td></tr>
 * <tr><td>maxBodySize</td><td>{@link IgtlFrameDecoder#DEFAULT_MAX_BODY_SIZE}</td><td>a 512<sup>3</sup>
 *     float32 volume plus 1 MiB</td></tr>
 * <tr><td>keepAliveInterval</td><td>1 s</td><td>STATUS OK after this long without outgoing data. PLUS uses
 *     0.25 s; 1 s notices a dead peer (write failure) as quickly as any user would, at a quarter of the
 *     chatter. {@link Duration#ZERO} disables it</td></tr>
 * <tr><td>idleTimeout</td><td>0 (off)</td><td>closes a connection that sent nothing for this long. Off by
 *     default because Slicer sends nothing while the user does nothing, and never sends keep-alives; TCP
 *     keep-alive still reaps dead peers</td></tr>
 * <tr><td>maxHeaderVersion</td><td>2</td><td>follow the peer (v2 only after it sent v2)</td></tr>
 * <tr><td>ioThreads</td><td>0 (Netty's default, 2 x cores)</td><td>socket I/O, framing and CRC</td></tr>
 * <tr><td>workerThreads</td><td>max(2, cores)</td><td>run {@link IgtlService} callbacks, off the event loop.
 *     <b>0</b> runs them on the connection's I/O event loop instead: no thread hand-off per message (lower
 *     latency, fewer context switches), but a callback that blocks then stalls every connection of that
 *     loop. Only for services that never block ({@code lesionlink igtl-echo --workers 0})</td></tr>
 * <tr><td>maxInboundBacklog</td><td>256 messages</td><td>received but not yet processed, per connection;
 *     above it reading pauses (TCP backpressure)</td></tr>
 * <tr><td>maxInboundBacklogBytes</td><td>256 MiB</td><td>the same bound in payload bytes</td></tr>
 * <tr><td>maxOutboundBacklog</td><td>1024 messages</td><td>queued for a slow reader, per connection;
 *     above it the connection is closed</td></tr>
 * <tr><td>writeBufferLowWaterMark / High</td><td>1 MiB / 4 MiB</td><td>Netty writability: above the high
 *     mark outgoing stream frames wait in a latest-value slot</td></tr>
 * <tr><td>tcpKeepAlive</td><td>true</td><td>SO_KEEPALIVE: the only half-open detection for a peer that
 *     stays silent</td></tr>
 * <tr><td>tls</td><td>null (plain TCP)</td><td>a server {@code SslContext}: every connection starts with a TLS
 *     handshake and becomes a session only once it succeeded. OpenIGTLink itself defines no TLS; the reference
 *     library, 3D Slicer and PLUS cannot speak it (a TLS-terminating proxy such as stunnel can front them)</td></tr>
 * <tr><td>clientFilter</td><td>everyone</td><td>which remote addresses may connect; others are closed at once,
 *     before TLS, without a message</td></tr>
 * <tr><td>monitor</td><td>none</td><td>told of sessions opened and connections refused (audit)</td></tr>
 * </table>
 */
public record IgtlServerConfig(
        String bindAddress,
        int port,
        int maxClients,
        long maxBodySize,
        Duration keepAliveInterval,
        Duration idleTimeout,
        int maxHeaderVersion,
        int ioThreads,
        int workerThreads,
        int maxInboundBacklog,
        long maxInboundBacklogBytes,
        int maxOutboundBacklog,
        int writeBufferLowWaterMark,
        int writeBufferHighWaterMark,
        boolean tcpKeepAlive,
        SslContext tls,
        Predicate<SocketAddress> clientFilter,
        ConnectionMonitor monitor) {

    /** The OpenIGTLink default port (also 3D Slicer's and PLUS's). */
    public static final int DEFAULT_PORT = 18944;

    public IgtlServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(clientFilter, "clientFilter");
        Objects.requireNonNull(monitor, "monitor");
        check(tls == null || !tls.isClient(), "tls must be a server SslContext");
        check(port >= 0 && port <= 0xFFFF, "port must be 0..65535, got " + port);
        check(maxClients >= 1, "maxClients must be at least 1, got " + maxClients);
        check(maxBodySize >= 0 && maxBodySize <= IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE,
                "maxBodySize must be 0.." + IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE + ", got " + maxBodySize);
        check(!keepAliveInterval.isNegative(), "keepAliveInterval must not be negative");
        check(!idleTimeout.isNegative(), "idleTimeout must not be negative");
        check(maxHeaderVersion == 1 || maxHeaderVersion == 2, "maxHeaderVersion must be 1 or 2, got " + maxHeaderVersion);
        check(ioThreads >= 0, "ioThreads must be >= 0, got " + ioThreads);
        check(workerThreads >= 0, "workerThreads must be >= 0 (0: on the I/O threads), got " + workerThreads);
        check(maxInboundBacklog >= 1, "maxInboundBacklog must be >= 1, got " + maxInboundBacklog);
        check(maxInboundBacklogBytes >= 1, "maxInboundBacklogBytes must be >= 1, got " + maxInboundBacklogBytes);
        check(maxOutboundBacklog >= 1, "maxOutboundBacklog must be >= 1, got " + maxOutboundBacklog);
        check(writeBufferLowWaterMark >= 0 && writeBufferLowWaterMark <= writeBufferHighWaterMark,
                "write-buffer water marks must satisfy 0 <= low <= high, got " + writeBufferLowWaterMark + ", "
                        + writeBufferHighWaterMark);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** All defaults (see the class comment). */
    public static IgtlServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.maxClients = maxClients;
        b.maxBodySize = maxBodySize;
        b.keepAliveInterval = keepAliveInterval;
        b.idleTimeout = idleTimeout;
        b.maxHeaderVersion = maxHeaderVersion;
        b.ioThreads = ioThreads;
        b.workerThreads = workerThreads;
        b.maxInboundBacklog = maxInboundBacklog;
        b.maxInboundBacklogBytes = maxInboundBacklogBytes;
        b.maxOutboundBacklog = maxOutboundBacklog;
        b.writeBufferLowWaterMark = writeBufferLowWaterMark;
        b.writeBufferHighWaterMark = writeBufferHighWaterMark;
        b.tcpKeepAlive = tcpKeepAlive;
        b.tls = tls;
        b.clientFilter = clientFilter;
        b.monitor = monitor;
        return b;
    }

    /** Optional settings, all defaulted; validation happens in {@link #build()}. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int maxClients = 16;
        private long maxBodySize = IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE;
        private Duration keepAliveInterval = Duration.ofSeconds(1);
        private Duration idleTimeout = Duration.ZERO;
        private int maxHeaderVersion = 2;
        private int ioThreads = 0;
        private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int maxInboundBacklog = 256;
        private long maxInboundBacklogBytes = 256L << 20;
        private int maxOutboundBacklog = 1024;
        private int writeBufferLowWaterMark = 1 << 20;
        private int writeBufferHighWaterMark = 4 << 20;
        private boolean tcpKeepAlive = true;
        private SslContext tls;
        private Predicate<SocketAddress> clientFilter = remote -> true;
        private ConnectionMonitor monitor = ConnectionMonitor.NONE;

        private Builder() {
        }

        public Builder bindAddress(String host) {
            this.bindAddress = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxClients(int n) {
            this.maxClients = n;
            return this;
        }

        public Builder maxBodySize(long bytes) {
            this.maxBodySize = bytes;
            return this;
        }

        public Builder keepAliveInterval(Duration d) {
            this.keepAliveInterval = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder maxHeaderVersion(int v) {
            this.maxHeaderVersion = v;
            return this;
        }

        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        public Builder maxInboundBacklog(int messages) {
            this.maxInboundBacklog = messages;
            return this;
        }

        public Builder maxInboundBacklogBytes(long bytes) {
            this.maxInboundBacklogBytes = bytes;
            return this;
        }

        public Builder maxOutboundBacklog(int messages) {
            this.maxOutboundBacklog = messages;
            return this;
        }

        public Builder writeBufferWaterMarks(int low, int high) {
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        public Builder tcpKeepAlive(boolean on) {
            this.tcpKeepAlive = on;
            return this;
        }

        /** TLS on every connection (a server context; null: plain TCP). */
        public Builder tls(SslContext serverContext) {
            this.tls = serverContext;
            return this;
        }

        public Builder clientFilter(Predicate<SocketAddress> allowed) {
            this.clientFilter = allowed;
            return this;
        }

        public Builder monitor(ConnectionMonitor m) {
            this.monitor = m;
            return this;
        }

        public IgtlServerConfig build() {
            return new IgtlServerConfig(bindAddress, port, maxClients, maxBodySize, keepAliveInterval, idleTimeout,
                    maxHeaderVersion, ioThreads, workerThreads, maxInboundBacklog, maxInboundBacklogBytes,
                    maxOutboundBacklog, writeBufferLowWaterMark, writeBufferHighWaterMark, tcpKeepAlive, tls, clientFilter,
                    monitor);
        }
    }
}
