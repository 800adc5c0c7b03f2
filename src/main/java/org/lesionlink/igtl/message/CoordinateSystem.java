package org.lesionlink.igtl.message;

/**
 * The IMAGE coordinate byte ("image.md"): 1 RAS, 2 LPS. Slicer ignores it and treats everything as RAS;
 * LesionLink converts LPS to RAS on receipt and always sends RAS.
 */
public enum CoordinateSystem {
    RAS(1),
    LPS(2);

    private final int code;

    CoordinateSystem(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static CoordinateSystem fromCode(int code) {
        return switch (code) {
            case 1 -> RAS;
            case 2 -> LPS;
            default -> throw new IllegalArgumentException("unknown IMAGE coordinate system " + code + " (1 RAS, 2 LPS)");
        };
    }
}
