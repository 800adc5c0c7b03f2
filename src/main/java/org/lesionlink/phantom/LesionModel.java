package org.lesionlink.phantom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.lesionlink.image.Geometry;

/**
 * Draws and places the metastases of one brain case.
 *
 * <ul>
 *   <li><b>Count</b>: between the parameters' limits, skewed towards few (solitary metastases are the most
 *       common single count).
 *   <li><b>Size</b>: diameters log-uniform over the range, so small and tiny lesions (a few mm, the ones
 *       models miss) are as frequent per octave as large ones. Lesions of 10 mm and more are necrotic with
 *       probability 0.7 (rim 25-50% of the radius); smaller ones are solid enhancing nodules.
 *   <li><b>Edema</b>: 0.2-1.2 radii plus up to 4 mm, never thinner than the minimum shell, capped so that
 *       the whole lesion fits in a 40 mm radius.
 *   <li><b>Place</b>: 70% of tries at the grey/white-matter junction (where haematogenous metastases
 *       lodge), the rest anywhere in the parenchyma; a site is taken when the whole lesion, edema included,
 *       lies inside the brain mask with a margin and inside the field of view, the site is not CSF, and
 *       its enhancing tumour keeps clear of earlier lesions'. Larger lesions are placed first; a lesion
 *       that finds no site in 300 tries shrinks by a quarter and tries again.
 *   <li><b>Snap</b>: the centre moves to the nearest voxel centre of the case's grid, so even a 2 mm lesion
 *       at 2 mm spacing labels at least its centre voxel.
 * </ul>
 */
final class LesionModel {

    private static final int TRIES = 300;

    private LesionModel() {
    }

    /** Smallest shell thickness (rim, edema) for a grid of this spacing. */
    static double minShell(BrainParams p) {
        return Math.max(1.0, 1.6 * p.maxSpacing());
    }

    static List<BrainLesion> place(TissueModel tissues, Geometry grid, BrainParams p, SplittableRandom r) {
        double u = r.nextDouble();
        int count = p.minLesions() + (int) Math.floor((p.maxLesions() - p.minLesions() + 1) * u * u);
        double[] diameters = new double[count];
        for (int i = 0; i < count; i++) {
            diameters[i] = Seeds.logUniform(r, p.minDiameterMm(), p.maxDiameterMm());
        }
        Arrays.sort(diameters);
        List<BrainLesion> placed = new ArrayList<>();
        double margin = p.maxSpacing() + tissues.grid().spacing(0);
        for (int n = count - 1; n >= 0; n--) {
            double d = diameters[n];
            while (true) {
                BrainLesion candidate = draw(placed.size() + 1, d, p, r);
                double[] site = findSite(tissues, grid, candidate, placed, margin, r);
                if (site != null) {
                    placed.add(candidate.at(site));
                    break;
                }
                if (d * 0.75 < p.minDiameterMm()) {
                    break; // no room even for the smallest size: this case has one lesion fewer
                }
                d *= 0.75;
            }
        }
        if (placed.isEmpty()) {
            throw new IllegalStateException("found no site for any metastasis: is the brain mask empty or the field of view too small?");
        }
        return placed;
    }

    /** A lesion of diameter {@code d} with random shape, not yet placed (centre at the origin). */
    private static BrainLesion draw(int id, double d, BrainParams p, SplittableRandom r) {
        double shell = minShell(p);
        double radius = d / 2;
        double lobulation = Seeds.uniform(r, 0.05, 0.2) * Math.min(1, radius / 6);
        double rim = Math.max(shell, radius * Seeds.uniform(r, 0.25, 0.5));
        boolean necrotic = d >= 10 && r.nextDouble() < 0.7
                && radius * (1 - lobulation) - rim * 1.4 >= p.maxSpacing();
        double edema = Math.max(shell, radius * Seeds.uniform(r, 0.2, 1.2) + Seeds.uniform(r, 0, 4));
        double room = (40 - radius * (1 + lobulation) - shell) / 1.35 + shell;
        edema = Math.max(shell, Math.min(edema, room));
        double enhancement = Seeds.uniform(r, 0.92, 1.12);
        double freq = 1.5 + Math.min(2.5, radius / 6);
        return new BrainLesion(id, new double[3], d, necrotic ? rim : radius, necrotic, edema, shell, lobulation, enhancement,
                DirectionalNoise.random(r, freq), DirectionalNoise.random(r, 2), DirectionalNoise.random(r, freq));
    }

    private static double[] findSite(TissueModel tissues, Geometry grid, BrainLesion l, List<BrainLesion> placed,
            double margin, SplittableRandom r) {
        double reach = l.maxRadius();
        double w = tissues.grid().spacing(0);
        int[] dims = grid.dims();
        for (int t = 0; t < TRIES; t++) {
            boolean junction = tissues.junctionCount() > 0 && r.nextDouble() < 0.7;
            double[] p = junction ? tissues.randomJunction(r) : tissues.randomParenchyma(r);
            for (int a = 0; a < 3; a++) {
                p[a] += Seeds.uniform(r, -w / 2, w / 2);
            }
            // Snap to the case grid.
            double[] ijk = grid.rasToIjk().apply(p[0], p[1], p[2]);
            boolean inside = true;
            for (int a = 0; a < 3; a++) {
                ijk[a] = Math.rint(ijk[a]);
                double room = reach / grid.spacing(a) + 1;
                inside &= ijk[a] >= room && ijk[a] <= dims[a] - 1 - room;
            }
            if (!inside) {
                continue;
            }
            double[] c = grid.toRas(ijk[0], ijk[1], ijk[2]);
            if (tissues.depthAt(c) < reach + margin) {
                continue;
            }
            if (tissues.fractionsAt(c)[Tissue.CSF.ordinal()] > 0.3) {
                continue;
            }
            boolean clear = true;
            for (BrainLesion o : placed) {
                double[] oc = o.centre();
                double dist = Math.sqrt(sq(c[0] - oc[0]) + sq(c[1] - oc[1]) + sq(c[2] - oc[2]));
                clear &= dist >= o.maxCoreRadius() + l.maxCoreRadius() + o.minShellMm();
            }
            if (clear) {
                return c;
            }
        }
        return null;
    }

    private static double sq(double v) {
        return v * v;
    }
}
