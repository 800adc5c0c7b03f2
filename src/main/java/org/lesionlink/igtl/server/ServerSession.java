package org.lesionlink.igtl.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.lesionlink.igtl.IgtlDecodeFailure;
import org.lesionlink.igtl.IgtlVersionTracker;
import org.lesionlink.igtl.message.IgtlMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one connection: the inbound latest-value queue that feeds the {@link IgtlService}
 * serially on the worker pool, with read backpressure, and the outbound latest-value queue that feeds the
 * channel as fast as the client reads.
 *
 * <p>Inbound items are enqueued on the channel's event loop and taken on a worker thread; outbound ones
 * are offered from any thread and written on the event loop. Each queue has its own lock, held only for
 * queue operations, never while calling the service or writing.
 */
final class ServerSession implements IgtlSession {

    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);

    /** Items a worker handles before yielding the thread to other sessions. */
    private static final int BATCH = 32;

    private enum Lifecycle { CONNECTED, DISCONNECTED }

    private final long id;
    private final Channel channel;
    private final IgtlService service;
    private final Executor workers;
    private final IgtlServerConfig config;
    private final Consumer<ServerSession> finished;

    private final Object inLock = new Object();
    private final CoalescingQueue<Object> inbound = new CoalescingQueue<>();
    private boolean drainScheduled;
    private boolean readPaused;
    private long received;
    private long coalescedInbound;
    private long readPauses;

    private final Object outLock = new Object();
    private final CoalescingQueue<IgtlMessage> outbound = new CoalescingQueue<>();
    private boolean flushScheduled;
    private boolean closed;
    private long supersededOutbound;
    private int peakPendingOutbound;

    private final Runnable drain = this::drain;
    private final Runnable flush = this::flush;

    ServerSession(long id, Channel channel, IgtlService service, Executor workers, IgtlServerConfig config,
                  Consumer<ServerSession> finished) {
        this.id = id;
        this.finished = finished;
        this.channel = channel;
        this.service = service;
        this.workers = workers;
        this.config = config;
    }

    // --- IgtlSession ------------------------------------------------------------------------------------

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public int peerHeaderVersion() {
        return IgtlVersionTracker.peerHeaderVersion(channel);
    }

    @Override
    public boolean send(IgtlMessage message) {
        boolean overflow;
        boolean schedule = false;
        synchronized (outLock) {
            if (closed) {
                return false;
            }
            if (outbound.offer(StreamKinds.key(message), message, StreamKinds.bytes(message))) {
                supersededOutbound++;
            }
            peakPendingOutbound = Math.max(peakPendingOutbound, outbound.size());
            overflow = outbound.size() > config.maxOutboundBacklog();
            if (!overflow && !flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        if (overflow) {
            log.warn("session {} ({}): closing, {} outgoing messages are waiting for a client that does not read",
                    id, remoteAddress(), config.maxOutboundBacklog());
            close();
            return false;
        }
        if (schedule) {
            if (channel.eventLoop().inEventLoop()) {
                flush();
            } else {
                channel.eventLoop().execute(flush);
            }
        }
        return true;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        synchronized (outLock) {
            closed = true;
            outbound.clear();
        }
        channel.close();
    }

    @Override
    public SessionStats stats() {
        long rec;
        long coal;
        long pauses;
        int pin;
        synchronized (inLock) {
            rec = received;
            coal = coalescedInbound;
            pauses = readPauses;
            pin = inbound.size();
        }
        synchronized (outLock) {
            return new SessionStats(rec, coal, supersededOutbound, pin, outbound.size(), peakPendingOutbound, pauses);
        }
    }

    @Override
    public String toString() {
        return "IgtlSession[" + id + " " + remoteAddress() + "]";
    }

    // --- outbound (event loop) --------------------------------------------------------------------------

    /** Writes queued messages while the channel is writable; called again when it becomes writable. */
    void flush() {
        synchronized (outLock) {
            flushScheduled = false;
        }
        boolean wrote = false;
        while (channel.isWritable()) {
            IgtlMessage m;
            synchronized (outLock) {
                m = outbound.poll();
            }
            if (m == null) {
                break;
            }
            // A write fails when the peer is gone (reset, half-open detected by a keep-alive): close then.
            channel.write(m).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** True when nothing waits to be written and the socket buffer is below the high water mark. */
    boolean outboundIdle() {
        synchronized (outLock) {
            return outbound.isEmpty() && channel.isWritable();
        }
    }

    // --- inbound (event loop enqueues, workers drain) ----------------------------------------------------

    void connected() {
        enqueue(Lifecycle.CONNECTED, false);
    }

    void disconnected() {
        synchronized (outLock) {
            closed = true;
            outbound.clear();
        }
        enqueue(Lifecycle.DISCONNECTED, false);
    }

    void received(Object messageOrFailure) {
        enqueue(messageOrFailure, true);
    }

    private void enqueue(Object item, boolean count) {
        boolean schedule = false;
        synchronized (inLock) {
            String key = item instanceof IgtlMessage m ? StreamKinds.key(m) : null;
            if (inbound.offer(key, item, StreamKinds.bytes(item))) {
                coalescedInbound++;
            }
            if (count) {
                received++;
            }
            if (!readPaused && (inbound.size() > config.maxInboundBacklog()
                    || inbound.bytes() > config.maxInboundBacklogBytes())) {
                // The service is behind on messages it must not drop: stop reading, so that TCP pushes back
                // on the client instead of this queue growing. Nothing received is lost.
                readPaused = true;
                readPauses++;
                channel.config().setAutoRead(false);
                log.debug("session {}: {} messages ({} bytes) waiting for the service, reading paused", id,
                        inbound.size(), inbound.bytes());
            }
            if (!drainScheduled) {
                drainScheduled = true;
                schedule = true;
            }
        }
        if (schedule) {
            submitDrain();
        }
    }

    private void submitDrain() {
        try {
            workers.execute(drain);
        } catch (RejectedExecutionException e) {
            // The server is shutting down and gave up waiting; what is still queued is not delivered.
            synchronized (inLock) {
                drainScheduled = false;
                inbound.clear();
            }
            finished.accept(this);
        }
    }

    private void drain() {
        boolean more = true;
        try {
            for (int n = 0; n < BATCH; n++) {
                Object item;
                synchronized (inLock) {
                    item = inbound.poll();
                    if (item == null) {
                        drainScheduled = false;
                        more = false;
                        return;
                    }
                    if (readPaused && inbound.size() <= config.maxInboundBacklog() / 2
                            && inbound.bytes() <= config.maxInboundBacklogBytes() / 2) {
                        readPaused = false;
                        channel.config().setAutoRead(true); // thread-safe; Netty schedules the read
                    }
                }
                deliver(item);
            }
        } finally {
            if (more) {
                submitDrain(); // yield the worker to other sessions, then go on
            }
        }
    }

    private void deliver(Object item) {
        try {
            if (item instanceof IgtlMessage m) {
                service.onMessage(this, m);
            } else if (item instanceof IgtlDecodeFailure f) {
                service.onDecodeFailure(this, f);
            } else if (item == Lifecycle.CONNECTED) {
                service.onConnect(this);
            } else if (item == Lifecycle.DISCONNECTED) {
                try {
                    service.onDisconnect(this);
                } finally {
                    finished.accept(this);
                }
            }
        } catch (Exception e) {
            log.warn("session {} ({}): the service failed on {}; the session carries on", id, remoteAddress(),
                    describe(item), e);
        }
    }

    private static String describe(Object item) {
        if (item instanceof IgtlMessage m) {
            return m.type() + " '" + m.deviceName() + "'";
        }
        return String.valueOf(item);
    }
}
