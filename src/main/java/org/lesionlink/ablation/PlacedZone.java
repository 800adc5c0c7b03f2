package org.lesionlink.ablation;

import java.util.Objects;

/** One ablation: a zone specification at an applicator pose. */
public record PlacedZone(ZoneSpec spec, ProbePose pose) {

    public PlacedZone {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(pose, "pose");
    }

    public Ellipsoid ellipsoid() {
        return Ellipsoid.of(spec, pose);
    }
}
