package org.lesionlink.ablation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;
import org.lesionlink.image.Affine;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * MR thermometry for laser interstitial thermal therapy, fed frame by frame: PRF-shift temperature from
 * phase images against a baseline, drift correction from an unheated reference region, and accumulated
 * thermal dose (CEM43 and Arrhenius damage). Not thread-safe: one session per acquisition, frames in time
 * order.
 *
 * <p><b>Per frame</b> (per voxel; formulas and constants in docs/ablation.md):
 * <ol>
 *   <li>Phase difference as the angle of the complex ratio {@code z conj(z0)}: for phase-only input (one
 *       channel, radians) that is {@code wrap(phi - phi0)} into {@code (-pi, pi]}; two-channel input is read as
 *       real and imaginary parts and uses {@code atan2}.
 *   <li>Temporal unwrapping (on by default): the accumulated difference moves to the 2 pi-equivalent of
 *       the new wrapped difference nearest the previous frame's, so heating beyond the single-frame wrap
 *       limit ({@link PrfParams#wrapLimitDegrees()}) is followed as long as no voxel changes by more than
 *       half of that between frames.
 *   <li>Drift: the reference region's mean (MEAN) or least-squares plane in RAS mm (PLANE) of the phase
 *       difference is subtracted everywhere.
 *   <li>{@code T = body + dphi / (2 pi gamma alpha B0 TE)}.
 *   <li>Dose over the interval since the previous frame (or the baseline), held at this frame's
 *       temperature: {@code CEM43 += dt/60 * R^(43 - T)}, {@code Omega += dt * A exp(-Ea / (R_gas (T + 273.15)))}.
 * </ol>
 */
public final class ThermometrySession {

    private static final double TWO_PI = 2 * Math.PI;

    private final ThermometryConfig config;
    private final Geometry grid;
    private final int channels;
    private final float[] base0;
    private final float[] base1; // imaginary part, or null for phase input
    private final float[] accumulated;
    private final float[] cem;
    private final float[] omega;
    private final double[][] referenceXyz; // RAS of reference voxels, or null
    private final int[] referenceIndex;
    private double lastTime;
    private int frames;

    /**
     * @param baseline the pre-heating phase image (one channel, radians after rescale) or complex image (two
     *     channels: real, imaginary)
     * @param baselineTimeS its acquisition time; dose accumulates from here
     */
    public ThermometrySession(Volume baseline, double baselineTimeS, ThermometryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.grid = baseline.geometry();
        this.channels = baseline.channels();
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("thermometry takes phase images (1 channel) or complex images (2 channels: "
                    + "real, imaginary), got " + channels + " channels");
        }
        int n = baseline.voxelsPerChannel();
        for (boolean[] m : new boolean[][] {config.referenceMask(), config.lesionMask(), config.criticalMask()}) {
            if (m != null && m.length != n) {
                throw new IllegalArgumentException("a thermometry mask has " + m.length + " voxels, the images " + n);
            }
        }
        this.base0 = baseline.toFloats(0);
        this.base1 = channels == 2 ? baseline.toFloats(1) : null;
        this.accumulated = new float[n];
        this.cem = new float[n];
        this.omega = new float[n];
        this.lastTime = baselineTimeS;
        if (config.referenceMask() != null) {
            int count = Masks.count(config.referenceMask());
            if (count == 0) {
                throw new IllegalArgumentException("the drift reference mask is empty");
            }
            referenceIndex = new int[count];
            int q = 0;
            for (int i = 0; i < n; i++) {
                if (config.referenceMask()[i]) {
                    referenceIndex[q++] = i;
                }
            }
            referenceXyz = Masks.centres(config.referenceMask(), grid);
        } else {
            referenceIndex = null;
            referenceXyz = null;
        }
    }

    public ThermometryConfig config() {
        return config;
    }

    /** Adds the next frame, acquired at {@code timeS} (after the previous one), and returns its maps. */
    public ThermalFrame addFrame(Volume phase, double timeS) {
        if (!phase.geometry().sameGrid(grid, 1e-4) || phase.channels() != channels) {
            throw new IllegalArgumentException("frame " + (frames + 1) + " is not on the baseline's grid with "
                    + channels + " channel(s): " + phase);
        }
        if (!(timeS > lastTime)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame %d at %.3f s is not after the previous frame (%.3f s)", frames + 1, timeS, lastTime));
        }
        double dt = timeS - lastTime;
        float[] p0 = phase.toFloats(0);
        float[] p1 = channels == 2 ? phase.toFloats(1) : null;
        int n = p0.length;
        int nz = grid.dim(2);
        int slice = grid.dim(0) * grid.dim(1);
        boolean unwrap = config.temporalUnwrap();
        boolean first = frames == 0;
        // 1-2: wrapped phase difference, then temporal unwrapping.
        IntStream.range(0, nz).parallel().forEach(k -> {
            for (int i = k * slice, end = i + slice; i < end; i++) {
                double d;
                if (p1 == null) {
                    d = wrap(p0[i] - base0[i]);
                } else {
                    double re = p0[i] * base0[i] + p1[i] * base1[i];
                    double im = p1[i] * base0[i] - p0[i] * base1[i];
                    d = Math.atan2(im, re);
                }
                accumulated[i] = (float) (unwrap && !first ? accumulated[i] + wrap(d - accumulated[i]) : d);
            }
        });
        // 3: drift, in radians, as a plane (MEAN: constant only).
        double[] driftRad = driftFit();
        double perDegree = config.prf().radiansPerDegree();
        double body = config.bodyTemperatureC();
        Affine m = grid.ijkToRas();
        int nx = grid.dim(0);
        int ny = grid.dim(1);
        float[] temperature = new float[n];
        double dtMin = dt / 60;
        double lnA = Math.log(config.arrhenius().frequencyFactorPerS());
        double eaOverR = config.arrhenius().activationEnergyJPerMol() / ArrheniusModel.GAS_CONSTANT;
        double lnHalf = Math.log(0.5);
        double lnQuarter = Math.log(0.25);
        IntStream.range(0, nz).parallel().forEach(k -> {
            for (int j = 0; j < ny; j++) {
                int row = nx * (j + ny * k);
                for (int i = 0; i < nx; i++) {
                    int v = row + i;
                    double phi = accumulated[v];
                    if (driftRad.length == 1) {
                        phi -= driftRad[0];
                    } else if (driftRad.length == 4) {
                        double x = m.get(0, 0) * i + m.get(0, 1) * j + m.get(0, 2) * k + m.get(0, 3);
                        double y = m.get(1, 0) * i + m.get(1, 1) * j + m.get(1, 2) * k + m.get(1, 3);
                        double z = m.get(2, 0) * i + m.get(2, 1) * j + m.get(2, 2) * k + m.get(2, 3);
                        phi -= driftRad[0] + driftRad[1] * x + driftRad[2] * y + driftRad[3] * z;
                    }
                    double t = body + phi / perDegree;
                    temperature[v] = (float) t;
                    // 5: dose over the interval, at this frame's temperature.
                    cem[v] = (float) (cem[v] + dtMin * Math.exp((43 - t) * (t >= 43 ? lnHalf : lnQuarter)));
                    double o = omega[v] + dt * Math.exp(lnA - eaOverR / (t + ArrheniusModel.KELVIN_OFFSET));
                    omega[v] = (float) Math.min(o, Float.MAX_VALUE);
                }
            }
        });
        lastTime = timeS;
        frames++;
        return summarise(timeS, temperature, driftRad, perDegree);
    }

    private ThermalFrame summarise(double timeS, float[] temperature, double[] driftRad, double perDegree) {
        int n = temperature.length;
        byte[] iso = new byte[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (cem[i] >= ThermalDose.NECROSIS_CEM43) {
                iso[i] = 1;
            }
            max = Math.max(max, temperature[i]);
        }
        double pctCem = Double.NaN;
        double pctOmega = Double.NaN;
        boolean[] lesion = config.lesionMask();
        if (lesion != null) {
            int total = 0;
            int hotCem = 0;
            int hotOmega = 0;
            for (int i = 0; i < n; i++) {
                if (lesion[i]) {
                    total++;
                    hotCem += iso[i];
                    hotOmega += omega[i] >= 1 ? 1 : 0;
                }
            }
            if (total > 0) {
                pctCem = 100.0 * hotCem / total;
                pctOmega = 100.0 * hotOmega / total;
            }
        }
        List<String> alarms = new ArrayList<>();
        double maxCritical = Double.NaN;
        boolean[] critical = config.criticalMask();
        if (critical != null) {
            int arg = -1;
            maxCritical = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (critical[i] && temperature[i] > maxCritical) {
                    maxCritical = temperature[i];
                    arg = i;
                }
            }
            if (arg >= 0 && maxCritical > config.criticalLimitC()) {
                int nx = grid.dim(0);
                int ny = grid.dim(1);
                Point3 at = Point3.of(grid.toRas(arg % nx, (arg / nx) % ny, arg / (nx * ny)));
                alarms.add(String.format(Locale.ROOT, "critical structure above %.1f C: %.1f C at RAS %s (frame %d)",
                        config.criticalLimitC(), maxCritical, at, frames));
            }
        }
        double[] driftC = new double[driftRad.length];
        for (int i = 0; i < driftC.length; i++) {
            driftC[i] = driftRad[i] / perDegree;
        }
        return new ThermalFrame(frames, timeS, Volume.ofFloats(grid, temperature), Volume.ofFloats(grid, cem),
                Volume.ofFloats(grid, omega), Volume.ofBytes(grid, iso), pctCem, pctOmega, max, maxCritical, driftC, alarms);
    }

    /** Drift of the accumulated phase difference in the reference region: [] / [c0] / [c0, cx, cy, cz]. */
    private double[] driftFit() {
        if (config.drift() == DriftCorrection.NONE) {
            return new double[0];
        }
        int r = referenceIndex.length;
        if (config.drift() == DriftCorrection.MEAN) {
            double s = 0;
            for (int idx : referenceIndex) {
                s += accumulated[idx];
            }
            return new double[] {s / r};
        }
        // PLANE: least squares on centred coordinates, then shifted back.
        double mx = 0;
        double my = 0;
        double mz = 0;
        for (int q = 0; q < r; q++) {
            mx += referenceXyz[0][q];
            my += referenceXyz[1][q];
            mz += referenceXyz[2][q];
        }
        mx /= r;
        my /= r;
        mz /= r;
        double[][] a = new double[4][5];
        for (int q = 0; q < r; q++) {
            double[] row = {1, referenceXyz[0][q] - mx, referenceXyz[1][q] - my, referenceXyz[2][q] - mz};
            double f = accumulated[referenceIndex[q]];
            for (int u = 0; u < 4; u++) {
                for (int w = 0; w < 4; w++) {
                    a[u][w] += row[u] * row[w];
                }
                a[u][4] += row[u] * f;
            }
        }
        double[] c = solve(a);
        return new double[] {c[0] - c[1] * mx - c[2] * my - c[3] * mz, c[1], c[2], c[3]};
    }

    /** Gaussian elimination with partial pivoting on an augmented 4x5 system. */
    private static double[] solve(double[][] a) {
        int n = 4;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[piv][col])) {
                    piv = row;
                }
            }
            if (Math.abs(a[piv][col]) <= 1e-9 * scale) {
                throw new IllegalArgumentException("PLANE drift correction: the reference region does not span three "
                        + "dimensions (its voxels are collinear or coplanar); use MEAN or a larger region");
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            for (int row = 0; row < n; row++) {
                if (row != col) {
                    double f = a[row][col] / a[col][col];
                    for (int k = col; k <= n; k++) {
                        a[row][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][n] / a[i][i];
        }
        return x;
    }

    /** {@code d} wrapped into (-pi, pi]. */
    static double wrap(double d) {
        double w = d - TWO_PI * Math.floor((d + Math.PI) / TWO_PI);
        return w == -Math.PI ? Math.PI : w;
    }
}
