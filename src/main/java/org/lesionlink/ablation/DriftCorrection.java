package org.lesionlink.ablation;

/**
 * How the phase drift (B0 drift, which PRF thermometry would read as temperature) is removed, using a
 * reference region the user knows to be unheated.
 */
public enum DriftCorrection {
    /** No correction. */
    NONE,
    /** Subtract the mean phase difference inside the reference region (a uniform drift). */
    MEAN,
    /**
     * Fit {@code c0 + cx x + cy y + cz z} (RAS mm) to the phase difference inside the reference region by
     * least squares and subtract it everywhere (a spatially linear drift); needs reference voxels that span
     * three dimensions.
     */
    PLANE
}
