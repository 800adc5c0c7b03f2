package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;

/** Coverage and margins on analytic sphere phantoms, anisotropic spacing, with hand-computed answers. */
class MarginPhantomTest {

    private static final double[] SPACING = {0.5, 0.6, 0.8};
    private static final Geometry GRID = AblationPhantoms.centredGrid(new int[] {72, 60, 46}, SPACING);
    /** Largest distance from a voxel centre to the nearest point of its voxel box: half the diagonal. */
    private static final double HALF_DIAGONAL = 0.5 * Math.sqrt(0.25 + 0.36 + 0.64);

    private static MarginSummary analytic(boolean[] lesion, Ellipsoid... zone) {
        return AblationMetrics.margins(TargetLesion.ofMask(lesion, GRID), AblationZone.of(zone));
    }

    @Test
    void concentricSpheresCoverFullyWithMarginRMinusR() {
        double r = 7;
        double bigR = 12;
        boolean[] lesion = AblationPhantoms.sphere(GRID, Point3.ORIGIN, r);
        MarginSummary m = analytic(lesion, Ellipsoid.sphere(Point3.ORIGIN, bigR));
        assertEquals(100, m.coveragePercent(), 0);
        // Surface voxel centres lie within about a voxel inside radius r; the largest one sets the MAM.
        assertTrue(m.minMarginMm() >= bigR - r - 1e-9 && m.minMarginMm() <= bigR - r + 2 * HALF_DIAGONAL,
                "MAM " + m.minMarginMm() + " should be R - r = 5 within a voxel");
        assertEquals(bigR - r, m.minMarginMm(), 0.3, "the outermost surface voxels reach r within 0.3 mm on this grid");
        assertEquals(0, m.fractionBelow0());
        assertTrue(m.fraction0To5() + m.fractionAtLeast5() == 1);
        // The minimum sits on the lesion surface: its radius is the largest of any lesion voxel.
        assertEquals(r, m.minMarginRas().norm(), 0.3);
    }

    @Test
    void zoneSmallerThanLesionGivesNegativeMarginAndCubedCoverage() {
        double r = 9;
        double bigR = 6;
        boolean[] lesion = AblationPhantoms.sphere(GRID, Point3.ORIGIN, r);
        MarginSummary m = analytic(lesion, Ellipsoid.sphere(Point3.ORIGIN, bigR));
        assertEquals(100 * Math.pow(bigR / r, 3), m.coveragePercent(), 1.0, "(R/r)^3 = 29.6 %");
        assertEquals(bigR - r, m.minMarginMm(), 0.3);
        assertEquals(1, m.fractionBelow0(), 0, "the whole surface is outside the zone");
    }

    @Test
    void offsetSpheresMatchHandComputedMarginsAndFractions() {
        // Lesion r = 6 at the origin, zone R = 12 centred 3 mm to the right (+x).
        double r = 6;
        double bigR = 12;
        double s = 3;
        boolean[] lesion = AblationPhantoms.sphere(GRID, Point3.ORIGIN, r);
        MarginSummary m = analytic(lesion, Ellipsoid.sphere(new Point3(s, 0, 0), bigR));
        assertEquals(100, m.coveragePercent(), 0);
        // Thinnest margin on the far (left) side of the lesion: R - (s + r) = 3 mm at (-6, 0, 0).
        assertEquals(bigR - s - r, m.minMarginMm(), 0.3);
        assertTrue(m.minMarginRas().x() < -5.5, "at the left pole: " + m.minMarginRas());
        // Margin >= 5 where rho^2 + s^2 - 2 rho s cos(theta) <= (R - 5)^2 (theta from +x, rho the radius of the
        // surface point), i.e. on a cap whose share of a sphere's area is (1 - cos(theta0)) / 2: for the continuous
        // sphere (rho = 6) cos(theta0) = -1/9 and the share 0.556. Surface voxel centres lie inside the sphere, at
        // the mean radius measured below, which moves the cap edge; voxel faces weight orientations unevenly, so
        // allow 0.03 around the share at that radius.
        double rho = meanSurfaceRadius(lesion);
        double cos0 = (rho * rho + s * s - (bigR - 5) * (bigR - 5)) / (2 * rho * s);
        assertEquals((1 - cos0) / 2, m.fractionAtLeast5(), 0.03, "mean surface radius " + rho);
        assertEquals(0, m.fractionBelow0());
    }

    @Test
    void partialOverlapCoverageIsTheLensVolume() {
        // Two spheres of radius 8 whose centres are 8 apart: the lens holds (4r + d)(2r - d)^2 / 16 r^3 = 31.25 %.
        double r = 8;
        boolean[] lesion = AblationPhantoms.sphere(GRID, Point3.ORIGIN, r);
        MarginSummary m = analytic(lesion, Ellipsoid.sphere(new Point3(0, 0, 8), r));
        assertEquals(31.25, m.coveragePercent(), 1.5);
        assertEquals(-8, m.minMarginMm(), 0.5, "the bottom pole is 8 mm outside the zone");
        // Uncovered where |p - (0,0,8)| > 8, i.e. z < rho^2 / 16 on a surface of radius rho: a zone of the sphere
        // whose area share is (rho^2/16 + rho) / (2 rho) (Archimedes), 0.75 for rho = 8.
        double rho = meanSurfaceRadius(lesion);
        assertEquals((rho * rho / 16 + rho) / (2 * rho), m.fractionBelow0(), 0.03, "mean surface radius " + rho);
    }

    @Test
    void analyticMarginsAgreeWithTheDistanceTransformReference() {
        boolean[] lesion = AblationPhantoms.sphere(GRID, new Point3(1, -1, 2), 6);
        Ellipsoid zone = Ellipsoid.of(new ZoneSpec(9, 8, 12, 4, ZoneSpec.manual(1, 1, 1, 0).source()),
                new ProbePose(new Point3(2, 1, 5), new Point3(0.2, 0.3, 1)));
        MarginSummary exact = analytic(lesion, zone);
        boolean[] zoneMask = mask(AblationZone.of(zone), GRID);
        MarginSummary voxel = VoxelMargins.margins(lesion, zoneMask, GRID);
        assertEquals(exact.coveragePercent(), voxel.coveragePercent(), 1e-9, "same voxel-centre test for coverage");
        assertEquals(exact.surfaceVoxels(), voxel.surfaceVoxels());
        // Voxel-centre distances differ from the continuous boundary by up to about a voxel.
        assertEquals(exact.minMarginMm(), voxel.minMarginMm(), 2 * HALF_DIAGONAL);
        assertEquals(exact.fractionBelow0(), voxel.fractionBelow0(), 0.05);
        assertEquals(exact.fractionAtLeast5(), voxel.fractionAtLeast5(), 0.1);
    }

    @Test
    void unionOfTwoZonesCoversWhatNeitherCoversAlone() {
        boolean[] lesion = AblationPhantoms.sphere(GRID, Point3.ORIGIN, 8);
        Ellipsoid left = Ellipsoid.sphere(new Point3(-5, 0, 0), 10);
        Ellipsoid right = Ellipsoid.sphere(new Point3(5, 0, 0), 10);
        MarginSummary one = analytic(lesion, left);
        MarginSummary both = analytic(lesion, left, right);
        assertTrue(one.coveragePercent() < 95);
        assertEquals(100, both.coveragePercent(), 0);
        assertTrue(both.minMarginMm() > 0 && both.minMarginMm() < 2.5, "MAM at the waist: " + both.minMarginMm());
        MarginSummary voxel = VoxelMargins.margins(lesion, mask(AblationZone.of(left, right), GRID), GRID);
        assertTrue(both.minMarginMm() <= voxel.minMarginMm() + 2 * HALF_DIAGONAL, "the union's depth is a lower bound");
    }

    @Test
    void evaluateWarnsAboutUncoveredLesionAndUnverifiedData() {
        boolean[] lesion = AblationPhantoms.sphere(GRID, Point3.ORIGIN, 12);
        ZoneSpec spec = DeviceTable.builtIn().lookup("covidien-mwa", 45, 150);
        AblationResult r = AblationMetrics.evaluate(TargetLesion.ofMask(lesion, GRID),
                List.of(new PlacedZone(spec, new ProbePose(new Point3(0, 0, 11), new Point3(0, 0, 1)))), null,
                SafetyThresholds.DEFAULT);
        assertEquals(SafetyStatus.NOT_ASSESSED, r.status());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("zone from unverified data (covidien-mwa 45 W 150 s)")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("lesion not fully covered")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("no critical structure given")), r.warnings().toString());
    }

    @Test
    void paddedRegionHoldsTheLesionAndTheMargin() {
        boolean[] lesion = AblationPhantoms.sphere(GRID, new Point3(2, 1, -1), 5);
        Geometry region = TargetLesion.ofMask(lesion, GRID).paddedRegion(10);
        // Sphere from x = -3 to 7 (voxel centres within), plus >= 10 mm on each side at 0.5 mm: 20 voxels.
        assertEquals(GRID.spacing(0), region.spacing(0));
        double[] first = region.toRas(0, 0, 0);
        double[] last = region.toRas(region.dim(0) - 1, region.dim(1) - 1, region.dim(2) - 1);
        assertTrue(first[0] <= 2 - 5 - 10 + 0.5 && last[0] >= 2 + 5 + 10 - 0.5, java.util.Arrays.toString(first));
        assertTrue(first[2] <= -1 - 5 - 10 + 0.8 && last[2] >= -1 + 5 + 10 - 0.8);
        Ellipsoid zone = Ellipsoid.sphere(new Point3(2, 1, -1), 14);
        assertEquals(zone.volumeMm3(), count(AblationZone.of(zone).rasterize(region, 1)) * 0.5 * 0.6 * 0.8, 0.02 * zone.volumeMm3(),
                "a 14 mm zone fits in the 10 mm padded region around a 5 mm lesion");
    }

    private static int count(org.lesionlink.image.Volume v) {
        int n = 0;
        for (int i = 0; i < v.voxelsPerChannel(); i++) {
            n += v.value(0, i) != 0 ? 1 : 0;
        }
        return n;
    }

    /** Mean distance of the lesion's surface voxel centres from the origin. */
    private static double meanSurfaceRadius(boolean[] lesion) {
        double[][] c = Masks.centres(Masks.surface(lesion, GRID.dims()), GRID);
        double sum = 0;
        for (int i = 0; i < c[0].length; i++) {
            sum += Math.sqrt(c[0][i] * c[0][i] + c[1][i] * c[1][i] + c[2][i] * c[2][i]);
        }
        return sum / c[0].length;
    }

    static boolean[] mask(AblationZone zone, Geometry g) {
        byte[] b = new byte[(int) g.voxelCount()];
        zone.rasterize(g, 1).data(0).get(b);
        boolean[] m = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            m[i] = b[i] != 0;
        }
        return m;
    }
}
