package org.lesionlink.image;

/**
 * How {@link Resampler} reads a value between voxel centres.
 *
 * <p>All three share one domain rule: a point is inside the source when its continuous index lies in
 * {@code [-0.5, n - 0.5]} on every axis, i.e. inside the box covered by the source voxels (the rule ITK's
 * image functions use). Points outside get the resampler's fill value. What happens in the half-voxel
 * band between the outermost voxel centres and that box is described per constant.
 */
public enum Interpolation {

    /**
     * The value of the nearest voxel centre (ties round up). Output values are always copies of input
     * values or the fill value, so this is the only choice for label maps.
     */
    NEAREST,

    /**
     * Trilinear interpolation of the 8 surrounding voxel centres. In the half-voxel band at the edge the
     * coordinate is clamped to the outermost centre (clamp-to-edge, equal to scipy.ndimage's
     * {@code mode='nearest'} there), so the edge value extends to the box instead of fading into the fill.
     * Reproduces functions that are linear in space exactly.
     */
    LINEAR,

    /**
     * Cubic B-spline interpolation (64 neighbours). The samples are first turned into B-spline
     * coefficients by the exact recursive prefilter of Unser, Aldroubi and Eden (1991), so the spline
     * passes through every sample. Beyond the edges the signal is extended mirror-symmetrically about the
     * outermost centres ({@code ... c b | a b c ... | ... y z | y x ...}), as scipy.ndimage's
     * {@code mode='mirror'} and ITK's B-spline interpolator do; this extension also gives the values in the
     * half-voxel band. Smooth, but overshoots at sharp edges (integer outputs are clamped to their type).
     * Coefficients are kept in float32, so precision is that of float32 (about 7 significant digits).
     */
    BSPLINE
}
