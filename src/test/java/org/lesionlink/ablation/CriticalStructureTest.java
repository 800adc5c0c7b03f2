package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;

/** A spinal-canal cylinder at known distances from a spherical zone: OK / WARN / STOP. */
class CriticalStructureTest {

    private static final Geometry GRID = AblationPhantoms.centredGrid(new int[] {140, 40, 30}, new double[] {0.5, 0.5, 1.0});
    private static final double CANAL_RADIUS = 4;
    private static final double ZONE_RADIUS = 8;

    /** Zone sphere at the origin, canal along S at x = {@code axisX}; nominal gap axisX - 4 - 8. */
    private static CriticalResult at(double axisX, SafetyThresholds th) {
        CriticalStructure canal = CriticalStructure.ofMask("spinal canal",
                AblationPhantoms.cylinderAlongZ(GRID, axisX, 0, CANAL_RADIUS), GRID);
        ProbePose tip = new ProbePose(new Point3(0, 0, 3), new Point3(0, 0, 1));
        return AblationMetrics.critical(canal, AblationZone.of(Ellipsoid.sphere(Point3.ORIGIN, ZONE_RADIUS)), List.of(tip.tip()), th);
    }

    @Test
    void statusFollowsTheDistanceToTheCanal() {
        // Nearest canal voxel centres sit up to half a voxel (0.25 mm along x) inside the cylinder's edge.
        CriticalResult far = at(12 + 15, SafetyThresholds.DEFAULT);
        assertEquals(15, far.zoneDistanceMm(), 0.3);
        assertEquals(Math.hypot(27 - CANAL_RADIUS, 0), far.tipDistanceMm(), 0.3, "tip at (0, 0, 3): level with the canal");
        assertEquals(SafetyStatus.OK, far.status());
        CriticalResult warn = at(12 + 7.5, SafetyThresholds.DEFAULT);
        assertEquals(7.5, warn.zoneDistanceMm(), 0.3);
        assertEquals(SafetyStatus.WARN, warn.status());
        CriticalResult stop = at(12 + 3, SafetyThresholds.DEFAULT);
        assertEquals(3, stop.zoneDistanceMm(), 0.3);
        assertEquals(SafetyStatus.STOP, stop.status());
        assertEquals(0, stop.overlapVoxels());
        assertEquals(12 + 3 - CANAL_RADIUS, stop.closestStructurePoint().x(), 0.3);
    }

    @Test
    void overlapIsAlwaysStop() {
        CriticalResult r = at(10, new SafetyThresholds(2, 0));
        assertTrue(r.overlapVoxels() > 0);
        assertEquals(0, r.zoneDistanceMm());
        assertEquals(SafetyStatus.STOP, r.status(), "overlap stops even with a 0 mm stop threshold");
        assertTrue(r.overlapMl() > 0);
    }

    @Test
    void thresholdsAreConfigurable() {
        assertEquals(SafetyStatus.OK, at(12 + 7.5, new SafetyThresholds(6, 3)).status());
        assertEquals(SafetyStatus.WARN, at(12 + 4, new SafetyThresholds(6, 3)).status());
        assertEquals(SafetyStatus.STOP, at(12 + 7.5, new SafetyThresholds(20, 10)).status());
    }

    @Test
    void tipInsideTheStructureIsDistanceZero() {
        CriticalStructure canal = CriticalStructure.ofMask("canal", AblationPhantoms.cylinderAlongZ(GRID, 15, 0, CANAL_RADIUS), GRID);
        CriticalResult r = AblationMetrics.critical(canal, AblationZone.of(Ellipsoid.sphere(new Point3(-10, 0, 0), 3)),
                List.of(new Point3(15, 0, 0)), SafetyThresholds.DEFAULT);
        assertEquals(0, r.tipDistanceMm());
        assertEquals(SafetyStatus.STOP, r.status());
        assertEquals(25 - 3 - CANAL_RADIUS, r.zoneDistanceMm(), 0.3);
    }

    @Test
    void analyticZoneDistanceAgreesWithTheDistanceTransform() {
        boolean[] canal = AblationPhantoms.cylinderAlongZ(GRID, 19, 2, CANAL_RADIUS);
        Ellipsoid zone = Ellipsoid.of(new ZoneSpec(6, 5, 9, 3, ZoneSpec.manual(1, 1, 1, 0).source()),
                new ProbePose(new Point3(1, 0, 2), new Point3(1, 0.2, 0.5)));
        double exact = AblationMetrics.critical(CriticalStructure.ofMask("c", canal, GRID), AblationZone.of(zone),
                List.of(new Point3(1, 0, 2)), SafetyThresholds.DEFAULT).zoneDistanceMm();
        double voxel = VoxelMargins.structureDistance(canal, MarginPhantomTest.mask(AblationZone.of(zone), GRID), GRID);
        // The EDT measures to zone voxel centres, which lie up to a half diagonal inside the zone.
        assertTrue(voxel >= exact - 1e-6 && voxel <= exact + 0.5 * Math.sqrt(0.25 + 0.25 + 1), exact + " vs " + voxel);
    }
}
