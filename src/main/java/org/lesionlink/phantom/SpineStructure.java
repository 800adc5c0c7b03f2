package org.lesionlink.phantom;

/** The healthy structures of the spine phantom; the ordinal is the value in the case's structure map. */
public enum SpineStructure {
    AIR, FAT, MUSCLE,
    /** Viscera and other intermediate tissue in front of the spine. */
    SOFT_TISSUE,
    CORTICAL_BONE,
    /** Cancellous (fatty) marrow inside vertebral bodies and posterior elements. */
    MARROW,
    DISC_ANNULUS, DISC_NUCLEUS, CSF, CORD;

    public boolean isBone() {
        return this == CORTICAL_BONE || this == MARROW;
    }

    public boolean isCanal() {
        return this == CSF || this == CORD;
    }
}
