package org.lesionlink.phantom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;

/**
 * Brain metastasis cases on the Colin27 head: T1, T1c, T2 and FLAIR with BraTS-METS labels.
 *
 * <p>Per case, everything is drawn from streams of {@link Seeds#caseSeed(long, int)}, so case {@code i} of
 * seed {@code s} is the same bytes whichever other cases are generated and in whatever order:
 * <ol>
 *   <li>a {@link Pose} and the oblique output grid covering the head;
 *   <li>the contrast table jittered per entry ({@link BrainContrast#jittered});
 *   <li>the metastases ({@link LesionModel});
 *   <li>per output voxel, the tissue fractions of the {@link TissueModel} at its RAS position mixed into
 *       each channel's intensity, then the lesions drawn over it with soft (partial-volume) edges: edema,
 *       then enhancing tumour, then necrosis;
 *   <li>the scanner ({@link ScannerModel}): contrast curve, blur, bias, gain, noise; int16 output.
 * </ol>
 * Work is done at the output resolution only; the tissue model is shared by all cases and threads.
 */
public final class BrainPhantom {

    /** Margin (mm) around the brain for the field of view: skull and scalp, not the neck. */
    static final double FOV_MARGIN_MM = 15;

    private final TissueModel tissues;
    private final BrainParams params;
    private final ScannerDomain domain;

    public BrainPhantom(TissueModel tissues, BrainParams params) {
        this(tissues, params, ScannerDomain.STANDARD);
    }

    /** A phantom whose cases come from {@code domain}'s scanners (contrast table shift included). */
    public BrainPhantom(TissueModel tissues, BrainParams params, ScannerDomain domain) {
        this.tissues = tissues;
        this.params = params;
        this.domain = domain;
    }

    public BrainParams params() {
        return params;
    }

    public TissueModel tissues() {
        return tissues;
    }

    /** The grid of case {@code caseIndex} (the same one {@link #generate} uses). */
    public Geometry grid(long seed, int caseIndex) {
        long cs = Seeds.caseSeed(seed, caseIndex);
        return grid(Pose.random(Seeds.stream(cs, Seeds.Purpose.POSE), params.maxRotationDeg(), params.maxShiftMm()));
    }

    private Geometry grid(Pose pose) {
        double[][] brain = tissues.brainBox();
        double[][] head = tissues.headBox();
        double[] centre = new double[3];
        double[] half = new double[3];
        for (int a = 0; a < 3; a++) {
            double lo = Math.max(head[0][a], brain[0][a] - FOV_MARGIN_MM);
            double hi = Math.min(head[1][a], brain[1][a] + FOV_MARGIN_MM);
            centre[a] = (lo + hi) / 2;
            half[a] = (hi - lo) / 2;
        }
        return pose.grid(centre, half, params.spacing());
    }

    public PhantomCase generate(long seed, int caseIndex) {
        long cs = Seeds.caseSeed(seed, caseIndex);
        Pose pose = Pose.random(Seeds.stream(cs, Seeds.Purpose.POSE), params.maxRotationDeg(), params.maxShiftMm());
        Geometry grid = grid(pose);
        ScannerModel scanner = ScannerModel.random(Seeds.stream(cs, Seeds.Purpose.SCANNER), BrainChannel.values().length, domain);
        BrainContrast contrast = domain.shift(BrainContrast.TABLE).jittered(Seeds.stream(cs, Seeds.Purpose.CONTRAST)).through(scanner);
        List<BrainLesion> lesions = LesionModel.place(tissues, grid, params, Seeds.stream(cs, Seeds.Purpose.LESIONS));

        int n = (int) grid.voxelCount();
        int channels = BrainChannel.values().length;
        float[][] img = new float[channels][n];
        byte[] tissue = new byte[n];
        byte[] seg = new byte[n];
        healthy(grid, contrast, img, tissue);
        double[] h = grid.spacing();
        double edge = (h[0] + h[1] + h[2]) / 3;
        // Edema of all lesions first, then their enhancing tumour, then necrosis: each compartment is drawn
        // over the ones it lies inside, and no lesion's edema covers another's enhancing tumour.
        int[][] counts = new int[lesions.size()][BratsLabel.values().length];
        for (BratsLabel pass : new BratsLabel[] {BratsLabel.SNFH, BratsLabel.ET, BratsLabel.NETC}) {
            for (int i = 0; i < lesions.size(); i++) {
                counts[i][pass.ordinal()] = drawLesion(grid, lesions.get(i), pass, contrast, edge, img, seg);
            }
        }

        Map<String, Volume> images = new LinkedHashMap<>();
        for (BrainChannel c : BrainChannel.values()) {
            images.put(c.name().toLowerCase(Locale.ROOT), scanner.acquire(img[c.ordinal()], c.ordinal(), grid, cs));
            img[c.ordinal()] = null;
        }
        Volume labels = Volume.ofBytes(grid, seg);
        return new PhantomCase(caseIndex, images, labels, Volume.ofBytes(grid, tissue),
                describe(seed, caseIndex, grid, pose, scanner, lesions, counts, seg));
    }

    /** Healthy intensities and the dominant tissue per output voxel. */
    private void healthy(Geometry grid, BrainContrast contrast, float[][] img, byte[] tissue) {
        int[] d = grid.dims();
        Affine map = Resampler.indexMapping(tissues.grid(), grid);
        double[][] mu = contrast.tissue();
        IntStream.range(0, d[2]).parallel().forEach(k -> {
            float[] f = new float[Tissue.COUNT];
            for (int j = 0; j < d[1]; j++) {
                double[] p = map.apply(0, j, k);
                int index = d[0] * (j + d[1] * k);
                for (int i = 0; i < d[0]; i++, index++) {
                    tissues.fractionsAtIndex(p[0] + i * map.get(0, 0), p[1] + i * map.get(1, 0), p[2] + i * map.get(2, 0), f);
                    int best = 0;
                    for (int t = 1; t < Tissue.COUNT; t++) {
                        if (f[t] > f[best]) {
                            best = t;
                        }
                    }
                    tissue[index] = (byte) best;
                    for (int c = 0; c < img.length; c++) {
                        double s = 0;
                        for (int t = 0; t < Tissue.COUNT; t++) {
                            s += f[t] * mu[c][t];
                        }
                        img[c][index] = (float) s;
                    }
                }
            }
        });
    }

    /**
     * One compartment of one lesion: blends its intensity in with soft edges and sets its label.
     *
     * @return the number of voxels labelled
     */
    private int drawLesion(Geometry grid, BrainLesion l, BratsLabel pass, BrainContrast contrast, double edge,
            float[][] img, byte[] seg) {
        int[] d = grid.dims();
        double[] c = l.centre();
        double[] ijk = grid.rasToIjk().apply(c[0], c[1], c[2]);
        double reach = l.maxRadius() + edge;
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int a = 0; a < 3; a++) {
            lo[a] = Math.max(0, (int) Math.floor(ijk[a] - reach / grid.spacing(a)));
            hi[a] = Math.min(d[a] - 1, (int) Math.ceil(ijk[a] + reach / grid.spacing(a)));
        }
        double[] mu = new double[img.length];
        for (int ch = 0; ch < img.length; ch++) {
            mu[ch] = contrast.lesion()[ch][BrainContrast.lesionColumn(pass)];
        }
        if (pass == BratsLabel.ET) {
            mu[BrainChannel.T1C.ordinal()] *= l.enhancement();
        }
        Affine toWorking = Resampler.indexMapping(tissues.grid(), grid);
        byte label = (byte) pass.value();
        return IntStream.rangeClosed(lo[2], hi[2]).parallel().map(k -> {
            float[] f = new float[Tissue.COUNT];
            int labelled = 0;
            for (int j = lo[1]; j <= hi[1]; j++) {
                for (int i = lo[0]; i <= hi[0]; i++) {
                    double[] p = grid.toRas(i, j, k);
                    double dx = p[0] - c[0];
                    double dy = p[1] - c[1];
                    double dz = p[2] - c[2];
                    double rho = Math.sqrt(dx * dx + dy * dy + dz * dz);
                    double ux = rho > 0 ? dx / rho : 0;
                    double uy = rho > 0 ? dy / rho : 0;
                    double uz = rho > 0 ? dz / rho : 1;
                    double core = l.coreRadius(ux, uy, uz);
                    double radius = switch (pass) {
                        case ET -> core;
                        case NETC -> l.necroticRadius(ux, uy, uz, core);
                        case SNFH -> {
                            double[] w = toWorking.apply(i, j, k);
                            tissues.fractionsAtIndex(w[0], w[1], w[2], f);
                            yield l.edemaRadius(ux, uy, uz, core, f[Tissue.WHITE_MATTER.ordinal()]);
                        }
                    };
                    if (radius <= 0) {
                        continue;
                    }
                    double m = Math.min(1, Math.max(0, (radius - rho) / edge + 0.5));
                    if (m <= 0) {
                        continue;
                    }
                    int index = i + d[0] * (j + d[1] * k);
                    for (int ch = 0; ch < img.length; ch++) {
                        img[ch][index] = (float) (img[ch][index] * (1 - m) + mu[ch] * m);
                    }
                    if (rho < radius && (pass != BratsLabel.SNFH || seg[index] == 0)) {
                        seg[index] = label;
                        labelled++;
                    }
                }
            }
            return labelled;
        }).sum();
    }

    private Map<String, Object> describe(long seed, int caseIndex, Geometry grid, Pose pose, ScannerModel scanner,
            List<BrainLesion> lesions, int[][] counts, byte[] seg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "brain");
        m.put("case", caseIndex);
        m.put("seed", seed);
        m.put("labels", PhantomJson.ordered("1", "NETC", "2", "SNFH", "3", "ET"));
        m.put("template", "Colin27 (MNI/McConnell Brain Imaging Centre), via Debian mricron-data");
        m.put("channels", List.of("t1", "t1c", "t2", "flair"));
        PhantomJson.putGrid(m, grid, pose);
        m.put("scanner", PhantomJson.scanner(scanner, List.of("t1", "t1c", "t2", "flair")));
        if (!domain.isStandard()) {
            m.put("domain", domain.name());
        }
        m.put("voxels", PhantomJson.labelCounts(seg, BratsLabel.values(),
                java.util.Arrays.stream(BratsLabel.values()).mapToInt(BratsLabel::value).toArray()));
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < lesions.size(); i++) {
            BrainLesion l = lesions.get(i);
            int[] c = counts[i];
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", l.id());
            e.put("centreRas", PhantomJson.round(l.centre()));
            e.put("diameterMm", PhantomJson.round(l.diameterMm()));
            e.put("components", l.components().stream().map(Enum::name).toList());
            e.put("necrotic", l.necrotic());
            e.put("rimMm", PhantomJson.round(l.rimMm()));
            e.put("edemaMm", PhantomJson.round(l.edemaMm()));
            // Edema voxels are not attributed per lesion: neighbouring lesions' edema may merge.
            e.put("voxels", PhantomJson.ordered("ET", c[BratsLabel.ET.ordinal()] - c[BratsLabel.NETC.ordinal()],
                    "NETC", c[BratsLabel.NETC.ordinal()]));
            list.add(e);
        }
        m.put("lesions", list);
        return m;
    }
}
