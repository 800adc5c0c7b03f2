package org.lesionlink.phantom;

import java.util.Locale;

/** The four BraTS contrasts of the brain phantom, in output order. */
public enum BrainChannel {
    T1, T1C, T2, FLAIR;

    /** File name inside a case folder, e.g. {@code t1c.nii.gz}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".nii.gz";
    }
}
