package org.lesionlink.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.lesionlink.image.Geometry;

/**
 * One vertebral-body metastasis of the spine phantom: a lobulated ball in one body, lytic or sclerotic.
 * A contained lesion replaces marrow only (the cortex stays intact); one that breaks the posterior wall
 * (only lytic ones do, a third of them) may also fill the body's cortex and grow into the front half of
 * the spinal canal over the body's height, never closing the canal. Immutable.
 */
public final class SpineLesion {

    private final int id;
    private final int vertebra;
    private final double[] centre;
    private final double diameterMm;
    private final SpineContrast.LesionType type;
    private final boolean breaksPosteriorWall;
    private final double lobulation;
    private final DirectionalNoise shape;

    private SpineLesion(int id, int vertebra, double[] centre, double diameterMm, SpineContrast.LesionType type,
            boolean breaksPosteriorWall, double lobulation, DirectionalNoise shape) {
        this.id = id;
        this.vertebra = vertebra;
        this.centre = centre.clone();
        this.diameterMm = diameterMm;
        this.type = type;
        this.breaksPosteriorWall = breaksPosteriorWall;
        this.lobulation = lobulation;
        this.shape = shape;
    }

    public int id() {
        return id;
    }

    /** Index into {@link SpineModel#vertebrae()}. */
    public int vertebra() {
        return vertebra;
    }

    /** RAS centre, on a voxel centre of the case's grid. */
    public double[] centre() {
        return centre.clone();
    }

    public double diameterMm() {
        return diameterMm;
    }

    public SpineContrast.LesionType type() {
        return type;
    }

    public boolean breaksPosteriorWall() {
        return breaksPosteriorWall;
    }

    double maxRadius() {
        return diameterMm / 2 * (1 + lobulation);
    }

    /** Whether the point belongs to this lesion. */
    boolean contains(SpineModel spine, double x, double y, double z) {
        double dx = x - centre[0];
        double dy = y - centre[1];
        double dz = z - centre[2];
        double rho = Math.sqrt(dx * dx + dy * dy + dz * dz);
        double r = diameterMm / 2 * (1 + lobulation * (rho > 0 ? shape.at(dx / rho, dy / rho, dz / rho) : 0));
        if (rho >= r) {
            return false;
        }
        if (breaksPosteriorWall) {
            return spine.bodyAt(x, y, z) == vertebra || spine.inEpiduralSpace(vertebra, x, y, z);
        }
        return spine.bodyAt(x, y, z) == vertebra && spine.at(x, y, z) == SpineStructure.MARROW;
    }

    /**
     * Draws {@code count} lesions (at most one per whole vertebra) and places them on the case grid: centres
     * snapped to voxel centres, diameters 6 mm up to about 85% of the body's smallest inner size.
     */
    static List<SpineLesion> place(SpineModel spine, Geometry grid, int count, SplittableRandom r) {
        List<SpineModel.Vertebra> all = spine.vertebrae();
        List<Integer> candidates = new ArrayList<>();
        for (int v = 1; v < all.size() - 1; v++) {
            candidates.add(v);
        }
        List<SpineLesion> out = new ArrayList<>();
        for (int n = 0; n < count && !candidates.isEmpty(); n++) {
            int v = candidates.remove(r.nextInt(candidates.size()));
            SpineModel.Vertebra vb = all.get(v);
            double room = Math.min(Math.min(vb.a(), vb.b()), vb.height() / 2) - 3;
            double radius = Seeds.uniform(r, 3, Math.max(3.5, 0.85 * room));
            SpineContrast.LesionType type = r.nextDouble() < 0.6 ? SpineContrast.LesionType.LYTIC : SpineContrast.LesionType.SCLEROTIC;
            boolean breaks = type == SpineContrast.LesionType.LYTIC && r.nextDouble() < 0.35;
            double cz = vb.zMid() + Seeds.uniform(r, -1, 1) * Math.max(0, vb.height() / 2 - radius - 2);
            double cx;
            double cy;
            if (breaks) {
                double extension = Seeds.uniform(r, 2, Math.max(2.5, Math.min(0.8 * radius, 0.8 * vb.canalRy())));
                cx = Seeds.uniform(r, -0.25, 0.25) * vb.a();
                cy = -vb.b() + radius - extension;
            } else {
                cx = Seeds.uniform(r, -0.7, 0.7) * Math.max(0, vb.a() - radius - 3);
                cy = Seeds.uniform(r, -0.7, 0.7) * Math.max(0, vb.b() - radius - 3);
            }
            double[] line = spine.centreLine(cz);
            double[] c = snap(grid, new double[] {cx + line[0], cy + line[1], cz});
            if (spine.bodyAt(c[0], c[1], c[2]) != v) {
                c = snap(grid, spine.bodyCentre(v));
            }
            double lobulation = Seeds.uniform(r, 0.05, 0.2);
            out.add(new SpineLesion(out.size() + 1, v, c, 2 * radius, type, breaks, lobulation,
                    DirectionalNoise.random(r, 1.5 + Math.min(2.5, radius / 6))));
        }
        return out;
    }

    private static double[] snap(Geometry grid, double[] ras) {
        double[] ijk = grid.rasToIjk().apply(ras[0], ras[1], ras[2]);
        return grid.toRas(Math.rint(ijk[0]), Math.rint(ijk[1]), Math.rint(ijk[2]));
    }
}
