package org.lesionlink.ablation;

import java.util.List;
import org.lesionlink.image.Volume;

/**
 * One thermometry frame's outputs. Maps are float32 volumes on the phase images' grid (the isodose is a
 * uint8 mask, 1 where CEM43 >= 240). Decision support only ({@link AblationResult#DISCLAIMER}).
 *
 * @param index frame number, from 1
 * @param timeS acquisition time of the frame (s, the session's clock)
 * @param temperature temperature map (°C)
 * @param cem43 accumulated CEM43 map (min)
 * @param damage accumulated Arrhenius Omega map
 * @param isodose240 voxels with CEM43 >= 240
 * @param lesionPercentCem240 share of the lesion voxels with CEM43 >= 240 (NaN without a lesion mask)
 * @param lesionPercentOmega1 share of the lesion voxels with Omega >= 1 (NaN without a lesion mask)
 * @param maxTemperatureC hottest voxel
 * @param maxCriticalTemperatureC hottest critical-structure voxel (NaN without a critical mask)
 * @param drift drift removed this frame, in °C: {@code [c0]} for MEAN, {@code [c0, cx, cy, cz]} per mm for
 *     PLANE, empty for NONE
 * @param alarms alarm messages (critical structure above its limit)
 */
public record ThermalFrame(int index, double timeS, Volume temperature, Volume cem43, Volume damage, Volume isodose240,
                           double lesionPercentCem240, double lesionPercentOmega1, double maxTemperatureC,
                           double maxCriticalTemperatureC, double[] drift, List<String> alarms) {

    public ThermalFrame {
        drift = drift.clone();
        alarms = List.copyOf(alarms);
    }

    @Override
    public double[] drift() {
        return drift.clone();
    }
}
