package org.lesionlink.phantom;

/**
 * Settings of the brain phantom.
 *
 * @param spacing output voxel size in mm along the grid's i, j, k axes
 * @param minLesions fewest metastases per case (at least 1)
 * @param maxLesions most metastases per case
 * @param minDiameterMm smallest enhancing-lesion diameter
 * @param maxDiameterMm largest enhancing-lesion diameter
 * @param maxRotationDeg largest rotation of the field of view about each axis
 * @param maxShiftMm largest shift of the field of view's centre along each axis
 */
public record BrainParams(double[] spacing, int minLesions, int maxLesions, double minDiameterMm, double maxDiameterMm,
        double maxRotationDeg, double maxShiftMm) {

    public BrainParams {
        spacing = spacing.clone();
        if (spacing.length != 3) {
            throw new IllegalArgumentException("spacing needs 3 values, got " + spacing.length);
        }
        for (double s : spacing) {
            if (!(s >= 0.25 && s <= 8)) {
                throw new IllegalArgumentException("spacing must be between 0.25 and 8 mm, got " + s);
            }
        }
        if (minLesions < 1 || maxLesions < minLesions) {
            throw new IllegalArgumentException("lesion count range must satisfy 1 <= min <= max, got " + minLesions + ".." + maxLesions);
        }
        if (!(minDiameterMm > 0) || maxDiameterMm < minDiameterMm) {
            throw new IllegalArgumentException("diameter range must satisfy 0 < min <= max, got " + minDiameterMm + ".." + maxDiameterMm);
        }
        if (!(maxRotationDeg >= 0 && maxRotationDeg <= 45) || !(maxShiftMm >= 0)) {
            throw new IllegalArgumentException("rotation must be 0..45 degrees and shift >= 0 mm");
        }
    }

    /** 1-8 metastases of 2-40 mm, rotation up to 15 degrees, shift up to 10 mm, at the given spacing. */
    public static BrainParams defaults(double[] spacing) {
        return new BrainParams(spacing, 1, 8, 2, 40, 15, 10);
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }

    double maxSpacing() {
        return Math.max(spacing[0], Math.max(spacing[1], spacing[2]));
    }
}
