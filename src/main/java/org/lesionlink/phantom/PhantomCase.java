package org.lesionlink.phantom;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.lesionlink.image.Volume;

/**
 * One generated case: its image channels (by file stem, in output order, e.g. {@code t1}, {@code t1c}), the
 * label map {@code seg} on the same grid, a map of the underlying healthy structures (tissue or structure
 * ordinal per voxel, for tests and inspection; not written), and the description written as
 * {@code lesions.json}.
 */
public record PhantomCase(int index, Map<String, Volume> images, Volume labels, Volume structures,
        Map<String, Object> description) {

    public PhantomCase {
        Objects.requireNonNull(labels, "labels");
        images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
        description = Collections.unmodifiableMap(new LinkedHashMap<>(description));
        for (Map.Entry<String, Volume> e : images.entrySet()) {
            if (!e.getValue().geometry().equals(labels.geometry())) {
                throw new IllegalArgumentException("image " + e.getKey() + " is not on the label grid");
            }
        }
    }

    /** The folder name of case {@code index}: {@code case007}. */
    public static String folderName(int index) {
        return String.format(java.util.Locale.ROOT, "case%03d", index);
    }

    public Volume image(String name) {
        Volume v = images.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no channel '" + name + "', have " + images.keySet());
        }
        return v;
    }
}
