package org.lesionlink.igtl.server;

import java.util.Set;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.NdArrayMessage;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.UnknownMessage;

/** Which messages are streamed state (latest value wins) and how large they are. */
final class StreamKinds {

    /**
     * Types that carry the current state of a device, so only the newest one per device matters. QTRANS
     * is the v3 documents' name for POSITION.
     */
    static final Set<String> STREAMED = Set.of("IMAGE", "TRANSFORM", "POSITION", "QTRANS", "TDATA", "QTDATA",
            "POINT", "POLYDATA", "NDARRAY");

    /** Header plus a small content: what a control message costs. */
    private static final long SMALL = 128;

    private StreamKinds() {
    }

    /** The latest-value key ("TYPE/device"), or null for control and query messages. */
    static String key(IgtlMessage m) {
        return STREAMED.contains(m.type()) ? m.type() + '/' + m.deviceName() : null;
    }

    /** Approximate bytes held by a message: its large payload, if any, plus a constant. */
    static long bytes(Object item) {
        if (item instanceof ImageMessage m) {
            return SMALL + m.pixels().capacity();
        }
        if (item instanceof NdArrayMessage m) {
            return SMALL + m.data().capacity();
        }
        if (item instanceof UnknownMessage m) {
            return SMALL + m.content().capacity();
        }
        if (item instanceof PolyDataMessage m) {
            return SMALL + 4L * m.points().length;
        }
        return SMALL;
    }
}
