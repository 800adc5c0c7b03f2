package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.lesionlink.ablation.DeviceTable;
import org.lesionlink.ablation.ZoneSpec;

/** {@code AblationPlan} arguments (server-conventions.md 7.3): merging, device lookups and refusals naming the argument. */
class AblationPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeviceTable DEVICES = DeviceTable.builtIn();

    private static AblationPlan apply(AblationPlan p, String json) throws Exception {
        return p.with((ObjectNode) JSON.readTree(json), DEVICES);
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> apply(AblationPlan.DEFAULT, json)).getMessage();
    }

    @Test
    void defaultsAndPartialUpdatesKeepTheRest() throws Exception {
        AblationPlan d = AblationPlan.DEFAULT;
        assertNull(d.zone());
        assertEquals("NeedleToReference", d.probe());
        assertEquals("+z", d.axisText());
        assertEquals(10, d.thresholds().warnMm());
        assertEquals(5, d.thresholds().stopMm());
        assertEquals(500, d.maxPoseAge().toMillis());
        assertFalse(d.headerClock());
        AblationPlan p = apply(d, "{\"zone\": [10, 11, 12, 3], \"stopMm\": 2}");
        assertEquals(12, p.zone().c());
        assertEquals(3, p.zone().offsetMm());
        assertEquals(2, p.thresholds().stopMm());
        AblationPlan q = apply(p, "{\"probe\": \"StylusTipToTracker\", \"probeAxis\": \"-x\", \"poseClock\": \"header\"}");
        assertEquals(p.zone(), q.zone(), "the zone is kept");
        assertEquals(2, q.thresholds().stopMm(), "the thresholds are kept");
        assertEquals("StylusTipToTracker", q.probe());
        assertArrayEquals(new int[] {0, -1}, q.probeAxis());
        assertTrue(q.headerClock());
    }

    @Test
    void deviceZonesComeFromTheTable() throws Exception {
        AblationPlan p = apply(AblationPlan.DEFAULT, "{\"device\": \"covidien-mwa\", \"power\": 75, \"time\": 300}");
        ZoneSpec want = DEVICES.lookup("covidien-mwa", 75, 300);
        assertEquals(want.a(), p.zone().a());
        assertEquals(want.c(), p.zone().c());
        assertEquals("covidien-mwa", p.zone().source().device());
    }

    @Test
    void refusalsNameTheProblem() {
        assertTrue(refusal("{\"device\": \"nope\", \"power\": 1, \"time\": 1}").contains("unknown ablation device 'nope'"));
        assertTrue(refusal("{\"device\": \"covidien-mwa\", \"power\": 500, \"time\": 300}").contains("extrapolation is refused"));
        assertTrue(refusal("{\"device\": \"covidien-mwa\", \"power\": 75}").contains("needs all of device"));
        assertTrue(refusal("{\"device\": \"covidien-mwa\", \"power\": 75, \"time\": 300, \"zone\": [1, 1, 1, 0]}")
                .contains("not both"));
        assertTrue(refusal("{\"zone\": [1, 1, 1]}").contains("zone must be [a, b, c, offset]"));
        assertTrue(refusal("{\"zone\": [0, 1, 1, 0]}").contains("semi-axes must be positive"));
        assertTrue(refusal("{\"warnMm\": 3, \"stopMm\": 5}").contains("0 <= stop <= warn"));
        assertTrue(refusal("{\"probeAxis\": \"+w\"}").contains("probeAxis must be one of"));
        assertTrue(refusal("{\"poseClock\": \"gps\"}").contains("poseClock must be 'receipt' or 'header'"));
        assertTrue(refusal("{\"maxPoseAgeMs\": 0}").contains("maxPoseAgeMs must be positive"));
        assertTrue(refusal("{\"lesionLabel\": 300}").contains("lesionLabel must be a label value 1..255"));
        assertTrue(refusal("{\"probe\": \"ThisNameIsFarTooLongForIGTL\"}").contains("1..20 characters"));
        assertTrue(refusal("{\"labelmap\": \"yes\"}").contains("labelmap must be true or false"));
        assertTrue(refusal("{\"warnMm\": \"ten\"}").contains("warnMm must be a number"));
        assertTrue(refusal("{\"powr\": 1}").contains("unknown AblationPlan argument 'powr'"));
    }
}
