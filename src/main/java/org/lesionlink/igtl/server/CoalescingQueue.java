package org.lesionlink.igtl.server;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A FIFO in which an item with a key replaces, in place, the waiting item with the same key: the
 * latest-value slot of the real-time design (research notes, section 4, "keep per-device latest-value
 * slots rather than queues"). Items without a key (control messages) are never replaced. Not
 * thread-safe; the owner synchronizes.
 */
final class CoalescingQueue<T> {

    private static final class Slot<T> {
        final String key;
        T value;
        long bytes;

        Slot(String key, T value, long bytes) {
            this.key = key;
            this.value = value;
            this.bytes = bytes;
        }
    }

    private final ArrayDeque<Slot<T>> order = new ArrayDeque<>();
    private final Map<String, Slot<T>> waitingByKey = new HashMap<>();
    private long bytes;

    /**
     * Appends {@code value}, or replaces the waiting item with the same non-null {@code key}.
     *
     * @param bytes the item's payload size, for {@link #bytes()}
     * @return true when an older item was replaced (dropped)
     */
    boolean offer(String key, T value, long bytes) {
        if (key != null) {
            Slot<T> s = waitingByKey.get(key);
            if (s != null) {
                this.bytes += bytes - s.bytes;
                s.value = value;
                s.bytes = bytes;
                return true;
            }
        }
        Slot<T> s = new Slot<>(key, value, bytes);
        order.addLast(s);
        if (key != null) {
            waitingByKey.put(key, s);
        }
        this.bytes += bytes;
        return false;
    }

    /** The oldest item, or null when empty. */
    T poll() {
        Slot<T> s = order.pollFirst();
        if (s == null) {
            return null;
        }
        if (s.key != null) {
            waitingByKey.remove(s.key);
        }
        bytes -= s.bytes;
        return s.value;
    }

    int size() {
        return order.size();
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return order.isEmpty();
    }

    void clear() {
        order.clear();
        waitingByKey.clear();
        bytes = 0;
    }
}
