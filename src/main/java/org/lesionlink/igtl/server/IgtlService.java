package org.lesionlink.igtl.server;

import org.lesionlink.igtl.IgtlDecodeFailure;
import org.lesionlink.igtl.message.IgtlMessage;

/**
 * The application behind an {@link IgtlServer}. The server calls it on a worker pool, never on a Netty
 * event loop, so a callback may block (segmentation takes seconds) without stalling other connections.
 * (Unless the configuration sets {@link IgtlServerConfig#workerThreads()} to 0: then callbacks run on the
 * connection's I/O thread and must never block; the ordering rules below hold either way.)
 *
 * <p><b>Ordering.</b> Calls for one session are serial (never concurrent) and follow arrival order:
 * {@link #onConnect} first, {@link #onDisconnect} last, and in between every message and decode failure,
 * except that a <em>streamed</em> frame (IMAGE, TRANSFORM, POSITION, TDATA, QTDATA, POINT, POLYDATA,
 * NDARRAY) that is still waiting when a newer frame of the same type and device arrives is replaced by
 * the newer one <em>in its place in the order</em>. So a slow service sees the newest frame of each device,
 * and a control message (STRING "Segment", COMMAND, GET_...) is handled after the newest frame that
 * preceded it; control messages are never dropped. Different sessions run in parallel.
 *
 * <p>An exception thrown by a callback is logged and the session carries on.
 */
public interface IgtlService {

    /** A client connected (and was admitted under the client limit). */
    default void onConnect(IgtlSession session) throws Exception {
    }

    /** A decoded message; reply with {@link IgtlSession#send}. */
    void onMessage(IgtlSession session, IgtlMessage message) throws Exception;

    /**
     * A message that could not be decoded. The server has already answered it with a STATUS error
     * ({@link IgtlServer#statusFor}); this is for logging or application state.
     */
    default void onDecodeFailure(IgtlSession session, IgtlDecodeFailure failure) throws Exception {
    }

    /** The connection is closed; nothing more will be delivered for this session. */
    default void onDisconnect(IgtlSession session) throws Exception {
    }
}
