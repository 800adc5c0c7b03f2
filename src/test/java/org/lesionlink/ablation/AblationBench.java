package org.lesionlink.ablation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiWriter;

/**
 * Benchmark, not a test (bench/ablation/run.sh). Pose update -> metrics on a 60 mm region at 1 mm (lesion:
 * 20 mm sphere; spinal canal: 12 mm cylinder), 1000 random poses near the lesion, against the straightforward
 * reference in the same JVM (rasterize the zone on the region grid, exact EDTs per pose: {@link VoxelMargins});
 * and one 256 x 256 x 16 thermometry frame -> temperature, CEM43 and damage maps. Writes the masks, poses and
 * results under the output folder for the scipy peer and the comparison.
 *
 * <p>Usage: {@code AblationBench OUT_DIR [POSES] [REFERENCE_POSES]}
 */
public final class AblationBench {

    private AblationBench() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/out/ablation");
        int poses = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int referencePoses = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Files.createDirectories(out);
        poseBench(out, poses, referencePoses);
        thermometryBench(out);
    }

    private static void poseBench(Path out, int poses, int referencePoses) throws IOException {
        Geometry grid = Geometry.axisAligned(new int[] {60, 60, 60}, new double[] {1, 1, 1}, new double[] {-29.5, -29.5, -29.5});
        boolean[] lesion = AblationPhantoms.sphere(grid, Point3.ORIGIN, 10);
        boolean[] canal = AblationPhantoms.cylinderAlongZ(grid, 0, -22, 6);
        new NiftiWriter().write(mask(grid, lesion), out.resolve("lesion.nii.gz"));
        new NiftiWriter().write(mask(grid, canal), out.resolve("canal.nii.gz"));
        ZoneSpec spec = DeviceTable.builtIn().lookup("covidien-mwa", 75, 300);

        long p0 = System.nanoTime();
        TargetLesion target = TargetLesion.ofMask(lesion, grid);
        CriticalStructure structure = CriticalStructure.ofMask("spinal canal", canal, grid);
        long prep = System.nanoTime() - p0;

        Random rnd = new Random(42);
        List<PlacedZone> placed = new ArrayList<>();
        for (int i = 0; i < poses + 200; i++) {
            Point3 dir = new Point3(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()).unit();
            Point3 centre = new Point3(rnd.nextGaussian() * 4, rnd.nextGaussian() * 4, rnd.nextGaussian() * 4);
            placed.add(new PlacedZone(spec, new ProbePose(centre.plus(dir.times(spec.offsetMm())), dir, rnd.nextDouble() * 6.28)));
        }
        // Warm-up (JIT) on the first 200, then timed one by one.
        for (int i = 0; i < 200; i++) {
            AblationMetrics.evaluate(target, List.of(placed.get(i)), structure, SafetyThresholds.DEFAULT);
        }
        double[] ms = new double[poses];
        AblationResult[] results = new AblationResult[poses];
        for (int i = 0; i < poses; i++) {
            long t0 = System.nanoTime();
            results[i] = AblationMetrics.evaluate(target, List.of(placed.get(200 + i)), structure, SafetyThresholds.DEFAULT);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        // Reference: rasterize + exact EDTs per pose, same JVM.
        int nRef = Math.min(referencePoses, poses);
        double[] refMs = new double[nRef];
        double[] mamDiff = new double[nRef];
        double[] critDiff = new double[nRef];
        double[] covDiff = new double[nRef];
        for (int i = 0; i < nRef + 20; i++) {
            int idx = Math.max(0, i - 20); // 20 warm-up repeats of pose 0
            long t0 = System.nanoTime();
            AblationZone zone = AblationZone.of(placed.get(200 + idx).ellipsoid());
            boolean[] zm = toMask(zone.rasterize(grid, 1));
            MarginSummary m = VoxelMargins.margins(lesion, zm, grid);
            double crit = VoxelMargins.structureDistance(canal, zm, grid);
            double t = (System.nanoTime() - t0) / 1e6;
            if (i >= 20) {
                refMs[idx] = t;
                mamDiff[idx] = m.minMarginMm() - results[idx].margins().minMarginMm();
                critDiff[idx] = crit - results[idx].critical().zoneDistanceMm();
                covDiff[idx] = m.coveragePercent() - results[idx].margins().coveragePercent();
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("poses.csv")))) {
            w.println("tip_x,tip_y,tip_z,dir_x,dir_y,dir_z,x_x,x_y,x_z,a,b,c,offset,coverage,mam,critical,status,ms");
            for (int i = 0; i < poses; i++) {
                Ellipsoid e = results[i].ellipsoids().get(0);
                ProbePose p = placed.get(200 + i).pose();
                AblationResult r = results[i];
                w.printf(Locale.ROOT, "%.9f,%.9f,%.9f,%.12f,%.12f,%.12f,%.12f,%.12f,%.12f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%s,%.4f%n",
                        p.tip().x(), p.tip().y(), p.tip().z(), p.direction().x(), p.direction().y(), p.direction().z(),
                        e.xAxis().x(), e.xAxis().y(), e.xAxis().z(), spec.a(), spec.b(), spec.c(), spec.offsetMm(),
                        r.margins().coveragePercent(), r.margins().minMarginMm(), r.critical().zoneDistanceMm(), r.status(), ms[i]);
            }
        }
        long[] statuses = new long[4];
        for (AblationResult r : results) {
            statuses[r.status().ordinal()]++;
        }
        System.out.printf(Locale.ROOT, "pose bench: 60x60x60 @ 1 mm, lesion %d voxels (%d surface), canal %d voxels (%d surface); "
                        + "plan preparation %.1f ms%n", target.voxelCount(), target.surfaceVoxelCount(), structure.voxelCount(),
                structure.surface()[0].length, prep / 1e6);
        System.out.printf(Locale.ROOT, "  statuses over %d poses: OK %d, WARN %d, STOP %d%n", poses, statuses[0], statuses[1], statuses[2]);
        System.out.printf(Locale.ROOT, "  analytic pose update: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d poses)%n",
                pct(ms, 50), pct(ms, 99), max(ms), poses);
        System.out.printf(Locale.ROOT, "  reference (rasterize + 3 exact EDTs, Java): p50 %.3f ms, p99 %.3f ms (%d poses); "
                + "ratio analytic/reference p50 %.4f%n", pct(refMs, 50), pct(refMs, 99), nRef, pct(ms, 50) / pct(refMs, 50));
        System.out.printf(Locale.ROOT, "  agreement (reference - analytic): MAM mean %.3f, range [%.3f, %.3f] mm; critical distance "
                        + "range [%.3f, %.3f] mm; coverage max |diff| %.4f %%%n", mean(mamDiff), min(mamDiff), max(mamDiff),
                min(critDiff), max(critDiff), maxAbs(covDiff));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("java_times.txt")))) {
            w.printf(Locale.ROOT, "analytic_p50_ms %.4f%nanalytic_p99_ms %.4f%nreference_p50_ms %.4f%nreference_p99_ms %.4f%n",
                    pct(ms, 50), pct(ms, 99), pct(refMs, 50), pct(refMs, 99));
        }
    }

    private static void thermometryBench(Path out) {
        Geometry grid = Geometry.axisAligned(new int[] {256, 256, 16}, new double[] {1.1, 1.1, 3}, new double[] {-140, -140, -22});
        int n = (int) grid.voxelCount();
        Random rnd = new Random(1);
        float[] base = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = (float) (rnd.nextDouble() * 2 * Math.PI - Math.PI);
        }
        boolean[] ref = new boolean[n];
        boolean[] lesion = new boolean[n];
        boolean[] critical = new boolean[n];
        for (int i = 0; i < n; i++) {
            int x = i % 256;
            int y = (i / 256) % 256;
            ref[i] = x < 20 || x >= 236;
            lesion[i] = Math.abs(x - 128) < 10 && Math.abs(y - 128) < 10;
            critical[i] = Math.abs(x - 150) < 3 && Math.abs(y - 128) < 3;
        }
        PrfParams prf = PrfParams.of(3, 0.010);
        ThermometrySession s = new ThermometrySession(Volume.ofFloats(grid, base), 0,
                ThermometryConfig.of(prf).withDrift(DriftCorrection.PLANE, ref).withLesion(lesion).withCritical(critical, 45));
        int frames = 30;
        double[] ms = new double[frames];
        for (int f = 0; f < frames + 5; f++) {
            float[] ph = new float[n];
            double peak = 2.0 * (f + 1);
            for (int i = 0; i < n; i++) {
                int x = i % 256;
                int y = (i / 256) % 256;
                double r2 = (x - 128) * (x - 128) + (y - 128) * (y - 128);
                double rise = peak * Math.exp(-r2 / 200.0);
                ph[i] = (float) ThermometrySession.wrap(base[i] + prf.radiansPerDegree() * rise + 0.001 * f * x);
            }
            Volume frame = Volume.ofFloats(grid, ph);
            long t0 = System.nanoTime();
            s.addFrame(frame, 4.0 * (f + 1));
            if (f >= 5) {
                ms[f - 5] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "thermometry frame 256x256x16 -> temperature, CEM43, Omega, isodose (PLANE drift, masks): "
                + "p50 %.1f ms, p99/max %.1f ms (%d frames after 5 warm-up)%n", pct(ms, 50), max(ms), frames);
    }

    private static Volume mask(Geometry g, boolean[] m) {
        byte[] b = new byte[m.length];
        for (int i = 0; i < m.length; i++) {
            b[i] = (byte) (m[i] ? 1 : 0);
        }
        return Volume.ofBytes(g, b);
    }

    private static boolean[] toMask(Volume v) {
        byte[] b = new byte[v.voxelsPerChannel()];
        v.data(0).get(b);
        boolean[] m = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            m[i] = b[i] != 0;
        }
        return m;
    }

    /** Nearest-rank percentile. */
    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(Double.NaN);
    }
}
