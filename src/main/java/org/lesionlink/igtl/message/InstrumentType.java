package org.lesionlink.igtl.message;

/** Instrument type of a TDATA / QTDATA element ("trackingdata.md", "qtrackingdata.md"). */
public enum InstrumentType {
    /** 1: the tracker itself. */
    TRACKER(1),
    /** 2: a regular 6-DOF instrument. */
    INSTRUMENT_6D(2),
    /** 3: only the tip is defined. */
    INSTRUMENT_3D(3),
    /** 4: tip and handle defined, not the normal direction. */
    INSTRUMENT_5D(4);

    private final int code;

    InstrumentType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static InstrumentType fromCode(int code) {
        for (InstrumentType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tracking instrument type " + code + " (expected 1..4)");
    }
}
