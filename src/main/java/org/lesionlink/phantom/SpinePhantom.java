package org.lesionlink.phantom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Spinal metastasis cases: a random analytic column ({@link SpineModel}) in T1- and T2-like contrast with
 * lytic and sclerotic vertebral-body metastases ({@link SpineLesion}); labels {@link SpineLabel}. Each voxel
 * takes the structure at its centre (hard edges; the scanner's blur softens them). Like
 * {@link BrainPhantom}, case {@code i} depends only on the seed and {@code i}.
 */
public final class SpinePhantom {

    private final SpineParams params;
    private final ScannerDomain domain;

    public SpinePhantom(SpineParams params) {
        this(params, ScannerDomain.STANDARD);
    }

    /** A phantom whose cases come from {@code domain}'s scanners (its brain contrast shift does not apply here). */
    public SpinePhantom(SpineParams params, ScannerDomain domain) {
        this.params = params;
        this.domain = domain;
    }

    public SpineParams params() {
        return params;
    }

    /** The anatomy of case {@code caseIndex} (what {@link #generate} draws). */
    public SpineModel anatomy(long seed, int caseIndex) {
        SplittableRandom r = Seeds.stream(Seeds.caseSeed(seed, caseIndex), Seeds.Purpose.ANATOMY);
        int whole = params.minVertebrae() + r.nextInt(params.maxVertebrae() - params.minVertebrae() + 1);
        return SpineModel.random(r, whole);
    }

    public PhantomCase generate(long seed, int caseIndex) {
        long cs = Seeds.caseSeed(seed, caseIndex);
        SpineModel spine = anatomy(seed, caseIndex);
        Pose pose = Pose.random(Seeds.stream(cs, Seeds.Purpose.POSE), params.maxRotationDeg(), params.maxShiftMm());
        double[][] fov = spine.fieldOfView();
        double[] centre = new double[3];
        double[] half = new double[3];
        for (int a = 0; a < 3; a++) {
            centre[a] = (fov[0][a] + fov[1][a]) / 2;
            half[a] = (fov[1][a] - fov[0][a]) / 2;
        }
        Geometry grid = pose.grid(centre, half, params.spacing());
        ScannerModel scanner = ScannerModel.random(Seeds.stream(cs, Seeds.Purpose.SCANNER), SpineChannel.values().length, domain);
        SpineContrast contrast = SpineContrast.TABLE.forCase(Seeds.stream(cs, Seeds.Purpose.CONTRAST), scanner);
        SplittableRandom lr = Seeds.stream(cs, Seeds.Purpose.LESIONS);
        int count = params.minLesions() + lr.nextInt(params.maxLesions() - params.minLesions() + 1);
        List<SpineLesion> lesions = SpineLesion.place(spine, grid, count, lr);

        int n = (int) grid.voxelCount();
        int[] d = grid.dims();
        float[][] img = new float[SpineChannel.values().length][n];
        byte[] structure = new byte[n];
        byte[] seg = new byte[n];
        double[][] mu = contrast.structure();
        IntStream.range(0, d[2]).parallel().forEach(k -> {
            for (int j = 0; j < d[1]; j++) {
                int index = d[0] * (j + d[1] * k);
                for (int i = 0; i < d[0]; i++, index++) {
                    double[] p = grid.toRas(i, j, k);
                    SpineStructure s = spine.at(p[0], p[1], p[2]);
                    structure[index] = (byte) s.ordinal();
                    seg[index] = (byte) (s.isBone() ? SpineLabel.VERTEBRA.value() : s.isCanal() ? SpineLabel.CANAL.value() : 0);
                    for (int c = 0; c < img.length; c++) {
                        img[c][index] = (float) mu[c][s.ordinal()];
                    }
                }
            }
        });
        int[] voxels = new int[lesions.size()];
        for (int l = 0; l < lesions.size(); l++) {
            voxels[l] = drawLesion(grid, spine, lesions.get(l), contrast, img, seg);
        }

        Map<String, Volume> images = new LinkedHashMap<>();
        for (SpineChannel c : SpineChannel.values()) {
            images.put(c.name().toLowerCase(Locale.ROOT), scanner.acquire(img[c.ordinal()], c.ordinal(), grid, cs));
            img[c.ordinal()] = null;
        }
        return new PhantomCase(caseIndex, images, Volume.ofBytes(grid, seg), Volume.ofBytes(grid, structure),
                describe(seed, caseIndex, grid, pose, scanner, spine, lesions, voxels, seg));
    }

    private static int drawLesion(Geometry grid, SpineModel spine, SpineLesion l, SpineContrast contrast, float[][] img, byte[] seg) {
        int[] d = grid.dims();
        double[] c = l.centre();
        double[] ijk = grid.rasToIjk().apply(c[0], c[1], c[2]);
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int a = 0; a < 3; a++) {
            double reach = l.maxRadius() / grid.spacing(a) + 1;
            lo[a] = Math.max(0, (int) Math.floor(ijk[a] - reach));
            hi[a] = Math.min(d[a] - 1, (int) Math.ceil(ijk[a] + reach));
        }
        double[][] mu = contrast.lesion();
        return IntStream.rangeClosed(lo[2], hi[2]).parallel().map(k -> {
            int labelled = 0;
            for (int j = lo[1]; j <= hi[1]; j++) {
                for (int i = lo[0]; i <= hi[0]; i++) {
                    double[] p = grid.toRas(i, j, k);
                    if (l.contains(spine, p[0], p[1], p[2])) {
                        int index = i + d[0] * (j + d[1] * k);
                        seg[index] = (byte) SpineLabel.LESION.value();
                        for (int ch = 0; ch < img.length; ch++) {
                            img[ch][index] = (float) mu[ch][l.type().ordinal()];
                        }
                        labelled++;
                    }
                }
            }
            return labelled;
        }).sum();
    }

    private Map<String, Object> describe(long seed, int caseIndex, Geometry grid, Pose pose, ScannerModel scanner,
            SpineModel spine, List<SpineLesion> lesions, int[] voxels, byte[] seg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "spine");
        m.put("case", caseIndex);
        m.put("seed", seed);
        m.put("labels", PhantomJson.ordered("1", "LESION", "2", "VERTEBRA", "3", "CANAL"));
        m.put("channels", List.of("t1", "t2"));
        m.put("region", spine.region().name().toLowerCase(Locale.ROOT));
        m.put("vertebrae", spine.vertebrae().size());
        PhantomJson.putGrid(m, grid, pose);
        m.put("scanner", PhantomJson.scanner(scanner, List.of("t1", "t2")));
        if (!domain.isStandard()) {
            m.put("domain", domain.name());
        }
        m.put("voxels", PhantomJson.labelCounts(seg, SpineLabel.values(),
                java.util.Arrays.stream(SpineLabel.values()).mapToInt(SpineLabel::value).toArray()));
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < lesions.size(); i++) {
            SpineLesion l = lesions.get(i);
            list.add(PhantomJson.ordered("id", l.id(), "centreRas", PhantomJson.round(l.centre()),
                    "diameterMm", PhantomJson.round(l.diameterMm()), "type", l.type().name().toLowerCase(Locale.ROOT),
                    "vertebra", l.vertebra(), "breaksPosteriorWall", l.breaksPosteriorWall(),
                    "components", List.of("LESION"), "voxels", voxels[i]));
        }
        m.put("lesions", list);
        return m;
    }
}
