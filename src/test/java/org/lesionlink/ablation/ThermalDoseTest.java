package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CEM43 and Arrhenius time-to-threshold computed by hand. */
class ThermalDoseTest {

    @Test
    void cem43ReferencePoints() {
        assertEquals(1, ThermalDose.cem43PerMinute(43), 0);
        assertEquals(240, ThermalDose.minutesTo(240, 43), 1e-9, "43 C for 240 min");
        assertEquals(60, ThermalDose.minutesTo(240, 45), 1e-9, "R = 0.5: 45 C counts 4x");
        assertEquals(240 * Math.pow(0.5, 7), ThermalDose.minutesTo(240, 50), 1e-9, "112.5 s at 50 C");
        assertEquals(1.0 / 16, ThermalDose.cem43PerMinute(41), 1e-15, "R = 0.25 below 43 C");
        assertEquals(240 * 60 * Math.pow(0.5, 14), ThermalDose.minutesTo(240, 57) * 60, 1e-9, "0.88 s at 57 C");
    }

    @Test
    void arrheniusTimesToOmegaOne() {
        ArrheniusModel liver = ArrheniusModel.LIVER_MUSCLE;
        // By hand: t = 1 / (A exp(-Ea / (R T))) with T = 323.15 K: 7.39e39 * exp(-257700 / 2686.67) = 0.016292 1/s.
        double t50 = 1 / (7.39e39 * Math.exp(-2.577e5 / (8.314 * 323.15)));
        assertEquals(t50, liver.secondsToDamage(50), 1e-9 * t50);
        assertEquals(61.4, liver.secondsToDamage(50), 0.1);
        // The research notes' vectors (docs/ablation.md), within their rounding.
        assertEquals(8.0, liver.secondsToDamage(57), 0.05);
        assertEquals(3.45, liver.secondsToDamage(60), 0.01);
        assertEquals(1060, ArrheniusModel.HENRIQUES.secondsToDamage(50), 0.5 / 100 * 1060);
        assertEquals(30, ArrheniusModel.HENRIQUES.secondsToDamage(55), 0.1);
        assertEquals(0.95, ArrheniusModel.HENRIQUES.secondsToDamage(60), 0.005);
    }

    @Test
    void prfSensitivityMatchesTheWorkedNumbers() {
        // 3 T, TE 10 ms: 2 pi * 42.576e6 * -0.01e-6 * 3 * 0.010 = -0.0803 rad/C, about 4.6 degrees of phase per C.
        PrfParams p = PrfParams.of(3, 0.010);
        assertEquals(-0.080254, p.radiansPerDegree(), 1e-6);
        assertEquals(4.6, Math.toDegrees(-p.radiansPerDegree()), 0.01);
        assertEquals(39.1, p.wrapLimitDegrees(), 0.05);
        assertEquals(p.radiansPerDegree(), PrfParams.of(1.5, 0.020).radiansPerDegree(), 1e-15);
    }
}
