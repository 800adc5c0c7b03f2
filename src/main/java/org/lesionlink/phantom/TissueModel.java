package org.lesionlink.phantom;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.lesionlink.image.Affine;
import org.lesionlink.image.DataType;
import org.lesionlink.image.DistanceTransform;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Interpolation;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;

/**
 * Healthy-tissue fractions of the Colin27 head on a working grid, derived once per run and then sampled
 * by every case at its own (oblique) output grid. Immutable and thread-safe.
 *
 * <h2>How the classes are derived</h2>
 * <ul>
 *   <li><b>Brain</b>: the voxels where {@code ch2bet} is nonzero, as a fraction per working voxel.
 *   <li><b>CSF, grey and white matter inside the brain</b>: from {@code ch2better} when present (0 = CSF,
 *       nonzero split into grey and white by 2-means; the 0.5 mm voxels counted per working voxel give
 *       partial-volume fractions), otherwise from the head T1 by 3-means on the brain's intensities and a
 *       two-class linear partial-volume model between the cluster means.
 *   <li><b>Head</b>: everything not connected to the border of the image through air (intensity below
 *       6% of the 99th percentile), so the dark skull inside the scalp counts as head.
 *   <li><b>Outside the brain, inside the head</b>: 3-means on the head T1 into dark, intermediate and
 *       bright voxels: dark is {@link Tissue#CSF} within 3 mm of the brain (extra-axial CSF) and
 *       {@link Tissue#BONE} further out, intermediate is {@link Tissue#SOFT_TISSUE}, bright is
 *       {@link Tissue#FAT}; the same partial-volume model mixes neighbouring classes.
 * </ul>
 * Fractions are stored as bytes (1/255 steps). For lesion placement the model also keeps the depth of
 * every brain voxel (distance to the nearest non-brain voxel, mm) and lists of candidate centres at the
 * grey/white junction and in the parenchyma.
 */
public final class TissueModel {

    /** Dark voxels outside the brain mask but this close to it (mm) are CSF rather than bone. */
    static final double EXTRA_AXIAL_CSF_MM = 3;
    /** Air threshold as a fraction of the head's 99th intensity percentile. */
    static final double AIR_FRACTION = 0.06;

    private final Geometry grid;
    private final byte[] fractions; // [voxel * Tissue.COUNT + tissue], interleaved so one voxel is one cache line
    private final float[] depthMm;
    private final int[] junction;
    private final int[] parenchyma;
    private final double[] headMin;
    private final double[] headMax;
    private final double[] brainMin;
    private final double[] brainMax;

    private TissueModel(Geometry grid, byte[] fractions, float[] depthMm, int[] junction, int[] parenchyma,
            double[][] headBox, double[][] brainBox) {
        this.grid = grid;
        this.fractions = fractions;
        this.depthMm = depthMm;
        this.junction = junction;
        this.parenchyma = parenchyma;
        this.headMin = headBox[0];
        this.headMax = headBox[1];
        this.brainMin = brainBox[0];
        this.brainMax = brainBox[1];
    }

    /**
     * Reads the template and derives the model on a grid of {@code workingSpacing} mm (never finer than the
     * head image) covering the head image's field of view.
     */
    public static TissueModel build(ColinTemplate template, double workingSpacing) throws IOException {
        NiftiReader reader = new NiftiReader();
        Volume headImage = reader.readVolume(template.head());
        Geometry hg = headImage.geometry();
        double w = Math.max(workingSpacing, Math.min(hg.spacing(0), Math.min(hg.spacing(1), hg.spacing(2))));
        boolean sameGrid = Math.abs(w - hg.spacing(0)) < 1e-6 && Math.abs(w - hg.spacing(1)) < 1e-6
                && Math.abs(w - hg.spacing(2)) < 1e-6;
        Geometry grid = sameGrid ? hg : hg.withSpacing(new double[] {w, w, w});
        float[] head = Resampler.of(Interpolation.LINEAR).outputType(DataType.FLOAT32).resample(headImage, grid).toFloats(0);

        Volume brainImage = reader.readVolume(template.brain());
        float[] brainMask = brainImage.toFloats(0);
        for (int i = 0; i < brainMask.length; i++) {
            brainMask[i] = brainMask[i] > 0 ? 1f : 0f;
        }
        float[] brain = Resampler.of(Interpolation.LINEAR)
                .resample(Volume.ofFloats(brainImage.geometry(), brainMask), grid).toFloats(0);

        int n = head.length;
        int[] dims = grid.dims();
        boolean[] inBrain = new boolean[n];
        for (int i = 0; i < n; i++) {
            inBrain[i] = brain[i] >= 0.5f;
        }
        boolean[] inHead = headMask(head, dims);
        for (int i = 0; i < n; i++) {
            inHead[i] |= inBrain[i];
        }

        // Brain classes: CSF, GM, WM fractions (double per voxel would be large: floats).
        float[][] brainClasses = intensityBrainClasses(head, inBrain);
        if (template.greyWhiteImage().isPresent()) {
            refineWithGreyWhite(reader.readVolume(template.greyWhiteImage().get()), grid, brain, brainClasses);
        }

        // Outside the brain: dark / soft / fat by intensity.
        boolean[] outside = new boolean[n];
        for (int i = 0; i < n; i++) {
            outside[i] = inHead[i] && !inBrain[i];
        }
        double[] outMeans = IntensityClusters.kMeans(head, outside, 3);
        boolean[] notBrain = new boolean[n];
        for (int i = 0; i < n; i++) {
            notBrain[i] = !inBrain[i];
        }
        float[] distToBrain = DistanceTransform.distanceToOutside(notBrain, dims, grid.spacing());
        float[] depth = DistanceTransform.distanceToOutside(inBrain, dims, grid.spacing());

        byte[] fr = new byte[Tissue.COUNT * n];
        IntStream.range(0, dims[2]).parallel().forEach(k -> {
            double[] pv = new double[3];
            double[] f = new double[Tissue.COUNT];
            for (int i = k * dims[0] * dims[1], end = i + dims[0] * dims[1]; i < end; i++) {
                Arrays.fill(f, 0);
                double b = Math.min(1, Math.max(0, brain[i]));
                double h = inHead[i] ? 1 : 0;
                f[Tissue.CSF.ordinal()] += b * brainClasses[0][i];
                f[Tissue.GREY_MATTER.ordinal()] += b * brainClasses[1][i];
                f[Tissue.WHITE_MATTER.ordinal()] += b * brainClasses[2][i];
                double rest = (1 - b) * h;
                IntensityClusters.partialVolume(head[i], outMeans, pv);
                Tissue dark = distToBrain[i] <= EXTRA_AXIAL_CSF_MM ? Tissue.CSF : Tissue.BONE;
                f[dark.ordinal()] += rest * pv[0];
                f[Tissue.SOFT_TISSUE.ordinal()] += rest * pv[1];
                f[Tissue.FAT.ordinal()] += rest * pv[2];
                f[Tissue.BACKGROUND.ordinal()] += (1 - b) * (1 - h);
                for (int t = 0; t < Tissue.COUNT; t++) {
                    fr[i * Tissue.COUNT + t] = (byte) Math.round(255 * f[t]);
                }
            }
        });

        int[] junction = IntStream.range(0, n).filter(i -> inBrain[i]
                && brainClasses[1][i] >= 0.2f && brainClasses[2][i] >= 0.2f).toArray();
        int[] parenchyma = IntStream.range(0, n).filter(i -> inBrain[i]
                && brainClasses[1][i] + brainClasses[2][i] >= 0.7f).toArray();
        return new TissueModel(grid, fr, depth, junction, parenchyma, box(grid, inHead), box(grid, inBrain));
    }

    /** Voxels not reachable from the image border through air (6-connected flood fill). */
    static boolean[] headMask(float[] head, int[] d) {
        int n = head.length;
        float air = (float) (AIR_FRACTION * percentile(head, 0.99));
        boolean[] reached = new boolean[n];
        int[] queue = new int[n];
        int tail = 0;
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++) {
                    boolean border = i == 0 || j == 0 || k == 0 || i == d[0] - 1 || j == d[1] - 1 || k == d[2] - 1;
                    int idx = i + d[0] * (j + d[1] * k);
                    if (border && head[idx] < air) {
                        reached[idx] = true;
                        queue[tail++] = idx;
                    }
                }
            }
        }
        int sx = 1;
        int sy = d[0];
        int sz = d[0] * d[1];
        for (int head0 = 0; head0 < tail; head0++) {
            int idx = queue[head0];
            int i = idx % d[0];
            int j = (idx / d[0]) % d[1];
            int k = idx / sz;
            int[] nb = {i > 0 ? idx - sx : -1, i < d[0] - 1 ? idx + sx : -1, j > 0 ? idx - sy : -1,
                j < d[1] - 1 ? idx + sy : -1, k > 0 ? idx - sz : -1, k < d[2] - 1 ? idx + sz : -1};
            for (int m : nb) {
                if (m >= 0 && !reached[m] && head[m] < air) {
                    reached[m] = true;
                    queue[tail++] = m;
                }
            }
        }
        boolean[] inside = new boolean[n];
        for (int i = 0; i < n; i++) {
            inside[i] = !reached[i];
        }
        return inside;
    }

    /** The {@code q}-quantile of the values, to 1/4096 of their range. */
    static double percentile(float[] v, double q) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        int bins = 4096;
        double width = Math.max(hi - lo, 1e-6) / bins;
        long[] hist = new long[bins];
        for (float x : v) {
            hist[Math.min(bins - 1, (int) ((x - lo) / width))]++;
        }
        long target = (long) (q * v.length);
        long acc = 0;
        for (int b = 0; b < bins; b++) {
            acc += hist[b];
            if (acc > target) {
                return lo + (b + 0.5) * width;
            }
        }
        return hi;
    }

    /** CSF/GM/WM fractions from the head T1 by 3-means inside the brain. */
    private static float[][] intensityBrainClasses(float[] head, boolean[] inBrain) {
        double[] means = IntensityClusters.kMeans(head, inBrain, 3);
        int n = head.length;
        float[][] c = new float[3][n];
        double[] pv = new double[3];
        for (int i = 0; i < n; i++) {
            IntensityClusters.partialVolume(head[i], means, pv);
            c[0][i] = (float) pv[0];
            c[1][i] = (float) pv[1];
            c[2][i] = (float) pv[2];
        }
        return c;
    }

    /**
     * Replaces the brain class fractions by counts of the finer grey/white image's voxels per working voxel
     * (0 = CSF; nonzero split by 2-means), wherever the working voxel is covered by it.
     */
    private static void refineWithGreyWhite(Volume gw, Geometry grid, float[] brain, float[][] classes) {
        float[] v = gw.toFloats(0);
        boolean[] nonzero = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            nonzero[i] = v[i] > 0;
        }
        double[] m = IntensityClusters.kMeans(v, nonzero, 2);
        float split = (float) ((m[0] + m[1]) / 2);
        int[] d = gw.geometry().dims();
        int[] wd = grid.dims();
        int n = classes[0].length;
        short[][] count = new short[3][n];
        Affine map = Resampler.indexMapping(grid, gw.geometry());
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                int src = d[0] * (j + d[1] * k);
                double[] p = map.apply(0, j, k);
                for (int i = 0; i < d[0]; i++, src++) {
                    int wi = (int) Math.floor(p[0] + i * map.get(0, 0) + 0.5);
                    int wj = (int) Math.floor(p[1] + i * map.get(1, 0) + 0.5);
                    int wk = (int) Math.floor(p[2] + i * map.get(2, 0) + 0.5);
                    if (wi < 0 || wj < 0 || wk < 0 || wi >= wd[0] || wj >= wd[1] || wk >= wd[2]) {
                        continue;
                    }
                    int dst = wi + wd[0] * (wj + wd[1] * wk);
                    int cls = v[src] <= 0 ? 0 : (v[src] < split ? 1 : 2);
                    if (count[cls][dst] < Short.MAX_VALUE) {
                        count[cls][dst]++;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int total = count[0][i] + count[1][i] + count[2][i];
            if (total > 0 && brain[i] > 0) {
                for (int c = 0; c < 3; c++) {
                    classes[c][i] = (float) count[c][i] / total;
                }
            }
        }
    }

    /** RAS bounding box {min, max} of the voxel boxes where {@code mask} holds. */
    private static double[][] box(Geometry g, boolean[] mask) {
        int[] d = g.dims();
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int k = 0, idx = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++, idx++) {
                    if (mask[idx]) {
                        lo[0] = Math.min(lo[0], i);
                        hi[0] = Math.max(hi[0], i);
                        lo[1] = Math.min(lo[1], j);
                        hi[1] = Math.max(hi[1], j);
                        lo[2] = Math.min(lo[2], k);
                        hi[2] = Math.max(hi[2], k);
                    }
                }
            }
        }
        if (hi[0] < 0) {
            throw new IllegalArgumentException("the template has an empty " + (mask.length > 0 ? "mask" : "grid"));
        }
        for (int c = 0; c < 8; c++) {
            double[] p = g.toRas((c & 1) == 0 ? lo[0] - 0.5 : hi[0] + 0.5, (c & 2) == 0 ? lo[1] - 0.5 : hi[1] + 0.5,
                    (c & 4) == 0 ? lo[2] - 0.5 : hi[2] + 0.5);
            for (int a = 0; a < 3; a++) {
                min[a] = Math.min(min[a], p[a]);
                max[a] = Math.max(max[a], p[a]);
            }
        }
        return new double[][] {min, max};
    }

    // ---- queries ------------------------------------------------------------------------------------

    /** The working grid (axis-aligned like the template, template RAS). */
    public Geometry grid() {
        return grid;
    }

    /** RAS {min, max} corners of the head (voxels inside the scalp). */
    public double[][] headBox() {
        return new double[][] {headMin.clone(), headMax.clone()};
    }

    /** RAS {min, max} corners of the brain mask. */
    public double[][] brainBox() {
        return new double[][] {brainMin.clone(), brainMax.clone()};
    }

    /**
     * Tissue fractions at a continuous working-grid index (trilinear, clamped at the edge; background outside
     * the grid). Writes {@link Tissue#COUNT} values summing to about 1.
     */
    public void fractionsAtIndex(double x, double y, double z, float[] out) {
        int[] d = grid.dims();
        if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= d[0] - 0.5 && y <= d[1] - 0.5 && z <= d[2] - 0.5)) {
            Arrays.fill(out, 0);
            out[Tissue.BACKGROUND.ordinal()] = 1;
            return;
        }
        double cx = Math.min(Math.max(x, 0), d[0] - 1);
        double cy = Math.min(Math.max(y, 0), d[1] - 1);
        double cz = Math.min(Math.max(z, 0), d[2] - 1);
        int i = (int) cx;
        int j = (int) cy;
        int k = (int) cz;
        double tx = cx - i;
        double ty = cy - j;
        double tz = cz - k;
        int sx = i < d[0] - 1 ? 1 : 0;
        int sy = j < d[1] - 1 ? d[0] : 0;
        int sz = k < d[2] - 1 ? d[0] * d[1] : 0;
        final int c = Tissue.COUNT;
        int b = (i + d[0] * (j + d[1] * k)) * c;
        sx *= c;
        sy *= c;
        sz *= c;
        double w000 = (1 - tx) * (1 - ty) * (1 - tz);
        double w100 = tx * (1 - ty) * (1 - tz);
        double w010 = (1 - tx) * ty * (1 - tz);
        double w110 = tx * ty * (1 - tz);
        double w001 = (1 - tx) * (1 - ty) * tz;
        double w101 = tx * (1 - ty) * tz;
        double w011 = (1 - tx) * ty * tz;
        double w111 = tx * ty * tz;
        byte[] f = fractions;
        for (int t = 0; t < c; t++, b++) {
            double s = w000 * (f[b] & 0xFF) + w100 * (f[b + sx] & 0xFF) + w010 * (f[b + sy] & 0xFF)
                    + w110 * (f[b + sy + sx] & 0xFF) + w001 * (f[b + sz] & 0xFF) + w101 * (f[b + sz + sx] & 0xFF)
                    + w011 * (f[b + sz + sy] & 0xFF) + w111 * (f[b + sz + sy + sx] & 0xFF);
            out[t] = (float) (s / 255);
        }
    }

    /** Tissue fractions at a RAS point. */
    public float[] fractionsAt(double[] ras) {
        double[] p = grid.rasToIjk().apply(ras[0], ras[1], ras[2]);
        float[] out = new float[Tissue.COUNT];
        fractionsAtIndex(p[0], p[1], p[2], out);
        return out;
    }

    /** Fraction of brain (CSF, GM or WM inside the brain mask or next to it) at a RAS point. */
    public double brainFractionAt(double[] ras) {
        float[] f = fractionsAt(ras);
        return f[Tissue.GREY_MATTER.ordinal()] + f[Tissue.WHITE_MATTER.ordinal()] + f[Tissue.CSF.ordinal()];
    }

    /** Distance (mm) from the nearest working voxel centre to the outside of the brain mask; 0 outside. */
    public double depthAt(double[] ras) {
        double[] p = grid.rasToIjk().apply(ras[0], ras[1], ras[2]);
        int[] d = grid.dims();
        int i = (int) Math.floor(p[0] + 0.5);
        int j = (int) Math.floor(p[1] + 0.5);
        int k = (int) Math.floor(p[2] + 0.5);
        if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2]) {
            return 0;
        }
        return depthMm[i + d[0] * (j + d[1] * k)];
    }

    /** Number of candidate lesion centres at the grey/white junction. */
    int junctionCount() {
        return junction.length;
    }

    /** RAS centre of a random junction voxel (grey and white matter both at least 20%). */
    double[] randomJunction(java.util.SplittableRandom r) {
        return centreOf(junction[r.nextInt(junction.length)]);
    }

    /** RAS centre of a random parenchyma voxel (grey plus white matter at least 70%). */
    double[] randomParenchyma(java.util.SplittableRandom r) {
        return centreOf(parenchyma[r.nextInt(parenchyma.length)]);
    }

    private double[] centreOf(int index) {
        int[] d = grid.dims();
        return grid.toRas(index % d[0], (index / d[0]) % d[1], index / (d[0] * d[1]));
    }
}
