package org.lesionlink.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lesionlink.evaluation.stats.Alternative;
import org.lesionlink.evaluation.stats.MannWhitneyU;
import org.lesionlink.evaluation.stats.Summary;
import org.lesionlink.evaluation.stats.TestResult;
import org.lesionlink.evaluation.stats.WilcoxonSignedRank;

/**
 * The statistics of an evaluation, computed from its {@link Row rows}: per model, region and metric a
 * {@link Summary}; per region and metric, for every ordered pair of models, a one-sided Mann-Whitney U
 * test (independent samples, as the seed paper) and a Wilcoxon signed-rank test (paired by case); and
 * the challenging cases of the seed paper's section 3.2.
 *
 * <p><b>Alternatives.</b> For a pair (A, B) the alternative is "A is better than B": {@code greater} for
 * metrics where higher is better (Dice, sensitivity, ...), {@code less} where lower is better (HD, HD95,
 * false positives, ...), {@code two-sided} for descriptive ones (predicted volume, predicted lesion
 * count). Metrics that depend on the truth alone are not compared. NaN values (undefined metrics) are
 * left out: of each sample for Mann-Whitney, of the pairs for Wilcoxon.
 */
public final class Analysis {

    /** Descriptive statistics of one model, region and metric. */
    public record SummaryRow(String model, String region, Metric metric, Summary summary) {
    }

    /** One test of model A against model B. */
    public record Comparison(String modelA, String modelB, String region, Metric metric, Alternative alternative,
                             int nA, int nB, TestResult result) {
    }

    /** A case marked as challenging {@code count} times; {@code markedBy} lists model:region:metric. */
    public record ChallengingCase(String caseId, int count, List<String> markedBy) {
    }

    /** Metrics whose worst case marks a challenging case, and whether worst is the lowest value. */
    static final Map<Metric, Boolean> CHALLENGE_METRICS = new LinkedHashMap<>();

    static {
        CHALLENGE_METRICS.put(Metric.DICE, true);
        CHALLENGE_METRICS.put(Metric.SENSITIVITY, true);
        CHALLENGE_METRICS.put(Metric.SPECIFICITY, true);
        CHALLENGE_METRICS.put(Metric.HD, false);
    }

    private final List<Row> rows;
    private final List<String> models;
    private final List<String> regions;
    private final List<String> cases;
    /** model -> region -> metric -> case -> value */
    private final Map<String, Map<String, Map<Metric, Map<String, Double>>>> values = new LinkedHashMap<>();

    public Analysis(List<Row> rows) {
        this.rows = List.copyOf(rows);
        Set<String> m = new LinkedHashSet<>();
        Set<String> r = new LinkedHashSet<>();
        Set<String> c = new LinkedHashSet<>();
        for (Row row : rows) {
            m.add(row.model());
            r.add(row.region());
            c.add(row.caseId());
            values.computeIfAbsent(row.model(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(row.region(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(row.metric(), k -> new LinkedHashMap<>())
                    .put(row.caseId(), row.value());
        }
        models = List.copyOf(m);
        regions = List.copyOf(r);
        cases = List.copyOf(c);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<String> models() {
        return models;
    }

    public List<String> regions() {
        return regions;
    }

    public List<String> cases() {
        return cases;
    }

    /** Case to value for one model, region and metric (empty if absent). */
    public Map<String, Double> values(String model, String region, Metric metric) {
        return values.getOrDefault(model, Map.of()).getOrDefault(region, Map.of()).getOrDefault(metric, Map.of());
    }

    public List<SummaryRow> summaries() {
        List<SummaryRow> out = new ArrayList<>();
        for (String model : models) {
            for (String region : regions) {
                for (Metric metric : Metric.values()) {
                    double[] v = values(model, region, metric).values().stream().mapToDouble(Double::doubleValue).toArray();
                    out.add(new SummaryRow(model, region, metric, Summary.of(v)));
                }
            }
        }
        return out;
    }

    /** Mann-Whitney U then Wilcoxon signed-rank, for every region, compared metric and ordered model pair. */
    public List<Comparison> comparisons() {
        List<Comparison> out = new ArrayList<>();
        for (String region : regions) {
            for (Metric metric : Metric.values()) {
                if (metric.truthOnly()) {
                    continue;
                }
                Alternative alt = switch (metric.direction()) {
                    case HIGHER -> Alternative.GREATER;
                    case LOWER -> Alternative.LESS;
                    case NONE -> Alternative.TWO_SIDED;
                };
                for (String a : models) {
                    for (String b : models) {
                        if (a.equals(b)) {
                            continue;
                        }
                        Map<String, Double> va = values(a, region, metric);
                        Map<String, Double> vb = values(b, region, metric);
                        double[] xa = va.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
                        double[] xb = vb.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
                        out.add(new Comparison(a, b, region, metric, alt, xa.length, xb.length, MannWhitneyU.test(xa, xb, alt)));
                        List<double[]> pairs = new ArrayList<>();
                        for (Map.Entry<String, Double> e : va.entrySet()) {
                            Double y = vb.get(e.getKey());
                            if (y != null && Double.isFinite(y) && Double.isFinite(e.getValue())) {
                                pairs.add(new double[] {e.getValue(), y});
                            }
                        }
                        double[] px = pairs.stream().mapToDouble(p -> p[0]).toArray();
                        double[] py = pairs.stream().mapToDouble(p -> p[1]).toArray();
                        out.add(new Comparison(a, b, region, metric, alt, px.length, py.length, WilcoxonSignedRank.test(px, py, alt)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Seed paper section 3.2: for each model, region and metric among Dice, sensitivity, specificity
     * (lowest is worst) and HD (highest is worst), the worst case is marked; cases tied for worst are all
     * marked. Cases are returned by decreasing number of marks, then by name; unmarked cases are left out.
     */
    public List<ChallengingCase> challengingCases() {
        Map<String, List<String>> marks = new LinkedHashMap<>();
        for (String model : models) {
            for (String region : regions) {
                for (Map.Entry<Metric, Boolean> cm : CHALLENGE_METRICS.entrySet()) {
                    Map<String, Double> v = values(model, region, cm.getKey());
                    boolean lowest = cm.getValue();
                    double worst = lowest ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    for (double x : v.values()) {
                        if (Double.isFinite(x) && (lowest ? x < worst : x > worst)) {
                            worst = x;
                        }
                    }
                    if (Double.isInfinite(worst)) {
                        continue;
                    }
                    for (Map.Entry<String, Double> e : v.entrySet()) {
                        if (e.getValue() == worst) {
                            marks.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(model + ":" + region + ":" + cm.getKey().id());
                        }
                    }
                }
            }
        }
        List<ChallengingCase> out = new ArrayList<>();
        marks.forEach((c, by) -> out.add(new ChallengingCase(c, by.size(), List.copyOf(by))));
        out.sort((x, y) -> x.count() != y.count() ? Integer.compare(y.count(), x.count()) : x.caseId().compareTo(y.caseId()));
        return out;
    }
}
