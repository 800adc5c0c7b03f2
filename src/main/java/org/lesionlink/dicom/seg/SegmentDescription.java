package org.lesionlink.dicom.seg;

import java.util.Objects;

/**
 * What one segment is: an item of (0062,0002) Segment Sequence, the Segment Description Macro of PS3.3
 * section C.8.20.2 (Table 10-25 in newer editions).
 *
 * @param number SegmentNumber: the label value in the labelmap; segments are numbered 1, 2, 3... in order
 * @param label SegmentLabel (LO), e.g. "Metastasis"
 * @param description SegmentDescription (ST), or {@code null}
 * @param category SegmentedPropertyCategoryCodeSequence, CID 7150
 * @param type SegmentedPropertyTypeCodeSequence, CID 7151
 * @param anatomicRegion AnatomicRegionSequence, or {@code null}
 * @param cieLab RecommendedDisplayCIELabValue as three 16-bit values (PS3.3 C.10.7.1.1), or {@code null}
 */
public record SegmentDescription(int number, String label, String description, Code category, Code type,
        Code anatomicRegion, int[] cieLab) {

    public SegmentDescription {
        if (number < 1 || number > 255) {
            throw new IllegalArgumentException("segment number must be 1..255 (a uint8 labelmap value), got " + number);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
        if (cieLab != null) {
            if (cieLab.length != 3) {
                throw new IllegalArgumentException("CIELab needs 3 values");
            }
            cieLab = cieLab.clone();
        }
    }

    /** A segment without description, anatomic region or colour. */
    public static SegmentDescription of(int number, String label, Code category, Code type) {
        return new SegmentDescription(number, label, null, category, type, null, null);
    }

    @Override
    public int[] cieLab() {
        return cieLab == null ? null : cieLab.clone();
    }

    /**
     * DICOM's scaled CIELab (PS3.3 C.10.7.1.1) for an sRGB colour (0..255 per channel): sRGB to linear, to
     * XYZ under D65, to L*a*b*, then L* 0..100 and a*, b* -128..127 scaled to 0..65535.
     */
    public static int[] cieLabFromRgb(int r, int g, int b) {
        double[] lin = {linear(r / 255.0), linear(g / 255.0), linear(b / 255.0)};
        double x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) * 100 / 95.047;
        double y = (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]) * 100 / 100.0;
        double z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) * 100 / 108.883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        double l = 116 * fy - 16;
        double a = 500 * (fx - fy);
        double bb = 200 * (fy - fz);
        return new int[] {clamp(l * 65535 / 100), clamp((a + 128) * 65535 / 255), clamp((bb + 128) * 65535 / 255)};
    }

    private static double linear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(65535, Math.round(v)));
    }
}
