package org.lesionlink.igtl.message;

/**
 * An orientation quaternion (OX, OY, OZ, W) as float32 on the wire (POSITION, QTDATA). Senders do not
 * always normalise it (the Debian TrackerServer2 sends (0, 0.667, 0.577, 0)); use {@link #normalized()}.
 */
public record Quaternion(float x, float y, float z, float w) {

    public static final Quaternion IDENTITY = new Quaternion(0, 0, 0, 1);

    public double norm() {
        return Math.sqrt((double) x * x + (double) y * y + (double) z * z + (double) w * w);
    }

    /** Unit quaternion in the same direction; the identity when the norm is zero or not finite. */
    public Quaternion normalized() {
        double n = norm();
        if (!(n > 0) || !Double.isFinite(n)) {
            return IDENTITY;
        }
        return new Quaternion((float) (x / n), (float) (y / n), (float) (z / n), (float) (w / n));
    }
}
