package org.lesionlink.ablation;

import java.util.Objects;

/**
 * One row of a device table: the zone predicted for a device at one power and time.
 *
 * @param device device id (case-insensitive match), e.g. {@code covidien-mwa}
 * @param modality e.g. {@code microwave}, {@code rf}, {@code laser}
 * @param tissue what the numbers were measured in, e.g. {@code ex vivo liver (brochure)}
 * @param powerW generator power in W
 * @param timeS ablation time in s
 * @param a semi-axis along the probe x axis (mm)
 * @param b semi-axis along the probe y axis (mm)
 * @param c semi-axis along the applicator axis (mm)
 * @param offsetMm zone centre behind (proximal to) the tip (mm)
 * @param provenance the public source of the numbers
 * @param verified whether the numbers were checked against the manufacturer's current documentation
 */
public record DeviceRow(String device, String modality, String tissue, double powerW, double timeS,
                        double a, double b, double c, double offsetMm, String provenance, boolean verified) {

    public DeviceRow {
        Objects.requireNonNull(device, "device");
        if (device.isBlank()) {
            throw new IllegalArgumentException("device table row without a device name");
        }
        if (!(powerW >= 0) || !(timeS > 0) || !Double.isFinite(powerW) || !Double.isFinite(timeS)) {
            throw new IllegalArgumentException("device '" + device + "': power must be >= 0 and time > 0, got "
                    + powerW + " W, " + timeS + " s");
        }
        if (!(a > 0) || !(b > 0) || !(c > 0)) {
            throw new IllegalArgumentException("device '" + device + "' " + powerW + " W " + timeS
                    + " s: semi-axes must be positive, got " + a + ", " + b + ", " + c);
        }
        if (provenance == null || provenance.isBlank()) {
            throw new IllegalArgumentException("device '" + device + "' " + powerW + " W " + timeS
                    + " s: every row needs a provenance (its source)");
        }
        modality = modality == null ? "" : modality;
        tissue = tissue == null ? "" : tissue;
    }

    /** "device P W t s", as used in reports. */
    public String label() {
        return device + " " + fmt(powerW) + " W " + fmt(timeS) + " s";
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
