package org.lesionlink.phantom;

/**
 * The healthy tissue classes of the brain phantom, in the order of {@link TissueModel}'s fraction maps.
 * The ordinal is the value in the phantom's tissue map.
 */
public enum Tissue {
    BACKGROUND,
    /** Ventricles, sulci and the thin layer of CSF around the brain. */
    CSF,
    GREY_MATTER,
    WHITE_MATTER,
    /** Scalp and orbital fat, fatty marrow: bright on T1 outside the brain. */
    FAT,
    /** Muscle, skin, dura and other intermediate soft tissue outside the brain. */
    SOFT_TISSUE,
    /** Skull and other dark non-brain voxels (air in sinuses included). */
    BONE;

    public static final int COUNT = values().length;

    public boolean isBrain() {
        return this == CSF || this == GREY_MATTER || this == WHITE_MATTER;
    }
}
