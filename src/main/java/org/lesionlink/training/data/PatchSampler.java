package org.lesionlink.training.data;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.lesionlink.inference.post.Components;

/**
 * Cuts training patches out of a case, with nnU-Net's foreground oversampling and the spatial part of its
 * augmentation (rotation, scaling) folded into the cut, so that rotated patches see real context rather
 * than padding.
 *
 * <p><b>Where.</b> A foreground patch is centred on a voxel of a label drawn uniformly among the labels
 * present in the case, the voxel uniformly among that label's voxels (nnU-Net picks a class first too, so
 * small classes are not drowned by large ones); with {@link Foreground#LESION} one of that label's
 * 26-connected components is drawn uniformly first, then a voxel of it, so that a lesion of a few voxels is
 * the centre as often as one of thousands, as the lesion-wise metrics weigh them. Any other patch has a
 * uniformly random position inside the case. Positions are then clamped so the unrotated patch lies inside the case where the case is large
 * enough; where it is smaller the patch is centred and the rest is zero (label 0).
 *
 * <p><b>Spatial augmentation.</b> With probability {@code pRotation} the sampling grid is rotated about
 * the patch centre by angles uniform in {@code ±maxAngle} about each axis; with probability {@code pScale}
 * it is scaled by a factor uniform in {@code [minScale, maxScale]} (above 1 the patch covers more tissue,
 * i.e. zooms out). Images are read trilinearly (0 outside the case), labels by nearest neighbour (0
 * outside), so labels stay in the case's label set.
 */
public final class PatchSampler {

    /**
     * @param pRotation probability of a rotation (nnU-Net: 0.2)
     * @param maxAngle largest angle about each axis, radians (nnU-Net 3D: 30 degrees)
     * @param pScale probability of a scaling (nnU-Net: 0.2)
     * @param minScale smallest factor (nnU-Net: 0.7)
     * @param maxScale largest factor (nnU-Net: 1.4)
     */
    public record Spatial(double pRotation, double maxAngle, double pScale, double minScale, double maxScale) {
        public static Spatial nnUNet() {
            return new Spatial(0.2, Math.toRadians(30), 0.2, 0.7, 1.4);
        }

        public static Spatial none() {
            return new Spatial(0, 0, 0, 1, 1);
        }
    }

    /** How a foreground centre is drawn, once its label is drawn. */
    public enum Foreground {
        /** Uniformly among the label's voxels (nnU-Net). */
        VOXEL,
        /** Uniformly among the label's 26-connected components, then among the component's voxels. */
        LESION
    }

    private final int[] patch;
    private final Spatial spatial;
    private final Foreground mode;
    /** Per case: per label present, its voxel pools (one pool, or one per component). */
    private final Map<TrainingCase, int[][][]> foreground = new IdentityHashMap<>();

    public PatchSampler(int[] patch, Spatial spatial) {
        this(patch, spatial, Foreground.VOXEL);
    }

    public PatchSampler(int[] patch, Spatial spatial, Foreground mode) {
        this.patch = patch.clone();
        this.spatial = spatial;
        this.mode = mode;
    }

    /** A patch of {@code c}; {@code forceForeground} centres it on a labelled voxel when the case has one. */
    public Patch sample(TrainingCase c, boolean forceForeground, SplittableRandom rng) {
        int[] d = c.dims();
        double[] centre = new double[3];
        int[][][] fg = foregroundOf(c);
        if (forceForeground && fg.length > 0) {
            int[][] pools = fg[rng.nextInt(fg.length)];
            int[] voxels = pools.length == 1 ? pools[0] : pools[rng.nextInt(pools.length)];
            int v = voxels[rng.nextInt(voxels.length)];
            int[] ijk = {v % d[0], (v / d[0]) % d[1], v / (d[0] * d[1])};
            for (int a = 0; a < 3; a++) {
                centre[a] = clampCentre(ijk[a], d[a], patch[a]);
            }
        } else {
            for (int a = 0; a < 3; a++) {
                int start = d[a] >= patch[a] ? rng.nextInt(d[a] - patch[a] + 1) : 0;
                centre[a] = clampCentre(start + (patch[a] - 1) / 2.0, d[a], patch[a]);
            }
        }
        double[][] m = transform(rng);
        return cut(c, centre, m);
    }

    /** The patch centre moved so the patch lies inside the case, or centred when the case is smaller. */
    private static double clampCentre(double centre, int dim, int size) {
        double half = (size - 1) / 2.0;
        if (dim < size) {
            return (dim - 1) / 2.0;
        }
        return Math.min(Math.max(centre, half), dim - 1 - half);
    }

    /** Rotation times scale, or null for the identity. */
    private double[][] transform(SplittableRandom rng) {
        boolean rotate = rng.nextDouble() < spatial.pRotation();
        boolean scale = rng.nextDouble() < spatial.pScale();
        if (!rotate && !scale) {
            return null;
        }
        double[][] m = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        if (rotate) {
            for (int axis = 0; axis < 3; axis++) {
                double angle = (2 * rng.nextDouble() - 1) * spatial.maxAngle();
                m = multiply(rotation(axis, angle), m);
            }
        }
        if (scale) {
            double s = spatial.minScale() + rng.nextDouble() * (spatial.maxScale() - spatial.minScale());
            for (double[] row : m) {
                for (int k = 0; k < 3; k++) {
                    row[k] *= s;
                }
            }
        }
        return m;
    }

    static double[][] rotation(int axis, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        int a = (axis + 1) % 3;
        int b = (axis + 2) % 3;
        double[][] r = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        r[a][a] = c;
        r[a][b] = -s;
        r[b][a] = s;
        r[b][b] = c;
        return r;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += x[i][k] * y[k][j];
                }
            }
        }
        return r;
    }

    private Patch cut(TrainingCase c, double[] centre, double[][] m) {
        int[] d = c.dims();
        int n = patch[0] * patch[1] * patch[2];
        int channels = c.channels().length;
        float[][] out = new float[channels][n];
        byte[] labels = new byte[n];
        double[] half = {(patch[0] - 1) / 2.0, (patch[1] - 1) / 2.0, (patch[2] - 1) / 2.0};
        for (int k = 0, v = 0; k < patch[2]; k++) {
            for (int j = 0; j < patch[1]; j++) {
                for (int i = 0; i < patch[0]; i++, v++) {
                    double oi = i - half[0];
                    double oj = j - half[1];
                    double ok = k - half[2];
                    double si;
                    double sj;
                    double sk;
                    if (m == null) {
                        si = centre[0] + oi;
                        sj = centre[1] + oj;
                        sk = centre[2] + ok;
                    } else {
                        si = centre[0] + m[0][0] * oi + m[0][1] * oj + m[0][2] * ok;
                        sj = centre[1] + m[1][0] * oi + m[1][1] * oj + m[1][2] * ok;
                        sk = centre[2] + m[2][0] * oi + m[2][1] * oj + m[2][2] * ok;
                    }
                    // labels: nearest
                    long ni = Math.round(si);
                    long nj = Math.round(sj);
                    long nk = Math.round(sk);
                    boolean inside = ni >= 0 && nj >= 0 && nk >= 0 && ni < d[0] && nj < d[1] && nk < d[2];
                    if (inside) {
                        labels[v] = c.labels()[(int) (ni + d[0] * (nj + (long) d[1] * nk))];
                    }
                    if (m == null) {
                        if (inside) {
                            int src = (int) (ni + d[0] * (nj + (long) d[1] * nk));
                            for (int ch = 0; ch < channels; ch++) {
                                out[ch][v] = c.channels()[ch][src];
                            }
                        }
                    } else {
                        for (int ch = 0; ch < channels; ch++) {
                            out[ch][v] = trilinear(c.channels()[ch], d, si, sj, sk);
                        }
                    }
                }
            }
        }
        return new Patch(patch.clone(), out, labels);
    }

    /** Trilinear interpolation with 0 outside the grid. */
    static float trilinear(float[] x, int[] d, double i, double j, double k) {
        int i0 = (int) Math.floor(i);
        int j0 = (int) Math.floor(j);
        int k0 = (int) Math.floor(k);
        double fi = i - i0;
        double fj = j - j0;
        double fk = k - k0;
        double sum = 0;
        for (int c = 0; c < 8; c++) {
            int ii = i0 + (c & 1);
            int jj = j0 + ((c >> 1) & 1);
            int kk = k0 + ((c >> 2) & 1);
            if (ii < 0 || jj < 0 || kk < 0 || ii >= d[0] || jj >= d[1] || kk >= d[2]) {
                continue;
            }
            double w = ((c & 1) == 1 ? fi : 1 - fi) * (((c >> 1) & 1) == 1 ? fj : 1 - fj) * (((c >> 2) & 1) == 1 ? fk : 1 - fk);
            sum += w * x[ii + d[0] * (jj + d[1] * kk)];
        }
        return (float) sum;
    }

    /** Voxel pools per label present (non-zero), computed once per case. */
    private int[][][] foregroundOf(TrainingCase c) {
        return foreground.computeIfAbsent(c, key -> {
            byte[] labels = key.labels();
            int[] counts = new int[256];
            for (byte b : labels) {
                counts[b & 0xff]++;
            }
            List<int[][]> out = new ArrayList<>();
            for (int l = 1; l < 256; l++) {
                if (counts[l] > 0) {
                    out.add(mode == Foreground.VOXEL ? new int[][] {voxelsOf(labels, l, counts[l])} : componentsOf(key, l));
                }
            }
            return out.toArray(int[][][]::new);
        });
    }

    private static int[] voxelsOf(byte[] labels, int label, int count) {
        int[] voxels = new int[count];
        int n = 0;
        for (int v = 0; v < labels.length; v++) {
            if ((labels[v] & 0xff) == label) {
                voxels[n++] = v;
            }
        }
        return voxels;
    }

    private static int[][] componentsOf(TrainingCase c, int label) {
        byte[] labels = c.labels();
        boolean[] mask = new boolean[labels.length];
        for (int v = 0; v < labels.length; v++) {
            mask[v] = (labels[v] & 0xff) == label;
        }
        Components comps = Components.of(mask, c.dims());
        int[][] pools = new int[comps.count()][];
        int[] fill = new int[comps.count()];
        for (int id = 1; id <= comps.count(); id++) {
            pools[id - 1] = new int[comps.size(id)];
        }
        for (int v = 0; v < labels.length; v++) {
            int id = comps.label(v);
            if (id != 0) {
                pools[id - 1][fill[id - 1]++] = v;
            }
        }
        return pools;
    }
}
