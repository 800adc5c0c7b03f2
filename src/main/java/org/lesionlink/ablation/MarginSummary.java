package org.lesionlink.ablation;

/**
 * Coverage and margins of a lesion by an ablation zone.
 *
 * @param coveragePercent 100 * covered / lesion voxels
 * @param lesionVoxels number of lesion voxels
 * @param coveredVoxels lesion voxels whose centre lies inside the zone
 * @param minMarginMm MAM: the smallest signed distance (positive inside the zone) over the lesion surface
 *     voxel centres
 * @param minMarginRas the surface voxel centre where it occurs
 * @param fractionBelow0 share of surface voxels with margin {@code < 0} (tumour left outside)
 * @param fraction0To5 share with {@code 0 <= margin < 5} mm
 * @param fractionAtLeast5 share with margin {@code >= 5} mm
 * @param surfaceVoxels number of lesion surface voxels
 */
public record MarginSummary(double coveragePercent, int lesionVoxels, int coveredVoxels, double minMarginMm,
                            Point3 minMarginRas, double fractionBelow0, double fraction0To5, double fractionAtLeast5,
                            int surfaceVoxels) {

    /** The margin above which a surface voxel counts as adequately covered (mm), as in liver practice. */
    public static final double MARGIN_GOAL_MM = 5;

    /** Summary from per-surface-voxel margins (mm) and the coverage count. */
    static MarginSummary of(int lesionVoxels, int covered, double[] margins, double[][] surface) {
        double min = Double.POSITIVE_INFINITY;
        int arg = -1;
        int below0 = 0;
        int below5 = 0;
        for (int i = 0; i < margins.length; i++) {
            double d = margins[i];
            if (d < min) {
                min = d;
                arg = i;
            }
            if (d < 0) {
                below0++;
            } else if (d < MARGIN_GOAL_MM) {
                below5++;
            }
        }
        int n = margins.length;
        return new MarginSummary(100.0 * covered / lesionVoxels, lesionVoxels, covered, min,
                new Point3(surface[0][arg], surface[1][arg], surface[2][arg]),
                (double) below0 / n, (double) below5 / n, (double) (n - below0 - below5) / n, n);
    }
}
