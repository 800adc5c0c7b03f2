package org.lesionlink.igtl.message;

/** Three float32 values as they travel on the wire (a position in mm or a scaled axis). */
public record Vec3(float x, float y, float z) {

    public static final Vec3 ZERO = new Vec3(0, 0, 0);

    public static Vec3 of(double x, double y, double z) {
        return new Vec3((float) x, (float) y, (float) z);
    }

    public double length() {
        return Math.sqrt((double) x * x + (double) y * y + (double) z * z);
    }

    public double[] toArray() {
        return new double[] {x, y, z};
    }
}
