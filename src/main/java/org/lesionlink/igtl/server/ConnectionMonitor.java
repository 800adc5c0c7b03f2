package org.lesionlink.igtl.server;

import java.net.SocketAddress;

/**
 * Told of every connection an {@link IgtlServer} gets: a session opened, or the connection refused with the reason
 * (address not allowed, TLS handshake failed, server full). For audit trails; called on network threads, so it must
 * be quick and must not throw.
 */
public interface ConnectionMonitor {

    ConnectionMonitor NONE = new ConnectionMonitor() {
    };

    default void opened(IgtlSession session, boolean tls) {
    }

    default void refused(SocketAddress remote, boolean tls, String reason) {
    }
}
