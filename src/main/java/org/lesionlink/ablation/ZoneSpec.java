package org.lesionlink.ablation;

import java.util.List;
import java.util.Objects;

/**
 * The predicted ablation zone of one ablation in the applicator's frame: a rigid ellipsoid with semi-axes
 * {@code a} (along the probe x axis), {@code b} (probe y) and {@code c} (along the applicator axis), whose
 * centre lies {@code offsetMm} <em>behind</em> the tip (towards the shaft; negative would put it beyond the
 * tip).
 *
 * @param source where the numbers come from (a device-table row, an interpolation between rows, or the user)
 */
public record ZoneSpec(double a, double b, double c, double offsetMm, Source source) {

    public ZoneSpec {
        for (double s : new double[] {a, b, c}) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("zone semi-axes must be positive and finite (mm), got " + a + ", " + b + ", " + c);
            }
        }
        if (!Double.isFinite(offsetMm)) {
            throw new IllegalArgumentException("zone offset must be finite, got " + offsetMm);
        }
        Objects.requireNonNull(source, "source");
    }

    /** A zone given directly (e.g. {@code --zone A,B,C,OFFSET}); unverified by definition. */
    public static ZoneSpec manual(double a, double b, double c, double offsetMm) {
        return new ZoneSpec(a, b, c, offsetMm, new Source("manual", Double.NaN, Double.NaN, List.of(),
                "given by the user", false, false));
    }

    /** Analytic volume {@code 4/3 pi a b c} in millilitres. */
    public double volumeMl() {
        return 4.0 / 3.0 * Math.PI * a * b * c / 1000.0;
    }

    /**
     * Provenance of a zone.
     *
     * @param device device id, or "manual"
     * @param powerW requested power (NaN for manual zones)
     * @param timeS requested time (NaN for manual zones)
     * @param rows the table rows used, as "device P W t s" (one row when exact, up to four when interpolated)
     * @param provenance the rows' sources joined
     * @param verified true only if every row used is marked verified
     * @param interpolated whether the values were interpolated between rows
     */
    public record Source(String device, double powerW, double timeS, List<String> rows, String provenance,
                         boolean verified, boolean interpolated) {
        public Source {
            Objects.requireNonNull(device, "device");
            rows = List.copyOf(rows);
            Objects.requireNonNull(provenance, "provenance");
        }
    }
}
