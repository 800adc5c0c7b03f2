package org.lesionlink.evaluation;

import java.util.List;

/** Label conventions of the two tasks LesionLink segments, as default region sets. */
public enum Task {
    /**
     * Brain metastases, BraTS-METS labels (1 non-enhancing tumour core, 2 surrounding FLAIR
     * hyperintensity, 3 enhancing tumour): ET = {3}, TC = {1, 3}, WT = {1, 2, 3}.
     */
    BRAIN(List.of(Region.of("ET", 3), Region.of("TC", 1, 3), Region.of("WT", 1, 2, 3))),
    /** Spinal metastases: one region per label, 1 lesion, 2 vertebra, 3 spinal canal. */
    SPINE(List.of(Region.of("lesion", 1), Region.of("vertebra", 2), Region.of("canal", 3)));

    private final List<Region> regions;

    Task(List<Region> regions) {
        this.regions = regions;
    }

    public List<Region> regions() {
        return regions;
    }
}
