package org.lesionlink.evaluation.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Ranks 1..n with ties given their average rank ("mid-ranks"), and the sizes of the tie groups. */
final class Ranks {

    final double[] ranks;
    /** Sizes of groups of equal values with more than one member. */
    final int[] tieGroups;

    private Ranks(double[] ranks, int[] tieGroups) {
        this.ranks = ranks;
        this.tieGroups = tieGroups;
    }

    static Ranks of(double[] values) {
        int n = values.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] r = new double[n];
        int[] groups = new int[n];
        int ng = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = avg;
            }
            if (j > i) {
                groups[ng++] = j - i + 1;
            }
            i = j + 1;
        }
        return new Ranks(r, Arrays.copyOf(groups, ng));
    }

    boolean hasTies() {
        return tieGroups.length > 0;
    }

    /** Sum over tie groups of t^3 - t. */
    double tieTerm() {
        double s = 0;
        for (int t : tieGroups) {
            s += (double) t * t * t - t;
        }
        return s;
    }
}
