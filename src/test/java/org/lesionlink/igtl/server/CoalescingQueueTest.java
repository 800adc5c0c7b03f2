package org.lesionlink.igtl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescingQueueTest {

    @Test
    void aKeyedItemReplacesTheWaitingOneInItsPlaceAndControlItemsStay() {
        CoalescingQueue<String> q = new CoalescingQueue<>();
        assertFalse(q.offer("IMAGE/US", "us1", 100));
        assertFalse(q.offer("TRANSFORM/Probe", "p1", 10));
        assertFalse(q.offer(null, "Segment", 1));
        assertTrue(q.offer("IMAGE/US", "us2", 200));
        assertTrue(q.offer("TRANSFORM/Probe", "p2", 10));
        assertFalse(q.offer(null, "Segment", 1)); // control items are never merged
        assertEquals(4, q.size());
        assertEquals(200 + 10 + 1 + 1, q.bytes());
        List<String> out = new ArrayList<>();
        for (String s; (s = q.poll()) != null; ) {
            out.add(s);
        }
        assertEquals(List.of("us2", "p2", "Segment", "Segment"), out);
        assertEquals(0, q.bytes());
    }

    @Test
    void onceTakenAKeyStartsANewSlotAtTheEnd() {
        CoalescingQueue<String> q = new CoalescingQueue<>();
        q.offer("K", "a", 1);
        assertEquals("a", q.poll());
        q.offer(null, "c", 1);
        assertFalse(q.offer("K", "b", 1));
        assertEquals("c", q.poll());
        assertEquals("b", q.poll());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }
}
