package org.lesionlink.inference;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lesionlink.image.BoundingBox;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.post.Lesion;

/**
 * The result of {@link Segmenter#segment}.
 *
 * @param labelMap uint8 label map on the geometry of the first input
 * @param lesions one entry per connected lesion
 * @param crop the non-zero box of the inputs that was segmented (empty when the inputs are all zero)
 * @param timings wall time per stage, in pipeline order
 * @param logits when asked for: the averaged logits resampled to the cropped input grid (float32, one
 *     channel per network output); for comparisons and uncertainty maps
 */
public record Segmentation(Volume labelMap, List<Lesion> lesions, Optional<BoundingBox> crop,
        Map<String, Duration> timings, Optional<Volume> logits) {

    public Segmentation {
        lesions = List.copyOf(lesions);
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }

    public Duration total() {
        return timings.values().stream().reduce(Duration.ZERO, Duration::plus);
    }
}
