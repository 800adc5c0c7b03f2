package org.lesionlink.cli;

import java.util.Arrays;
import java.util.Locale;

/** Small argument checks shared by commands; each failure names the option. */
final class Cli {
    private Cli() {}

    /** One value for all three axes, or three values. */
    static double[] threeValues(String option, double[] values) {
        if (values.length == 1) {
            return new double[] {values[0], values[0], values[0]};
        }
        if (values.length != 3) {
            throw new IllegalArgumentException(option + " takes one value or three (x,y,z), got " + values.length);
        }
        return values.clone();
    }

    /** Upper-case enum constant name for a lower-case choice, or an error listing the choices. */
    static String enumName(String option, String value, String... choices) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(choices).contains(v)) {
            throw new IllegalArgumentException(option + " must be one of " + String.join(", ", choices) + ", got '" + value + "'");
        }
        return v.toUpperCase(Locale.ROOT);
    }
}
