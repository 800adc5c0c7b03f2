package org.lesionlink.evaluation;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A region evaluated as one binary mask: the voxels whose label is in {@link #labels}.
 *
 * @param name short name used in reports (e.g. {@code ET}); letters, digits, '_' and '-'
 * @param labels label values that make up the region
 */
public record Region(String name, Set<Integer> labels) {

    public Region {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("region name must be letters, digits, '_' or '-', got '" + name + "'");
        }
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("region " + name + " needs at least one label");
        }
        labels = Collections.unmodifiableSet(new LinkedHashSet<>(labels));
    }

    public static Region of(String name, Integer... labels) {
        return new Region(name, new LinkedHashSet<>(Arrays.asList(labels)));
    }

    /** Parses {@code NAME=L[,L...]}, e.g. {@code TC=1,3}. */
    public static Region parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("region must look like NAME=LABEL[,LABEL...], e.g. TC=1,3; got '" + spec + "'");
        }
        Set<Integer> labels = new LinkedHashSet<>();
        for (String part : spec.substring(eq + 1).split(",")) {
            try {
                labels.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("region '" + spec + "': '" + part + "' is not an integer label");
            }
        }
        return new Region(spec.substring(0, eq).strip(), labels);
    }

    @Override
    public String toString() {
        return name + "=" + labels.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
