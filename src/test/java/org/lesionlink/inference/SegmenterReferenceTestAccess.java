package org.lesionlink.inference;

import java.util.List;
import org.lesionlink.image.Volume;

/** Lets tests in other packages reuse the reference test's phantom. */
public final class SegmenterReferenceTestAccess {
    private SegmenterReferenceTestAccess() {}

    public static List<Volume> phantom(int[] dims, long seed) {
        return SegmenterReferenceTest.phantom(dims, seed);
    }
}
