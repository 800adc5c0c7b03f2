package org.lesionlink.inference.djl;

import java.util.Locale;

/** Where inference runs, as chosen on the command line ({@code --device auto|cpu|gpu}). */
public enum DeviceChoice {
    /** The first GPU when the engine sees one, else the CPU. */
    AUTO,
    CPU,
    /** The first GPU; loading fails when the engine sees none. */
    GPU;

    public static DeviceChoice parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown device '" + s + "' (expected auto, cpu or gpu)");
        }
    }
}
