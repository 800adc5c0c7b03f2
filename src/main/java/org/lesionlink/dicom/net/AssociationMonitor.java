package org.lesionlink.dicom.net;

import java.net.SocketAddress;

/**
 * Told of every connection an acceptor gets: the association accepted, or refused with the reason (an
 * A-ASSOCIATE-RJ in PS3.8 Table 9-21's words, a failed TLS handshake, a connection that ended before an
 * association). For audit trails; called on network threads, so it must be quick and must not throw.
 */
public interface AssociationMonitor {

    AssociationMonitor NONE = new AssociationMonitor() {
    };

    /** The A-ASSOCIATE-AC was sent. */
    default void accepted(Association association, boolean tls) {
    }

    /**
     * No association came of a connection.
     *
     * @param callingAe the RQ's calling AE title, or null when no RQ arrived
     * @param calledAe the RQ's called AE title, or null
     */
    default void refused(SocketAddress remote, String callingAe, String calledAe, boolean tls, String reason) {
    }
}
