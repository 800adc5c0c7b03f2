package org.lesionlink.image;

import java.util.Locale;

/**
 * Voxel storage types that LesionLink keeps in memory without conversion. Values are always stored
 * little-endian; readers of big-endian formats swap on input.
 */
public enum DataType {
    UINT8(1, true, 0, 255),
    INT16(2, true, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16(2, true, 0, 65535),
    INT32(4, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(4, false, -Float.MAX_VALUE, Float.MAX_VALUE),
    FLOAT64(8, false, -Double.MAX_VALUE, Double.MAX_VALUE);

    private final int bytes;
    private final boolean integer;
    private final double min;
    private final double max;

    DataType(int bytes, boolean integer, double min, double max) {
        this.bytes = bytes;
        this.integer = integer;
        this.min = min;
        this.max = max;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isInteger() {
        return integer;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Lower-case name as used in JSON output and on the command line, e.g. {@code int16}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DataType fromId(String id) {
        for (DataType t : values()) {
            if (t.id().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown data type '" + id + "' (expected one of uint8, int16, uint16, int32, float32, float64)");
    }

    /** Rounds and clamps {@code v} into this type's range (identity for floating types). */
    public double clamp(double v) {
        if (!integer) {
            return this == FLOAT32 ? (float) v : v;
        }
        if (Double.isNaN(v)) {
            return 0;
        }
        double r = Math.rint(v) + 0.0; // + 0.0: no -0.0 for an integer type (rint(-0.3) is -0.0)
        return r < min ? min : Math.min(r, max);
    }
}
