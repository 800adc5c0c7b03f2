package org.lesionlink.ablation;

/** Critical-structure status of a pose. Decision support only: it does not control any device. */
public enum SafetyStatus {
    /** Zone and tip at least the WARN distance from the critical structure. */
    OK,
    /** Zone or tip closer than the WARN distance. */
    WARN,
    /** Zone or tip closer than the STOP distance, or the zone overlaps the structure. */
    STOP,
    /** No critical structure was given, so nothing was assessed. */
    NOT_ASSESSED
}
