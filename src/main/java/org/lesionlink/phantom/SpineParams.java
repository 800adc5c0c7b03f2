package org.lesionlink.phantom;

/**
 * Settings of the spine phantom.
 *
 * @param spacing output voxel size in mm along the grid's i, j, k axes
 * @param minVertebrae fewest whole vertebrae in the field of view (one more is cut at each end)
 * @param maxVertebrae most whole vertebrae
 * @param minLesions fewest metastases per case (at least 1)
 * @param maxLesions most metastases per case (at most one per whole vertebra is used)
 * @param maxRotationDeg largest rotation of the field of view about each axis
 * @param maxShiftMm largest shift of the field of view's centre along each axis
 */
public record SpineParams(double[] spacing, int minVertebrae, int maxVertebrae, int minLesions, int maxLesions,
        double maxRotationDeg, double maxShiftMm) {

    public SpineParams {
        spacing = spacing.clone();
        if (spacing.length != 3) {
            throw new IllegalArgumentException("spacing needs 3 values, got " + spacing.length);
        }
        for (double s : spacing) {
            if (!(s >= 0.25 && s <= 8)) {
                throw new IllegalArgumentException("spacing must be between 0.25 and 8 mm, got " + s);
            }
        }
        if (minVertebrae < 1 || maxVertebrae < minVertebrae || maxVertebrae > 12) {
            throw new IllegalArgumentException("vertebra count range must satisfy 1 <= min <= max <= 12, got "
                    + minVertebrae + ".." + maxVertebrae);
        }
        if (minLesions < 1 || maxLesions < minLesions) {
            throw new IllegalArgumentException("lesion count range must satisfy 1 <= min <= max, got " + minLesions + ".." + maxLesions);
        }
        if (!(maxRotationDeg >= 0 && maxRotationDeg <= 45) || !(maxShiftMm >= 0)) {
            throw new IllegalArgumentException("rotation must be 0..45 degrees and shift >= 0 mm");
        }
    }

    /** 4-6 vertebrae, 1-4 metastases, rotation up to 15 degrees, shift up to 10 mm, at the given spacing. */
    public static SpineParams defaults(double[] spacing) {
        return new SpineParams(spacing, 4, 6, 1, 4, 15, 10);
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }
}
