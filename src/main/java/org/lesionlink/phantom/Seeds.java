package org.lesionlink.phantom;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a run seed, so that case {@code i} depends only on
 * {@code (seed, i)} and every parallel task (one slice of noise, say) has its own stream that does not
 * depend on thread scheduling. Mixing is SplitMix64's finaliser applied to a running hash.
 */
final class Seeds {

    /** What a stream is for; each purpose gets unrelated numbers from the same case seed. */
    enum Purpose { ANATOMY, LESIONS, POSE, CONTRAST, SCANNER, NOISE }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** The seed of case {@code caseIndex} of a run seeded with {@code runSeed}. */
    static long caseSeed(long runSeed, int caseIndex) {
        return mix(mix(runSeed) + GOLDEN * (caseIndex + 1L));
    }

    /** A fresh generator for one purpose of one case, optionally further keyed (channel, slice...). */
    static SplittableRandom stream(long caseSeed, Purpose purpose, long... keys) {
        long h = mix(caseSeed ^ mix(GOLDEN * (purpose.ordinal() + 1L)));
        for (long k : keys) {
            h = mix(h + GOLDEN * (k + 1));
        }
        return new SplittableRandom(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Log-uniform in [lo, hi]: as many values in 2..4 as in 20..40, the way metastasis sizes spread. */
    static double logUniform(SplittableRandom r, double lo, double hi) {
        return lo * Math.exp(Math.log(hi / lo) * r.nextDouble());
    }
}
