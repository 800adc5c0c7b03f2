package org.lesionlink.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.lesionlink.evaluation.Region;
import org.lesionlink.evaluation.metric.BinaryMask;
import org.lesionlink.evaluation.metric.LesionWise;
import org.lesionlink.image.Crop;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.post.LabelMaker;

/**
 * Chooses a model's {@link ModelSpec.PostProcessing} on validation cases, as nnU-Net determines its
 * postprocessing on the cross-validation predictions: the network runs once per case, then the label
 * maps for each candidate are made from the kept logits by the very code {@code segment} uses
 * ({@link LabelMaker}) and scored against the truth.
 *
 * <p><b>Score</b>: the mean over cases and the task's regions of the BraTS-METS lesion-wise Dice
 * ({@link LesionWise}), the metric that false-positive components and missed lesions both cost.
 *
 * <p><b>Search</b>: coordinate descent from no postprocessing, two rounds: the minimum component volume
 * (mm^3, all foreground together) over {@link #VOLUMES_MM3}, then for sigmoid models each region's
 * probability threshold over {@link #THRESHOLDS}. A change is kept only if it raises the score by more
 * than {@link #MIN_GAIN}, so ties keep the simpler setting. The grid is small on purpose: with ten or so
 * validation cases a finer one would fit their noise. The cases must never be the ones the model is
 * finally tested on.
 */
public final class PostprocessingSearch {

    /** Candidate minimum component volumes (mm^3): 0 and 1..64 voxels of 2 mm. */
    public static final List<Double> VOLUMES_MM3 = List.of(0.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0);

    /** Candidate per-region probability thresholds. */
    public static final List<Double> THRESHOLDS = List.of(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

    /** Smallest score gain that makes a candidate replace the current setting. */
    public static final double MIN_GAIN = 1e-3;

    /**
     * One validation case: the network's logits on the cropped model-input grid ({@code cropGrid}), the
     * full grid they are restored onto, and the truth label map on that full grid.
     */
    public record Case(String id, float[][] logits, Geometry cropGrid, Geometry grid, Volume truth) {}

    /** A tried setting and its mean lesion-wise Dice per region (task region order) and overall. */
    public record Trial(ModelSpec.PostProcessing post, double[] regionScores, double score) {
        public String describe(List<Region> regions) {
            StringBuilder sb = new StringBuilder(PostprocessingSearch.describe(post)).append(": score ")
                    .append(String.format(Locale.ROOT, "%.4f", score));
            for (int r = 0; r < regions.size(); r++) {
                sb.append(String.format(Locale.ROOT, " %s %.4f", regions.get(r).name(), regionScores[r]));
            }
            return sb.toString();
        }
    }

    /** The baseline (no postprocessing), the chosen setting and everything tried, in order. */
    public record Result(Trial baseline, Trial chosen, List<Trial> trials) {}

    private final ModelSpec spec;
    private final List<Region> regions;
    private final LesionWise.Params params;

    public PostprocessingSearch(ModelSpec spec, List<Region> regions, LesionWise.Params params) {
        this.spec = spec;
        this.regions = List.copyOf(regions);
        this.params = params;
    }

    /** Runs the search; {@code log} sees every trial as it is scored. */
    public Result run(List<Case> cases, Consumer<Trial> log) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no validation cases");
        }
        List<Trial> trials = new ArrayList<>();
        Trial baseline = score(ModelSpec.PostProcessing.NONE, cases);
        trials.add(baseline);
        log.accept(baseline);
        Trial best = baseline;
        boolean sigmoid = spec.activation() == ModelSpec.Activation.SIGMOID;
        for (int round = 0; round < 2; round++) {
            for (double v : VOLUMES_MM3) {
                best = tryCandidate(with(best.post(), v, thresholds(best.post())), best, cases, trials, log);
            }
            if (sigmoid) {
                for (int r = 0; r < spec.regions().size(); r++) {
                    for (double t : THRESHOLDS) {
                        List<Double> th = new ArrayList<>(thresholds(best.post()));
                        th.set(r, t);
                        best = tryCandidate(with(best.post(), volume(best.post()), th), best, cases, trials, log);
                    }
                }
            }
        }
        return new Result(baseline, best, List.copyOf(trials));
    }

    private Trial tryCandidate(ModelSpec.PostProcessing candidate, Trial best, List<Case> cases, List<Trial> trials,
            Consumer<Trial> log) {
        for (Trial t : trials) {
            if (t.post().equals(candidate)) {
                return best; // scored already
            }
        }
        Trial t = score(candidate, cases);
        trials.add(t);
        log.accept(t);
        return t.score() > best.score() + MIN_GAIN ? t : best;
    }

    /** The mean lesion-wise Dice per region and overall of {@code post} on {@code cases}. */
    public Trial score(ModelSpec.PostProcessing post, List<Case> cases) {
        double[] sums = new double[regions.size()];
        for (Case c : cases) {
            int[] d = c.cropGrid().dims();
            double[] s = c.cropGrid().spacing();
            byte[] labels = LabelMaker.apply(spec, post, c.logits(), d, s[0] * s[1] * s[2]);
            Volume pred = Crop.restore(Volume.ofBytes(c.cropGrid(), labels), c.grid(), 0);
            for (int r = 0; r < regions.size(); r++) {
                BinaryMask truth = BinaryMask.ofLabels(c.truth(), regions.get(r).labels());
                BinaryMask p = BinaryMask.ofLabels(pred, regions.get(r).labels());
                sums[r] += LesionWise.evaluate(truth, p, params).dice();
            }
        }
        double total = 0;
        for (int r = 0; r < sums.length; r++) {
            sums[r] /= cases.size();
            total += sums[r];
        }
        return new Trial(post, sums, total / sums.length);
    }

    /** A setting with the given volume (0: none) and thresholds (all 0.5: none), other keys kept. */
    private ModelSpec.PostProcessing with(ModelSpec.PostProcessing p, double volumeMm3, List<Double> thresholds) {
        boolean defaultThresholds = thresholds.stream().allMatch(t -> t == 0.5);
        return new ModelSpec.PostProcessing(p.minComponentVoxels(), volumeMm3 == 0 ? null : volumeMm3,
                defaultThresholds ? null : thresholds);
    }

    private List<Double> thresholds(ModelSpec.PostProcessing p) {
        List<Double> th = new ArrayList<>();
        for (int r = 0; r < spec.regions().size(); r++) {
            th.add(p.threshold(r));
        }
        return th;
    }

    private static double volume(ModelSpec.PostProcessing p) {
        return p.minComponentMm3() == null ? 0 : p.minComponentMm3();
    }

    static String describe(ModelSpec.PostProcessing p) {
        String v = p.minComponentMm3() == null ? "no minimum volume" : String.format(Locale.ROOT, "min %.0f mm^3", p.minComponentMm3());
        return p.thresholds() == null ? v + ", thresholds 0.5" : v + ", thresholds " + p.thresholds();
    }
}
