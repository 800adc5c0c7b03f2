package org.lesionlink.dicom.volume;

import java.util.Objects;

/**
 * The outcome for one series (or one stack of a split series): either an {@link AssembledSeries} or a
 * {@link Refusal}, never both; {@link #info} is there in both cases.
 */
public record SeriesResult(SeriesInfo info, AssembledSeries volume, Refusal refusal) {

    public SeriesResult {
        Objects.requireNonNull(info, "info");
        if ((volume == null) == (refusal == null)) {
            throw new IllegalArgumentException("exactly one of volume and refusal must be given");
        }
    }

    public boolean isAssembled() {
        return volume != null;
    }
}
