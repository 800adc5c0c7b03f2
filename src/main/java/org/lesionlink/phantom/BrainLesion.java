package org.lesionlink.phantom;

import java.util.EnumSet;
import java.util.Set;

/**
 * One synthetic brain metastasis: an enhancing shell (ET) around an optional necrotic core (NETC) inside
 * a shell of edema (SNFH), all lobulated by smooth random functions of direction. Sizes are radial, in mm,
 * measured from the centre:
 * <pre>
 *   core(u)   = r * (1 + lobulation * shape(u))                 outer edge of the enhancing tumour
 *   necro(u)  = core(u) - max(minShell, rim * (1 + 0.4 rimNoise(u)))    only if necrotic
 *   edema(u)  = core(u) + max(minShell, minShell + (edema - minShell) * (0.35 + 0.65 wm) * (1 + 0.35 edemaNoise(u)))
 * </pre>
 * where {@code wm} is the white-matter fraction at the point (vasogenic edema spreads along white matter)
 * and {@code minShell} keeps every shell at least about 1.5 voxels thick, so that the enhancing rim always
 * separates necrosis from edema and edema always surrounds the enhancing tumour. Immutable.
 */
public final class BrainLesion {

    private final int id;
    private final double[] centre;
    private final double diameterMm;
    private final double rimMm;
    private final boolean necrotic;
    private final double edemaMm;
    private final double minShellMm;
    private final double lobulation;
    private final double enhancement;
    private final DirectionalNoise shape;
    private final DirectionalNoise rimNoise;
    private final DirectionalNoise edemaNoise;

    BrainLesion(int id, double[] centre, double diameterMm, double rimMm, boolean necrotic, double edemaMm,
            double minShellMm, double lobulation, double enhancement, DirectionalNoise shape, DirectionalNoise rimNoise,
            DirectionalNoise edemaNoise) {
        this.id = id;
        this.centre = centre.clone();
        this.diameterMm = diameterMm;
        this.rimMm = rimMm;
        this.necrotic = necrotic;
        this.edemaMm = edemaMm;
        this.minShellMm = minShellMm;
        this.lobulation = lobulation;
        this.enhancement = enhancement;
        this.shape = shape;
        this.rimNoise = rimNoise;
        this.edemaNoise = edemaNoise;
    }

    public int id() {
        return id;
    }

    /** RAS centre (mm), on a voxel centre of the case's grid so that even a 2 mm lesion covers a voxel. */
    public double[] centre() {
        return centre.clone();
    }

    /** Nominal diameter of the enhancing tumour (ET plus NETC), before lobulation. */
    public double diameterMm() {
        return diameterMm;
    }

    public double rimMm() {
        return rimMm;
    }

    public boolean necrotic() {
        return necrotic;
    }

    /** Nominal edema thickness beyond the enhancing tumour. */
    public double edemaMm() {
        return edemaMm;
    }

    /** Relative T1c brightness of this lesion's enhancing rim. */
    public double enhancement() {
        return enhancement;
    }

    /** The compartments this lesion has by design (what the voxels show depends on the grid). */
    public Set<BratsLabel> components() {
        Set<BratsLabel> s = EnumSet.of(BratsLabel.ET, BratsLabel.SNFH);
        if (necrotic) {
            s.add(BratsLabel.NETC);
        }
        return s;
    }

    /** The same lesion moved to {@code newCentre}. */
    BrainLesion at(double[] newCentre) {
        return new BrainLesion(id, newCentre, diameterMm, rimMm, necrotic, edemaMm, minShellMm, lobulation, enhancement, shape,
                rimNoise, edemaNoise);
    }

    /** Thinnest rim or edema shell (mm). */
    double minShellMm() {
        return minShellMm;
    }

    /** Largest radius of the enhancing tumour in any direction. */
    double maxCoreRadius() {
        return diameterMm / 2 * (1 + lobulation);
    }

    /** Largest radius of anything of this lesion, edema included. */
    double maxRadius() {
        return maxCoreRadius() + minShellMm + Math.max(0, edemaMm - minShellMm) * 1.35;
    }

    double coreRadius(double ux, double uy, double uz) {
        return diameterMm / 2 * (1 + lobulation * shape.at(ux, uy, uz));
    }

    /** Radius of the necrotic core, or a negative number when there is none. */
    double necroticRadius(double ux, double uy, double uz, double core) {
        if (!necrotic) {
            return -1;
        }
        return core - Math.max(minShellMm, rimMm * (1 + 0.4 * rimNoise.at(ux, uy, uz)));
    }

    double edemaRadius(double ux, double uy, double uz, double core, double whiteMatter) {
        double extra = Math.max(0, edemaMm - minShellMm) * (0.35 + 0.65 * whiteMatter) * (1 + 0.35 * edemaNoise.at(ux, uy, uz));
        return core + minShellMm + Math.max(0, extra);
    }
}
