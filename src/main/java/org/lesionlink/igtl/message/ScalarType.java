package org.lesionlink.igtl.message;

/**
 * Scalar type codes of IMAGE, IMGMETA and NDARRAY ("image.md", "ndarray.md"). The codes deliberately
 * equal VTK's type constants. {@link #COMPLEX} (two float64) exists only in NDARRAY.
 */
public enum ScalarType {
    INT8(2, 1),
    UINT8(3, 1),
    INT16(4, 2),
    UINT16(5, 2),
    INT32(6, 4),
    UINT32(7, 4),
    FLOAT32(10, 4),
    FLOAT64(11, 8),
    COMPLEX(13, 16);

    private final int code;
    private final int bytes;

    ScalarType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    /** Size of one value in bytes. */
    public int bytes() {
        return bytes;
    }

    public static ScalarType fromCode(int code) {
        for (ScalarType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown scalar type code " + code
                + " (expected 2 int8, 3 uint8, 4 int16, 5 uint16, 6 int32, 7 uint32, 10 float32, 11 float64, 13 complex)");
    }
}
