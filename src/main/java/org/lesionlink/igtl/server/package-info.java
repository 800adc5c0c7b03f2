/**
 * The OpenIGTLink server: {@link org.lesionlink.igtl.server.IgtlServer} (Netty, many clients) runs an
 * application's {@link org.lesionlink.igtl.server.IgtlService} off the event loop and gives it one
 * {@link org.lesionlink.igtl.server.IgtlSession} per client. Protocol-level only; what the messages mean
 * to the application is not known here.
 *
 * <p>Real-time behaviour (research notes on OpenIGTLink, section 4, after PLUS and Slicer): per connection
 * and device, streamed frames are latest-value slots on both paths, so a slow service processes the newest
 * frame and a slow client receives the newest frame, while control messages are never dropped; a service
 * that falls behind pauses reading (TCP backpressure), a client that stops reading is closed once its
 * control backlog passes a bound.
 *
 * <p>Access: an optional client address filter and optional TLS ({@link org.lesionlink.igtl.server.TlsGate}: a
 * connection becomes a session only after its handshake); a {@link org.lesionlink.igtl.server.ConnectionMonitor}
 * hears of every session and refusal.
 */
package org.lesionlink.igtl.server;
