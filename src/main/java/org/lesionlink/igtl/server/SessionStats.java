package org.lesionlink.igtl.server;

/**
 * A snapshot of one session's counters.
 *
 * @param received messages and decode failures received
 * @param coalescedInbound received streamed frames replaced by a newer one before the service saw them
 * @param supersededOutbound outgoing streamed frames replaced by a newer one before they were written
 * @param pendingInbound received, not yet handed to the service
 * @param pendingOutbound queued for sending, not yet written to the channel
 * @param peakPendingOutbound the largest {@code pendingOutbound} seen
 * @param readPauses how often reading was paused because the service fell behind
 */
public record SessionStats(long received, long coalescedInbound, long supersededOutbound, int pendingInbound,
                           int pendingOutbound, int peakPendingOutbound, long readPauses) {
}
