package org.lesionlink.dicom.net;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * A DICOM acceptor (SCP) listening on one port.
 *
 * @param bindAddress address to listen on ("0.0.0.0" for all, "127.0.0.1" for loopback only)
 * @param port TCP port; 0 picks a free one (see {@link DicomServer#port()})
 * @param settings AE title, maximum PDU length, timers
 * @param policy what RQs are accepted
 * @param ioThreads Netty event loop threads (with {@code workerThreads} 0: at least the association limit of
 *     {@code policy})
 * @param workerThreads threads running services and disk writes (shared by all associations; each association's
 *     work runs in order on one of them at a time); 0 (the default of {@link #of}): none, each association's work
 *     runs on its own event loop thread, which reads nothing more from that peer meanwhile (see {@link DicomServer})
 * @param idleTimeout an association on which nothing was received or sent for this long is aborted (A-ABORT, source
 *     service user) and closed, as Orthanc's {@code DicomScpTimeout} does; {@link Duration#ZERO} turns it off
 * @param tls null for plain TCP; else a server {@code SslContext}: every connection starts with a TLS handshake
 *     (PS3.15 Annex B secure transport connection profiles), on a port of its own
 * @param monitor told of associations accepted and refused (audit)
 */
public record DicomServerConfig(String bindAddress, int port, AssociationSettings settings, AcceptorPolicy policy,
        int ioThreads, int workerThreads, Duration idleTimeout, SslContext tls, AssociationMonitor monitor) {

    /** Orthanc uses 30 s; a minute leaves room for a slow peer between the instances of a study. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public DicomServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(monitor, "monitor");
        if (tls != null && tls.isClient()) {
            throw new IllegalArgumentException("a DICOM acceptor needs a server SslContext");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        if (ioThreads < 1 || workerThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be positive and workerThreads not negative, got "
                    + ioThreads + " and " + workerThreads);
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative");
        }
    }

    public static DicomServerConfig of(String aeTitle, int port) {
        return new DicomServerConfig("0.0.0.0", port, AssociationSettings.of(aeTitle), AcceptorPolicy.defaults(), 2, 0,
                DEFAULT_IDLE_TIMEOUT, null, AssociationMonitor.NONE);
    }

    public DicomServerConfig withBindAddress(String a) {
        return new DicomServerConfig(a, port, settings, policy, ioThreads, workerThreads, idleTimeout, tls, monitor);
    }

    public DicomServerConfig withPort(int p) {
        return new DicomServerConfig(bindAddress, p, settings, policy, ioThreads, workerThreads, idleTimeout, tls, monitor);
    }

    public DicomServerConfig withSettings(AssociationSettings s) {
        return new DicomServerConfig(bindAddress, port, s, policy, ioThreads, workerThreads, idleTimeout, tls, monitor);
    }

    public DicomServerConfig withIdleTimeout(Duration d) {
        return new DicomServerConfig(bindAddress, port, settings, policy, ioThreads, workerThreads, d, tls, monitor);
    }

    public DicomServerConfig withPolicy(AcceptorPolicy p) {
        return new DicomServerConfig(bindAddress, port, settings, p, ioThreads, workerThreads, idleTimeout, tls, monitor);
    }

    /** TLS on every connection (null: plain TCP). */
    public DicomServerConfig withTls(SslContext serverContext) {
        return new DicomServerConfig(bindAddress, port, settings, policy, ioThreads, workerThreads, idleTimeout, serverContext, monitor);
    }

    /** Threads for the services of all associations; 0: each association's own event loop thread. */
    public DicomServerConfig withWorkerThreads(int n) {
        return new DicomServerConfig(bindAddress, port, settings, policy, ioThreads, n, idleTimeout, tls, monitor);
    }

    public DicomServerConfig withMonitor(AssociationMonitor m) {
        return new DicomServerConfig(bindAddress, port, settings, policy, ioThreads, workerThreads, idleTimeout, tls, m);
    }
}
