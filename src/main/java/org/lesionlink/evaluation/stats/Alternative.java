package org.lesionlink.evaluation.stats;

/** Alternative hypothesis of a two-sample or paired test about the first sample x against the second y. */
public enum Alternative {
    /** x is stochastically greater than y (for paired data: the differences x - y are centred above 0). */
    GREATER("greater"),
    /** x is stochastically less than y. */
    LESS("less"),
    /** x and y differ in either direction. */
    TWO_SIDED("two-sided");

    private final String id;

    Alternative(String id) {
        this.id = id;
    }

    /** The name scipy uses ({@code greater}, {@code less}, {@code two-sided}). */
    public String id() {
        return id;
    }
}
