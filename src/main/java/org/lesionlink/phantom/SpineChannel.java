package org.lesionlink.phantom;

import java.util.Locale;

/** The two contrasts of the spine phantom, in output order. */
public enum SpineChannel {
    T1, T2;

    /** File name inside a case folder, e.g. {@code t2.nii.gz}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".nii.gz";
    }
}
