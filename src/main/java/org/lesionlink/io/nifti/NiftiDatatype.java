package org.lesionlink.io.nifti;

import java.util.Optional;
import org.lesionlink.image.DataType;

/**
 * The NIfTI {@code datatype} codes (nifti1.h {@code DT_*}, shared by NIfTI-2) and how LesionLink keeps each
 * in memory.
 *
 * <p>The six {@link DataType}s are kept as they are. The others are widened only where every value
 * survives exactly: int8 to int16, uint32 to float64 (32 bits fit in a double's 53-bit mantissa), int64 and
 * uint64 to float64 only when each voxel is exactly representable (checked while reading; otherwise the read
 * fails). RGB24 and RGBA32 become 3 or 4 uint8 channels. Bit-packed, complex and float128 data are refused.
 */
public enum NiftiDatatype {
    BINARY(1, 1, null, 1),
    UINT8(2, 8, DataType.UINT8, 1),
    INT16(4, 16, DataType.INT16, 1),
    INT32(8, 32, DataType.INT32, 1),
    FLOAT32(16, 32, DataType.FLOAT32, 1),
    COMPLEX64(32, 64, null, 1),
    FLOAT64(64, 64, DataType.FLOAT64, 1),
    RGB24(128, 24, DataType.UINT8, 3),
    INT8(256, 8, DataType.INT16, 1),
    UINT16(512, 16, DataType.UINT16, 1),
    UINT32(768, 32, DataType.FLOAT64, 1),
    INT64(1024, 64, DataType.FLOAT64, 1),
    UINT64(1280, 64, DataType.FLOAT64, 1),
    FLOAT128(1536, 128, null, 1),
    COMPLEX128(1792, 128, null, 1),
    COMPLEX256(2048, 256, null, 1),
    RGBA32(2304, 32, DataType.UINT8, 4);

    private final int code;
    private final int bitpix;
    private final DataType storedAs;
    private final int components;

    NiftiDatatype(int code, int bitpix, DataType storedAs, int components) {
        this.code = code;
        this.bitpix = bitpix;
        this.storedAs = storedAs;
        this.components = components;
    }

    /** The value of the header's {@code datatype} field. */
    public int code() {
        return code;
    }

    /** The {@code bitpix} that goes with this code (bits per voxel in the file). */
    public int bitpix() {
        return bitpix;
    }

    /** Bytes per voxel in the file (all components together); 0 for bit-packed data. */
    public int fileBytes() {
        return bitpix / 8;
    }

    /** The nifti1.h name, e.g. {@code DT_INT16}. */
    public String niftiName() {
        return "DT_" + name();
    }

    /** Whether LesionLink can load this datatype. */
    public boolean isSupported() {
        return storedAs != null;
    }

    /** The in-memory type of each channel, or empty for a datatype LesionLink refuses. */
    public Optional<DataType> storedAs() {
        return Optional.ofNullable(storedAs);
    }

    /** Channels per voxel: 3 for RGB24, 4 for RGBA32, else 1. */
    public int components() {
        return components;
    }

    /** Whether the in-memory values are a wider type than the file's (int8, uint32, int64, uint64). */
    public boolean isWidened() {
        return storedAs != null && storedAs.bytes() * components != fileBytes();
    }

    public static Optional<NiftiDatatype> fromCode(int code) {
        for (NiftiDatatype t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The NIfTI code that stores a {@link DataType} unchanged (what the writer uses). */
    public static NiftiDatatype of(DataType type) {
        return switch (type) {
            case UINT8 -> UINT8;
            case INT16 -> INT16;
            case UINT16 -> UINT16;
            case INT32 -> INT32;
            case FLOAT32 -> FLOAT32;
            case FLOAT64 -> FLOAT64;
        };
    }
}
