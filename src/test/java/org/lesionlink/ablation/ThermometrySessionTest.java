package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/** PRF thermometry on synthetic phase maps with a known temperature field. */
class ThermometrySessionTest {

    private static final Geometry GRID = Geometry.axisAligned(new int[] {32, 28, 6}, new double[] {1.2, 1.2, 3},
            new double[] {-18, -16, -7});
    private static final PrfParams PRF = PrfParams.of(3, 0.020); // wraps after +-19.6 C
    private static final int N = (int) GRID.voxelCount();
    private final float[] phi0 = new float[N];

    ThermometrySessionTest() {
        Random rnd = new Random(5);
        for (int i = 0; i < N; i++) {
            // Baseline phases within 0.3 rad of +-pi, so that raw differences wrap often.
            phi0[i] = (float) ThermometrySession.wrap(Math.PI + 0.3 * (2 * rnd.nextDouble() - 1));
        }
    }

    /** Gaussian hot spot of {@code peak} C above body temperature, sigma 3 mm, centred at (2, -1, 0). */
    private static double hotSpot(double[] ras, double peak) {
        double dx = ras[0] - 2;
        double dy = ras[1] + 1;
        double dz = ras[2];
        return peak * Math.exp(-(dx * dx + dy * dy + dz * dz) / (2 * 9));
    }

    /** Phase image for a temperature rise field plus an additive phase drift field (rad), wrapped. */
    private Volume phase(ToDoubleFunction<double[]> riseC, ToDoubleFunction<double[]> driftRad) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            double[] ras = ras(i);
            v[i] = (float) ThermometrySession.wrap(phi0[i] + PRF.radiansPerDegree() * riseC.applyAsDouble(ras) + driftRad.applyAsDouble(ras));
        }
        return Volume.ofFloats(GRID, v);
    }

    private static double[] ras(int i) {
        int nx = GRID.dim(0);
        int ny = GRID.dim(1);
        return GRID.toRas(i % nx, (i / nx) % ny, i / (nx * ny));
    }

    private static void assertField(Volume temperature, ToDoubleFunction<double[]> riseC, double tol) {
        float[] t = temperature.toFloats(0);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            worst = Math.max(worst, Math.abs(t[i] - (37 + riseC.applyAsDouble(ras(i)))));
        }
        assertTrue(worst <= tol, "worst temperature error " + worst + " C");
    }

    private static boolean[] border() {
        boolean[] m = new boolean[N];
        int nx = GRID.dim(0);
        int ny = GRID.dim(1);
        for (int i = 0; i < N; i++) {
            int x = i % nx;
            int y = (i / nx) % ny;
            m[i] = x < 3 || x >= nx - 3 || y < 3 || y >= ny - 3; // >= 11.4 mm from the spot centre: < 0.1 % of the peak
        }
        return m;
    }

    @Test
    void gaussianHotSpotIsRecoveredThroughPhaseWraps() {
        ThermometrySession s = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0, ThermometryConfig.of(PRF));
        ToDoubleFunction<double[]> rise = r -> hotSpot(r, 15);
        ThermalFrame f = s.addFrame(phase(rise, r -> 0), 5);
        assertField(f.temperature(), rise, 1e-3);
        double hottest = 0;
        for (int i = 0; i < N; i++) {
            hottest = Math.max(hottest, rise.applyAsDouble(ras(i)));
        }
        assertEquals(37 + hottest, f.maxTemperatureC(), 1e-3);
        assertTrue(hottest > 12, "the spot is sampled near its 15 C peak");
    }

    @Test
    void temporalUnwrappingFollowsHeatingBeyondTheWrapLimit() {
        ThermometrySession s = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0, ThermometryConfig.of(PRF));
        ThermometrySession single = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0,
                ThermometryConfig.of(PRF).withTemporalUnwrap(false));
        ThermalFrame last = null;
        ThermalFrame lastSingle = null;
        for (int k = 1; k <= 5; k++) {
            double peak = 10.0 * k; // 50 C rise at the end: 2.5 times the single-frame wrap limit
            Volume p = phase(r -> hotSpot(r, peak), r -> 0);
            last = s.addFrame(p, 4 * k);
            lastSingle = single.addFrame(p, 4 * k);
        }
        assertField(last.temperature(), r -> hotSpot(r, 50), 1e-3);
        assertTrue(Math.abs(lastSingle.maxTemperatureC() - 87) > 10, "without unwrapping the peak aliases: " + lastSingle.maxTemperatureC());
    }

    @Test
    void planeDriftIsRemovedByTheReferenceRegion() {
        boolean[] ref = border();
        ToDoubleFunction<double[]> rise = r -> hotSpot(r, 12);
        ToDoubleFunction<double[]> drift = r -> 0.4 + 0.02 * r[0] - 0.015 * r[1] + 0.01 * r[2]; // rad, linear in RAS mm
        ThermometrySession plane = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0,
                ThermometryConfig.of(PRF).withDrift(DriftCorrection.PLANE, ref));
        ThermalFrame f = plane.addFrame(phase(rise, drift), 3);
        assertField(f.temperature(), rise, 0.02);
        double[] d = f.drift();
        assertEquals(0.4 / PRF.radiansPerDegree(), d[0], 0.01);
        assertEquals(0.02 / PRF.radiansPerDegree(), d[1], 0.001);
        assertEquals(-0.015 / PRF.radiansPerDegree(), d[2], 0.001);
        assertEquals(0.01 / PRF.radiansPerDegree(), d[3], 0.001);
        ThermometrySession none = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0, ThermometryConfig.of(PRF));
        ThermalFrame uncorrected = none.addFrame(phase(rise, drift), 3);
        assertTrue(Math.abs(uncorrected.maxTemperatureC() - 49) > 1, "the drift is large enough to matter");
        // A uniform drift is removed by MEAN as well.
        ThermometrySession mean = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0,
                ThermometryConfig.of(PRF).withDrift(DriftCorrection.MEAN, ref));
        assertField(mean.addFrame(phase(rise, r -> -0.7), 3).temperature(), rise, 0.02);
    }

    @Test
    void complexInputGivesTheSameTemperatures() {
        ToDoubleFunction<double[]> rise = r -> hotSpot(r, 15);
        Volume ph = phase(rise, r -> 0);
        ThermometrySession s = new ThermometrySession(complex(Volume.ofFloats(GRID, phi0), 3), 0, ThermometryConfig.of(PRF));
        assertField(s.addFrame(complex(ph, 0.5), 5).temperature(), rise, 1e-3);
    }

    private static Volume complex(Volume phase, double magnitude) {
        float[] p = phase.toFloats(0);
        Volume.Builder b = Volume.allocate(GRID, org.lesionlink.image.DataType.FLOAT32, 2);
        for (int i = 0; i < p.length; i++) {
            b.set(0, i, magnitude * Math.cos(p[i]));
            b.set(1, i, magnitude * Math.sin(p[i]));
        }
        return b.build();
    }

    @Test
    void doseAccumulatesAndAlarmsFire() {
        // A flat field: every voxel at 50 C (13 C above body) from the first frame on.
        boolean[] lesion = new boolean[N];
        boolean[] critical = new boolean[N];
        lesion[0] = true;
        lesion[1] = true;
        critical[N - 1] = true;
        ThermometrySession s = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0,
                ThermometryConfig.of(PRF).withLesion(lesion).withCritical(critical, 45));
        ThermalFrame f = null;
        // 50 C from t = 0: CEM43 reaches 240 after 112.5 s, Omega (liver) 1 after 61.4 s.
        for (int k = 1; k <= 12; k++) {
            f = s.addFrame(phase(r -> 13, r -> 0), 10 * k);
            double t = 10 * k;
            assertEquals(t / 60 * 128, f.cem43().value(0, 0), 1e-3 * t);
            assertEquals(t / ArrheniusModel.LIVER_MUSCLE.secondsToDamage(50), f.damage().value(0, 0), 1e-3 * t);
            assertEquals(t >= 70 ? 100 : 0, f.lesionPercentOmega1(), 0, "Omega >= 1 from 61.4 s, seen at 70 s");
            assertEquals(t >= 120 ? 100 : 0, f.lesionPercentCem240(), 0, "240 CEM43 from 112.5 s, seen at 120 s");
            assertEquals(1, f.alarms().size());
        }
        assertEquals(N, sum(f.isodose240()));
        assertTrue(f.alarms().get(0).startsWith("critical structure above 45.0 C: 50.0 C"), f.alarms().get(0));
        assertThrows(IllegalArgumentException.class, () -> s.addFrame(phase(r -> 0, r -> 0), 120), "frames must advance in time");
    }

    private static int sum(Volume mask) {
        int n = 0;
        for (int i = 0; i < mask.voxelsPerChannel(); i++) {
            n += (int) mask.value(0, i);
        }
        return n;
    }

    @Test
    void planeDriftNeedsAThreeDimensionalReference() {
        boolean[] ref = new boolean[N];
        for (int i = 0; i < GRID.dim(0) * GRID.dim(1); i++) {
            ref[i] = true; // one slice only: coplanar
        }
        ThermometrySession s = new ThermometrySession(Volume.ofFloats(GRID, phi0), 0,
                ThermometryConfig.of(PRF).withDrift(DriftCorrection.PLANE, ref));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.addFrame(phase(r -> 0, r -> 0), 1));
        assertTrue(e.getMessage().contains("does not span three dimensions"), e.getMessage());
    }
}
