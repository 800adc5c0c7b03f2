package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;

class AblationMonitorTest {

    private static final Geometry GRID = AblationPhantoms.centredGrid(new int[] {60, 40, 40}, new double[] {1, 1, 1});
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AblationMonitor monitor = new AblationMonitor(
            TargetLesion.ofMask(AblationPhantoms.sphere(GRID, Point3.ORIGIN, 6), GRID),
            CriticalStructure.ofMask("spinal canal", AblationPhantoms.cylinderAlongZ(GRID, 22, 0, 4), GRID),
            ZoneSpec.manual(9, 9, 11, 5), SafetyThresholds.DEFAULT, Duration.ofMillis(500), clock::get);

    private static ProbePose tipAt(double x) {
        return new ProbePose(new Point3(x, 0, 5), new Point3(0, 0, 1));
    }

    @Test
    void freshPosesAreEvaluatedStaleOnesFlaggedAndNotUsed() {
        assertNull(monitor.update(tipAt(0), clock.get() - 600_000_000L).result(), "stale before any valid pose: no result");
        AblationMonitor.Update first = monitor.update(tipAt(-3), clock.get() - 20_000_000L);
        assertFalse(first.stale());
        assertEquals(20, first.poseAgeMs(), 1e-9);
        assertEquals(100, first.result().margins().coveragePercent());
        assertEquals(SafetyStatus.OK, first.result().status(), "zone edge at x = 6, canal from x = 18");
        clock.addAndGet(700_000_000L);
        AblationMonitor.Update stale = monitor.update(tipAt(6), clock.get() - 501_000_000L);
        assertTrue(stale.stale());
        assertEquals("pose is 501 ms old (limit 500 ms); not used", stale.message());
        assertSame(first.result(), stale.result(), "the last valid result is carried");
        AblationMonitor.Update moved = monitor.update(tipAt(6), clock.get());
        assertFalse(moved.stale());
        assertEquals(SafetyStatus.STOP, moved.result().status(), "zone edge at x = 15, 3 mm from the canal");
        AblationMonitor.Update old = monitor.update(tipAt(0), clock.get() - 1_000_000L);
        assertTrue(old.stale(), "older than the last pose used");
        assertTrue(old.message().contains("older than the last pose used"), old.message());
        Map<String, Object> json = AblationJson.update(old);
        assertEquals(true, json.get("stale"));
        assertTrue(json.get("disclaimer").toString().contains("NOT a treatment planning system"));
    }

    @Test
    void completedAblationsJoinTheUnion() {
        monitor.addCompletedAblation(new PlacedZone(ZoneSpec.manual(4, 4, 4, 0), tipAt(-8)));
        AblationMonitor.Update u = monitor.update(tipAt(0), clock.get());
        assertEquals(2, u.result().ellipsoids().size());
        Map<String, Object> json = AblationJson.report(u.result());
        assertTrue(json.containsKey("zones"));
        assertTrue(u.computeNanos() > 0);
    }
}
