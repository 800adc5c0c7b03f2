package org.lesionlink.evaluation.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.testing.Peers;

/**
 * Every test and distribution function against scipy.stats (Debian's scipy 1.10) on random and tied
 * samples of the seed paper's size (n = 10) and larger (50, 200): p-values within 1e-6 absolute.
 */
class StatsScipyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void needScipy() {
        Peers.requirePythonModule("scipy.stats");
    }

    /** Jobs for the peer, and what to check in each answer. */
    private final ArrayNode jobs = JSON.createArrayNode();
    private final List<Consumer<JsonNode>> checks = new ArrayList<>();

    /** Largest |scipy - ours| per quantity, printed after each comparison. */
    private final java.util.Map<String, Double> worst = new java.util.TreeMap<>();

    private void near(String kind, double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, tol, what);
        if (!(Double.isNaN(expected) && Double.isNaN(actual))) {
            worst.merge(kind, Math.abs(expected - actual), Math::max);
        }
    }

    private void runPeer() throws Exception {
        Path file = dir.resolve("jobs.json");
        JSON.writeValue(file.toFile(), jobs);
        String out = Peers.runPythonScript("peers/stats_reference.py", List.of(file.toString()), 300);
        JsonNode answers = JSON.readTree(out);
        assertEquals(jobs.size(), answers.size());
        for (int i = 0; i < checks.size(); i++) {
            checks.get(i).accept(answers.get(i));
        }
        System.out.println(checks.size() + " scipy comparisons, largest |difference|: " + worst);
    }

    private static double[] sample(Random r, int n, String kind) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case "normal" -> 0.8 + 0.1 * r.nextGaussian();
                case "uniform" -> r.nextDouble();
                case "skewed" -> -Math.log(1 - r.nextDouble()) * 3;
                case "tied" -> Math.round(r.nextGaussian() * 2) / 2.0; // few distinct values
                default -> throw new IllegalArgumentException(kind);
            };
        }
        return x;
    }

    private static ArrayNode arr(double[] x) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : x) {
            a.add(v);
        }
        return a;
    }

    @Test
    void shapiroWilkMatchesScipy() throws Exception {
        Random r = new Random(11);
        for (int n : new int[] {4, 5, 6, 7, 10, 11, 12, 20, 50, 200, 1000}) {
            for (String kind : new String[] {"normal", "uniform", "skewed", "tied"}) {
                double[] x = sample(r, n, kind);
                if (kind.equals("tied") && java.util.Arrays.stream(x).distinct().count() < 2) {
                    continue;
                }
                ObjectNode job = jobs.addObject().put("kind", "shapiro");
                job.set("x", arr(x));
                ShapiroWilk.Result mine = ShapiroWilk.test(x);
                String what = "shapiro n=" + n + " " + kind;
                checks.add(a -> {
                    near("shapiro W", a.get("w").asDouble(), mine.w(), 1e-6, what + " W");
                    near("shapiro p", a.get("p").asDouble(), mine.p(), 1e-6, what + " p");
                });
            }
        }
        runPeer();
    }

    @Test
    void mannWhitneyUMatchesScipy() throws Exception {
        Random r = new Random(12);
        int[][] sizes = {{10, 10}, {5, 7}, {3, 12}, {8, 8}, {8, 30}, {9, 9}, {50, 50}, {200, 200}, {10, 50}, {1, 4}};
        for (int[] s : sizes) {
            for (String kind : new String[] {"normal", "tied"}) {
                for (double shift : new double[] {0, 0.05}) {
                    double[] x = sample(r, s[0], kind);
                    double[] y = sample(r, s[1], kind);
                    for (int i = 0; i < x.length; i++) {
                        x[i] += kind.equals("tied") ? (shift > 0 ? 0.5 : 0) : shift;
                    }
                    for (Alternative alt : Alternative.values()) {
                        ObjectNode job = jobs.addObject().put("kind", "mannwhitneyu").put("alternative", alt.id());
                        job.set("x", arr(x));
                        job.set("y", arr(y));
                        TestResult mine = MannWhitneyU.test(x, y, alt);
                        String what = "mwu " + s[0] + "x" + s[1] + " " + kind + " shift " + shift + " " + alt.id() + " (" + mine.method() + ")";
                        checks.add(a -> {
                            near("mwu U", a.get("statistic").asDouble(), mine.statistic(), 1e-9, what + " U");
                            near("mwu p", a.get("p").asDouble(), mine.p(), 1e-6, what + " p");
                        });
                    }
                }
            }
        }
        runPeer();
    }

    @Test
    void wilcoxonMatchesScipy() throws Exception {
        Random r = new Random(13);
        for (int n : new int[] {6, 10, 20, 50, 51, 200}) {
            for (String kind : new String[] {"normal", "tied", "zeros"}) {
                double[] x = sample(r, n, kind.equals("zeros") ? "normal" : kind);
                double[] y = sample(r, n, kind.equals("zeros") ? "normal" : kind);
                if (kind.equals("zeros")) {
                    y[0] = x[0];
                    y[n / 2] = x[n / 2];
                }
                for (int i = 0; i < n; i++) {
                    x[i] += kind.equals("tied") ? 0.5 * (i % 2) : 0.02;
                }
                for (Alternative alt : Alternative.values()) {
                    ObjectNode job = jobs.addObject().put("kind", "wilcoxon").put("alternative", alt.id());
                    job.set("x", arr(x));
                    job.set("y", arr(y));
                    TestResult mine = WilcoxonSignedRank.test(x, y, alt);
                    String what = "wilcoxon n=" + n + " " + kind + " " + alt.id() + " (" + mine.method() + ")";
                    checks.add(a -> {
                        near("wilcoxon T", a.get("statistic").asDouble(), mine.statistic(), 1e-9, what + " T");
                        near("wilcoxon p", a.get("p").asDouble(), mine.p(), 1e-6, what + " p");
                    });
                }
            }
        }
        runPeer();
    }

    @Test
    void distributionsMatchScipy() throws Exception {
        for (double df : new double[] {1, 2, 3, 4.5, 9, 10, 29, 49, 199, 1000}) {
            for (double p : new double[] {0.975, 0.95, 0.5001, 0.999, 0.025, 0.9999}) {
                jobs.addObject().put("kind", "t_ppf").put("p", p).put("df", df);
                double mine = StudentT.quantile(p, df);
                // 1e-8 relative: in the far tail scipy's own t.ppf is off by ~1e-9 (t.sf of its answer
                // misses 1 - p by 9e-10 relative at p = 0.9999, df = 3), ours by less.
                checks.add(a -> assertEquals(a.get("value").asDouble(), mine, 1e-8 * Math.max(1, Math.abs(mine)), "t.ppf(" + p + ", " + df + ")"));
            }
            for (double t : new double[] {-4, -1, 0.3, 2.2, 12}) {
                jobs.addObject().put("kind", "t_cdf").put("t", t).put("df", df);
                double mine = StudentT.cdf(t, df);
                checks.add(a -> assertEquals(a.get("value").asDouble(), mine, 1e-11, "t.cdf(" + t + ", " + df + ")"));
            }
        }
        for (double z = -6; z <= 12; z += 0.37) {
            double zz = z;
            jobs.addObject().put("kind", "norm_sf").put("z", z);
            double mine = SpecialFunctions.normalSf(z);
            checks.add(a -> assertEquals(a.get("value").asDouble(), mine, 1e-13 * a.get("value").asDouble() + 1e-300, "norm.sf(" + zz + ")"));
        }
        runPeer();
    }
}
