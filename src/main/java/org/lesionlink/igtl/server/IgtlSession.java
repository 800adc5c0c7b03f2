package org.lesionlink.igtl.server;

import java.net.SocketAddress;
import org.lesionlink.igtl.message.IgtlMessage;

/**
 * One client connection of an {@link IgtlServer}, as the {@link IgtlService} sees it. Thread-safe.
 */
public interface IgtlSession {

    /** Unique within the server's lifetime, increasing in connection order. */
    long id();

    SocketAddress remoteAddress();

    /**
     * The highest header version this peer has sent: 1 until it sends a version-2 message (Slicer's
     * connect-time STATUS does). Messages are sent in min(this, the server's maximum).
     */
    int peerHeaderVersion();

    /**
     * Queues a message for the client and returns at once; any thread may call it. The message goes out in
     * the peer's header version (never 2 before the peer sent 2), with its CRC.
     *
     * <p>When the client reads slowly (the socket buffer is above the high water mark), a streamed frame
     * (see {@link IgtlService}) that is still waiting is <em>replaced</em> by a newer one of the same type
     * and device; other messages queue. If more than {@link IgtlServerConfig#maxOutboundBacklog()} messages
     * wait, the client is considered stuck: the connection is closed (and logged).
     *
     * @return false when the session is already closed (the message is dropped)
     */
    boolean send(IgtlMessage message);

    boolean isOpen();

    /** Closes the connection; queued outgoing messages are dropped. */
    void close();

    /** Counters for monitoring and tests. */
    SessionStats stats();
}
