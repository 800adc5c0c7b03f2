package org.lesionlink.dicom.volume;

import java.util.Objects;

/**
 * Why a series (or a stack of it) was not turned into a volume: a machine-readable {@link Reason} and a message
 * for people that names the series, what was found and, where there is one, what to do about it.
 */
public record Refusal(Reason reason, String message) {

    /** The kinds of refusal; the message says the specifics. */
    public enum Reason {
        /** No (7FE0,0010) Pixel Data (header stubs, non-image objects such as SR or a DICOMDIR). */
        NO_PIXEL_DATA,
        /** Encapsulated pixel data; decoding JPEG, JPEG-LS, JPEG 2000, RLE... is out of scope. */
        COMPRESSED,
        /** More than one sample per pixel (RGB, YBR): not a scalar image. */
        MULTI_SAMPLE,
        /** Pixels LesionLink does not read: BitsAllocated other than 8/16/32, float pixel data, palette colour. */
        UNSUPPORTED_PIXELS,
        /** Pixel data shorter than Rows x Columns x frames x BitsAllocated/8. */
        TRUNCATED_PIXELS,
        /** Rows, Columns, bit depth or signedness differ between slices. */
        INCONSISTENT_PIXELS,
        /** No usable ImagePositionPatient / ImageOrientationPatient / PixelSpacing (e.g. CR, secondary capture). */
        NO_GEOMETRY,
        /** Slices with different orientations (non-parallel, rotated in plane, or flipped). */
        MIXED_ORIENTATION,
        /** Slices with different in-plane pixel spacing. */
        MIXED_PIXEL_SPACING,
        /** Slice positions drift across the image plane: the stack is sheared (CT gantry tilt). */
        GANTRY_TILT,
        /** Two or more slices at the same position (several echoes, phases or acquisitions in one series). */
        DUPLICATE_POSITIONS,
        /** A gap of about two or more slice spacings: slices are missing. */
        MISSING_SLICES,
        /** Slice spacing is not uniform within the tolerance, without a gap that looks like missing slices. */
        IRREGULAR_SPACING,
        /** Multi-frame without per-frame functional groups (legacy multi-frame, NM, RT Dose). */
        UNSUPPORTED_MULTIFRAME,
        /** RescaleSlope of zero or not a number. */
        INVALID_RESCALE,
        /** The file could not be read again for its pixel data (deleted or changed since the scan). */
        UNREADABLE
    }

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
