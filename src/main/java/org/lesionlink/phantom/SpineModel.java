package org.lesionlink.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random, analytic lumbar or thoracic spine in RAS millimetres (column along +z, anterior +y), evaluated
 * point by point. Simplified anatomy, documented in docs/phantoms.md:
 * <ul>
 *   <li>vertebral bodies: cylinders with a squarish cross-section {@code (|x/a|^3 + |y/b|^3)^(1/3) <= 1} and a
 *       slight waist, a cortical shell (and endplates) around fatty marrow;
 *   <li>intervertebral discs: the same outline between bodies, a nucleus inside an annulus;
 *   <li>posterior elements: two pedicles, a lamina arch around the back of the canal, a spinous process
 *       (sloping down in the thoracic spine) and two transverse processes, cortical with marrow where thick;
 *   <li>the spinal canal: an elliptic tube behind the bodies, continuous over the whole column, CSF with the
 *       cord inside (the cord ends at the conus in a lumbar column);
 *   <li>paraspinal (erector spinae) and, in the lumbar spine, psoas muscles; fat between the muscles and
 *       under the skin; intermediate soft tissue (viscera) in front; air outside an elliptic torso.
 * </ul>
 * The column follows a smooth curve (kyphosis/lordosis in y, mild scoliosis in x): a point is evaluated
 * after subtracting the curve's offset at its height (a shear, not a bend: vertebrae are displaced, not
 * tilted). Immutable.
 */
public final class SpineModel {

    public enum Region { THORACIC, LUMBAR }

    /** One vertebra: body from {@code zBottom} to {@code zTop}, half-width {@code a}, half-depth {@code b}. */
    public record Vertebra(double zBottom, double zTop, double a, double b, double canalRx, double canalRy) {
        public double zMid() {
            return (zBottom + zTop) / 2;
        }

        public double height() {
            return zTop - zBottom;
        }
    }

    /** Gap between the back of a body and the front of the canal (posterior longitudinal ligament). */
    static final double CANAL_GAP_MM = 1.5;

    private final Region region;
    private final List<Vertebra> vertebrae; // bottom to top; the first and last are cut by the field of view
    private final double cortical;
    private final double cordRx;
    private final double cordRy;
    private final double conusZ;
    private final double pedicleR;
    private final double lamina;
    private final double spinousLength;
    private final double spinousSlope;
    private final double transverseLength;
    private final double muscleRx;
    private final double muscleRy;
    private final double fatMm;
    private final double torsoRx;
    private final double torsoRy;
    private final double torsoY;
    private final double skinY;
    private final double[] curve; // ampX, wavelengthX, phaseX, ampY, phaseY

    private SpineModel(Region region, List<Vertebra> vertebrae, double cortical, double cordRx, double cordRy, double conusZ,
            double pedicleR, double lamina, double spinousLength, double spinousSlope, double transverseLength,
            double muscleRx, double muscleRy, double fatMm, double[] curve) {
        this.region = region;
        this.vertebrae = List.copyOf(vertebrae);
        this.cortical = cortical;
        this.cordRx = cordRx;
        this.cordRy = cordRy;
        this.conusZ = conusZ;
        this.pedicleR = pedicleR;
        this.lamina = lamina;
        this.spinousLength = spinousLength;
        this.spinousSlope = spinousSlope;
        this.transverseLength = transverseLength;
        this.muscleRx = muscleRx;
        this.muscleRy = muscleRy;
        this.fatMm = fatMm;
        this.curve = curve.clone();
        double maxB = vertebrae.stream().mapToDouble(Vertebra::b).max().orElseThrow();
        double maxRy = vertebrae.stream().mapToDouble(Vertebra::canalRy).max().orElseThrow();
        this.skinY = -maxB - CANAL_GAP_MM - 2 * maxRy - lamina - spinousLength - fatMm - 4;
        this.torsoRy = 105;
        this.torsoRx = 150;
        this.torsoY = skinY + torsoRy;
    }

    /** A random column of {@code wholeVertebrae} vertebrae plus one cut at each end of the field of view. */
    static SpineModel random(SplittableRandom r, int wholeVertebrae) {
        Region region = r.nextBoolean() ? Region.LUMBAR : Region.THORACIC;
        boolean lumbar = region == Region.LUMBAR;
        double h = lumbar ? Seeds.uniform(r, 24, 28) : Seeds.uniform(r, 17, 22);
        double disc = lumbar ? Seeds.uniform(r, 8, 11) : Seeds.uniform(r, 4, 6);
        double a = lumbar ? Seeds.uniform(r, 22, 26) : Seeds.uniform(r, 15, 19);
        double b = lumbar ? Seeds.uniform(r, 15, 18) : Seeds.uniform(r, 12.5, 15.5);
        double crx = lumbar ? Seeds.uniform(r, 10, 12.5) : Seeds.uniform(r, 7.5, 9);
        double cry = lumbar ? Seeds.uniform(r, 7.5, 9.5) : Seeds.uniform(r, 7, 8.5);
        int total = wholeVertebrae + 2;
        List<Vertebra> list = new ArrayList<>();
        double z = 0;
        for (int i = 0; i < total; i++) {
            double grow = 1 + 0.015 * (total - 1 - i); // lower vertebrae are larger
            double hi = h * grow * Seeds.uniform(r, 0.95, 1.05);
            list.add(new Vertebra(z, z + hi, a * grow, b * grow, crx, cry));
            z += hi + disc * Seeds.uniform(r, 0.85, 1.15);
        }
        // Centre the column on z = 0 between the mid-heights of the end vertebrae.
        double shift = (list.get(0).zMid() + list.get(total - 1).zMid()) / 2;
        List<Vertebra> centred = new ArrayList<>();
        for (Vertebra v : list) {
            centred.add(new Vertebra(v.zBottom() - shift, v.zTop() - shift, v.a(), v.b(), v.canalRx(), v.canalRy()));
        }
        double conus = lumbar ? centred.get(total - 2).zMid() : Double.NEGATIVE_INFINITY;
        double[] curve = {Seeds.uniform(r, 0, 6), Seeds.uniform(r, 200, 400), Seeds.uniform(r, 0, 2 * Math.PI),
            Seeds.uniform(r, 3, 15) * (lumbar ? 1 : -1), Seeds.uniform(r, -0.5, 0.5)};
        return new SpineModel(region, centred, Seeds.uniform(r, 1.2, 2.0), Seeds.uniform(r, 4.5, 5.5), Seeds.uniform(r, 3.5, 4.5),
                conus, Seeds.uniform(r, 4, 5.5), Seeds.uniform(r, 4.5, 6.5), lumbar ? Seeds.uniform(r, 22, 30) : Seeds.uniform(r, 28, 36),
                lumbar ? Seeds.uniform(r, 0, 0.15) : Seeds.uniform(r, 0.5, 0.9), lumbar ? Seeds.uniform(r, 18, 24) : Seeds.uniform(r, 14, 20),
                lumbar ? Seeds.uniform(r, 22, 27) : Seeds.uniform(r, 17, 21), lumbar ? Seeds.uniform(r, 17, 21) : Seeds.uniform(r, 18, 22),
                Seeds.uniform(r, 8, 25), curve);
    }

    public Region region() {
        return region;
    }

    /** All vertebrae, bottom to top; the first and the last are cut by the field of view. */
    public List<Vertebra> vertebrae() {
        return vertebrae;
    }

    /** RAS {min, max} of the field of view: mid-height of the end vertebrae, back of the skin to well in front of the bodies. */
    public double[][] fieldOfView() {
        double maxA = vertebrae.stream().mapToDouble(Vertebra::a).max().orElseThrow();
        double maxB = vertebrae.stream().mapToDouble(Vertebra::b).max().orElseThrow();
        double halfX = maxA + 35;
        return new double[][] {
            {-halfX, skinY - 8, vertebrae.get(0).zMid()},
            {halfX, maxB + 40, vertebrae.get(vertebrae.size() - 1).zMid()}};
    }

    /** Offset (x, y) of the column's centre line at height z. */
    double[] centreLine(double z) {
        double[] fov = {vertebrae.get(0).zMid(), vertebrae.get(vertebrae.size() - 1).zMid()};
        double t = (z - fov[0]) / (fov[1] - fov[0]);
        return new double[] {
            curve[0] * Math.sin(2 * Math.PI * z / curve[1] + curve[2]),
            curve[3] * (Math.sin(Math.PI * t + curve[4]) - Math.sin(Math.PI * 0.5 + curve[4]))};
    }

    /** RAS centre of vertebral body {@code v} (on the curve). */
    public double[] bodyCentre(int v) {
        double z = vertebrae.get(v).zMid();
        double[] c = centreLine(z);
        return new double[] {c[0], c[1], z};
    }

    /** The healthy structure at a RAS point. */
    public SpineStructure at(double x, double y, double z) {
        double[] c = centreLine(z);
        double qx = x - c[0];
        double qy = y - c[1];
        double tx = qx / torsoRx;
        double ty = (qy - torsoY) / torsoRy;
        double torso = Math.sqrt(tx * tx + ty * ty);
        if (torso > 1) {
            return SpineStructure.AIR;
        }
        double[] canal = canalAt(z);
        double cy = canalCentreY(canal);
        double ex = qx / canal[1];
        double ey = (qy - cy) / canal[2];
        if (ex * ex + ey * ey < 1) {
            if (z > conusZ) {
                double ox = qx / cordRx;
                double oy = (qy - cy) / cordRy;
                if (ox * ox + oy * oy < 1) {
                    return SpineStructure.CORD;
                }
            }
            return SpineStructure.CSF;
        }
        int v = vertebraAtHeight(z);
        if (v >= 0) {
            double depth = bodyDepth(v, qx, qy, z);
            if (depth < 0) {
                depth = posteriorDepth(vertebrae.get(v), qx, qy, z, cy);
            }
            if (depth >= 0) {
                return depth < cortical ? SpineStructure.CORTICAL_BONE : SpineStructure.MARROW;
            }
        } else {
            SpineStructure disc = discAt(qx, qy, z);
            if (disc != null) {
                return disc;
            }
        }
        if (inMuscle(qx, qy, cy, canal)) {
            return SpineStructure.MUSCLE;
        }
        if (torso > 1 - fatMm / torsoRy) {
            return SpineStructure.FAT;
        }
        return qy < -canal[0] - 3 ? SpineStructure.FAT : SpineStructure.SOFT_TISSUE;
    }

    /** Index of the vertebra whose body (cortex included) contains the point, or -1. */
    public int bodyAt(double x, double y, double z) {
        int v = vertebraAtHeight(z);
        if (v < 0) {
            return -1;
        }
        double[] c = centreLine(z);
        return bodyDepth(v, x - c[0], y - c[1], z) >= 0 ? v : -1;
    }

    /** Whether the point lies in the spinal canal. */
    public boolean inCanal(double x, double y, double z) {
        double[] c = centreLine(z);
        double[] canal = canalAt(z);
        double ex = (x - c[0]) / canal[1];
        double ey = (y - c[1] - canalCentreY(canal)) / canal[2];
        return ex * ex + ey * ey < 1;
    }

    /**
     * Whether the point lies between the back of body {@code v} and the middle of the canal, within the
     * canal's width and the body's height: where a metastasis breaking the posterior wall grows.
     */
    public boolean inEpiduralSpace(int v, double x, double y, double z) {
        Vertebra vb = vertebrae.get(v);
        if (z < vb.zBottom() || z > vb.zTop()) {
            return false;
        }
        double[] c = centreLine(z);
        double qx = x - c[0];
        double qy = y - c[1];
        double[] canal = canalAt(z);
        return Math.abs(qx) < canal[1] && qy <= -vb.b() * 0.5 && qy >= canalCentreY(canal);
    }

    // ---- pieces ------------------------------------------------------------------------------------------

    private int vertebraAtHeight(double z) {
        for (int i = 0; i < vertebrae.size(); i++) {
            Vertebra v = vertebrae.get(i);
            if (z >= v.zBottom() && z <= v.zTop()) {
                return i;
            }
        }
        return -1;
    }

    /** {b, canalRx, canalRy, a} at height z, linear between vertebra mid-heights. */
    private double[] canalAt(double z) {
        int n = vertebrae.size();
        if (z <= vertebrae.get(0).zMid()) {
            Vertebra v = vertebrae.get(0);
            return new double[] {v.b(), v.canalRx(), v.canalRy(), v.a()};
        }
        for (int i = 0; i < n - 1; i++) {
            Vertebra lo = vertebrae.get(i);
            Vertebra hi = vertebrae.get(i + 1);
            if (z <= hi.zMid()) {
                double t = (z - lo.zMid()) / (hi.zMid() - lo.zMid());
                return new double[] {lo.b() + t * (hi.b() - lo.b()), lo.canalRx() + t * (hi.canalRx() - lo.canalRx()),
                    lo.canalRy() + t * (hi.canalRy() - lo.canalRy()), lo.a() + t * (hi.a() - lo.a())};
            }
        }
        Vertebra v = vertebrae.get(n - 1);
        return new double[] {v.b(), v.canalRx(), v.canalRy(), v.a()};
    }

    private static double canalCentreY(double[] canal) {
        return -canal[0] - CANAL_GAP_MM - canal[2];
    }

    private static double superellipse(double x, double y, double a, double b) {
        double u = Math.abs(x / a);
        double w = Math.abs(y / b);
        return Math.cbrt(u * u * u + w * w * w);
    }

    /** Depth inside body v in column coordinates; negative outside. */
    private double bodyDepth(int index, double qx, double qy, double z) {
        Vertebra v = vertebrae.get(index);
        double half = v.height() / 2;
        double dz = z - v.zMid();
        if (Math.abs(dz) > half) {
            return -1;
        }
        double u = dz / half;
        double waist = 1 - 0.07 * (1 - u * u);
        double a = v.a() * waist;
        double b = v.b() * waist;
        double e = superellipse(qx, qy, a, b);
        if (e > 1) {
            return -1;
        }
        return Math.min((1 - e) * Math.min(a, b), half - Math.abs(dz));
    }

    /** Depth inside the posterior elements of vertebra v; negative outside. */
    private double posteriorDepth(Vertebra v, double qx, double qy, double z, double cy) {
        double h = v.height();
        double zp = v.zBottom() + 0.62 * h;
        double rx = v.canalRx();
        double ry = v.canalRy();
        double best = -1;
        // Pedicles: elliptic rods along y from the canal's centre to the back of the body.
        if (qy >= cy && qy <= -v.b() + 3) {
            double px = (Math.abs(qx) - (rx + 0.9 * pedicleR)) / pedicleR;
            double pz = (z - zp) / (0.3 * h);
            double e = Math.sqrt(px * px + pz * pz);
            if (e <= 1) {
                best = Math.max(best, (1 - e) * Math.min(pedicleR, 0.3 * h));
            }
        }
        double band = 0.4 * h - Math.abs(z - zp);
        if (band >= 0) {
            // Lamina: a shell around the back half of the canal.
            if (qy <= cy) {
                double ex = qx / rx;
                double ey = (qy - cy) / ry;
                double radial = (Math.sqrt(ex * ex + ey * ey) - 1) * (rx + ry) / 2;
                if (radial >= 0 && radial <= lamina) {
                    best = Math.max(best, Math.min(band, Math.min(radial, lamina - radial) + cortical));
                }
            }
            // Transverse processes: rods along x at the level of the pedicles.
            double ax = Math.abs(qx);
            if (ax >= rx && ax <= rx + pedicleR + transverseLength) {
                double d = Math.sqrt((qy - cy) * (qy - cy) + (z - zp) * (z - zp));
                double tr = 0.6 * pedicleR;
                if (d <= tr) {
                    best = Math.max(best, tr - d);
                }
            }
        }
        // Spinous process: a plate from the lamina backwards, sloping down.
        double start = cy - ry - 0.5 * lamina;
        double along = start - qy;
        if (along >= 0 && along <= spinousLength) {
            double t = along / spinousLength;
            double zs = zp - spinousSlope * along;
            double hh = 0.28 * h * (1 - 0.4 * t);
            double width = 3.5 * (1 - 0.3 * t);
            double d = Math.min(Math.min(width - Math.abs(qx), hh - Math.abs(z - zs)), spinousLength - along);
            if (d >= 0) {
                best = Math.max(best, d);
            }
        }
        return best;
    }

    private SpineStructure discAt(double qx, double qy, double z) {
        for (int i = 0; i < vertebrae.size() - 1; i++) {
            Vertebra lo = vertebrae.get(i);
            Vertebra hi = vertebrae.get(i + 1);
            if (z > lo.zTop() && z < hi.zBottom()) {
                double a = (lo.a() + hi.a()) / 2 * 1.02;
                double b = (lo.b() + hi.b()) / 2 * 1.02;
                double e = superellipse(qx, qy, a, b);
                if (e > 1) {
                    return null;
                }
                double mid = (lo.zTop() + hi.zBottom()) / 2;
                double half = (hi.zBottom() - lo.zTop()) / 2;
                return e < 0.55 && Math.abs(z - mid) < 0.7 * half ? SpineStructure.DISC_NUCLEUS : SpineStructure.DISC_ANNULUS;
            }
        }
        return null;
    }

    private boolean inMuscle(double qx, double qy, double cy, double[] canal) {
        // Erector spinae, either side of the spinous processes, filling the space behind the laminae.
        double mx = (Math.abs(qx) - (4 + muscleRx)) / muscleRx;
        double my = (qy - (cy - canal[2] - 0.9 * muscleRy)) / muscleRy;
        if (mx * mx + my * my < 1) {
            return true;
        }
        if (region == Region.LUMBAR) {
            // Psoas, beside the bodies.
            double px = (Math.abs(qx) - (canal[3] + 11)) / 10;
            double py = (qy + 0.2 * canal[0]) / 13;
            return px * px + py * py < 1;
        }
        return false;
    }
}
