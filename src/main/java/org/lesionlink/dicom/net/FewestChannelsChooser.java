package org.lesionlink.dicom.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;

/**
 * Gives each new connection the event loop with the fewest open connections (the first such loop), so that while no
 * more connections are open than there are loops, each has a loop, and a thread, of its own: an association whose
 * services run on its loop (a slow disk, an fsync) then holds up no other. Netty's default chooser goes round
 * robin, which puts a new connection on a loop still busy with a long one once others have come and gone.
 *
 * <p>A loop is counted as taken when it is chosen (the acceptor registers connections one after the other, before
 * their handlers run) and given back by {@link #track} when the connection closes. Only connection registration may
 * call {@code next()} on the group: each call takes a loop. A connection whose registration fails (the group
 * shutting down) is never tracked and keeps its count, which only skews later choices.
 */
final class FewestChannelsChooser implements EventExecutorChooserFactory {

    private EventExecutor[] loops;
    private int[] open;

    @Override
    public synchronized EventExecutorChooser newChooser(EventExecutor[] executors) {
        if (loops != null) {
            throw new IllegalStateException("one chooser per factory: it counts the connections of one group");
        }
        loops = executors.clone();
        open = new int[loops.length];
        return this::next;
    }

    private synchronized EventExecutor next() {
        int best = 0;
        for (int i = 1; i < open.length; i++) {
            if (open[i] < open[best]) {
                best = i;
            }
        }
        open[best]++;
        return loops[best];
    }

    /** Gives the channel's loop back when the channel closes; call once per registered channel. */
    void track(Channel ch) {
        EventExecutor loop = ch.eventLoop();
        ch.closeFuture().addListener(f -> release(loop));
    }

    private synchronized void release(EventExecutor loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop) {
                open[i]--;
                return;
            }
        }
    }

    /** Open connections per loop, in the group's order (for tests). */
    synchronized int[] openPerLoop() {
        return open.clone();
    }
}
