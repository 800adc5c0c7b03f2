package org.lesionlink.dicom.data;

/**
 * Value Representations, PS3.5 section 6.2 (Table 6.2-1), with what an encoder needs about each: the length of
 * the explicit-VR element header (PS3.5 section 7.1.2), the byte used to pad a value to even length (PS3.5
 * section 6.2: space for text, NUL for UI and binary VRs), the size of one binary value (for byte swapping
 * and counting), and whether the value is text decoded with the Specific Character Set (PS3.5 section 6.1.2.3).
 */
public enum VR {
    AE(Kind.TEXT, false, ' ', 0, false, true),
    AS(Kind.TEXT, false, ' ', 0, false, true),
    AT(Kind.BINARY, false, 0, 2, false, true),
    CS(Kind.TEXT, false, ' ', 0, false, true),
    DA(Kind.TEXT, false, ' ', 0, false, true),
    DS(Kind.TEXT, false, ' ', 0, false, true),
    DT(Kind.TEXT, false, ' ', 0, false, true),
    FD(Kind.BINARY, false, 0, 8, false, true),
    FL(Kind.BINARY, false, 0, 4, false, true),
    IS(Kind.TEXT, false, ' ', 0, false, true),
    LO(Kind.TEXT, false, ' ', 0, true, true),
    LT(Kind.TEXT, false, ' ', 0, true, false),
    OB(Kind.BULK, true, 0, 1, false, false),
    OD(Kind.BULK, true, 0, 8, false, false),
    OF(Kind.BULK, true, 0, 4, false, false),
    OL(Kind.BULK, true, 0, 4, false, false),
    OV(Kind.BULK, true, 0, 8, false, false),
    OW(Kind.BULK, true, 0, 2, false, false),
    PN(Kind.TEXT, false, ' ', 0, true, true),
    SH(Kind.TEXT, false, ' ', 0, true, true),
    SL(Kind.BINARY, false, 0, 4, false, true),
    SQ(Kind.SEQUENCE, true, 0, 0, false, false),
    SS(Kind.BINARY, false, 0, 2, false, true),
    ST(Kind.TEXT, false, ' ', 0, true, false),
    SV(Kind.BINARY, true, 0, 8, false, true),
    TM(Kind.TEXT, false, ' ', 0, false, true),
    UC(Kind.TEXT, true, ' ', 0, true, true),
    UI(Kind.TEXT, false, 0, 0, false, true),
    UL(Kind.BINARY, false, 0, 4, false, true),
    UN(Kind.BULK, true, 0, 1, false, false),
    UR(Kind.TEXT, true, ' ', 0, false, false),
    US(Kind.BINARY, false, 0, 2, false, true),
    UT(Kind.TEXT, true, ' ', 0, true, false),
    UV(Kind.BINARY, true, 0, 8, false, true);

    /** How a value is stored and interpreted. */
    public enum Kind {
        /** Character strings (PS3.5 section 6.2), several values separated by a backslash where allowed. */
        TEXT,
        /** Fixed-size binary numbers (US, SS, UL, SL, FL, FD, SV, UV) and attribute tags (AT). */
        BINARY,
        /** Byte or word streams (OB, OW, OF, OD, OL, OV) and unknown values (UN). */
        BULK,
        /** Sequences of items (PS3.5 section 7.5). */
        SEQUENCE
    }

    private static final VR[] BY_CODE = new VR[1 << 16];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.code()] = vr;
        }
    }

    private final Kind kind;
    private final boolean longHeader;
    private final byte padding;
    private final int valueSize;
    private final boolean specificCharacterSet;
    private final boolean multiValued;

    VR(Kind kind, boolean longHeader, int padding, int valueSize, boolean specificCharacterSet, boolean multiValued) {
        this.kind = kind;
        this.longHeader = longHeader;
        this.padding = (byte) padding;
        this.valueSize = valueSize;
        this.specificCharacterSet = specificCharacterSet;
        this.multiValued = multiValued;
    }

    public Kind kind() {
        return kind;
    }

    /** The two ASCII letters as a big-endian 16-bit number, as they appear in the byte stream. */
    public int code() {
        return (name().charAt(0) << 8) | name().charAt(1);
    }

    /** The VR for the two bytes of an explicit VR field, or {@code null} if they name no VR. */
    public static VR ofCode(int code) {
        return BY_CODE[code & 0xFFFF];
    }

    /**
     * Explicit VR header length, PS3.5 section 7.1.2: 12 bytes (2 reserved bytes and a 32-bit length) for
     * OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT and UV; 8 bytes (16-bit length) for the others.
     */
    public int explicitHeaderLength() {
        return longHeader ? 12 : 8;
    }

    /** Whether the explicit VR header has a 32-bit length field (and may thus hold an undefined length). */
    public boolean hasLongHeader() {
        return longHeader;
    }

    /** The byte that pads an odd-length value to even length: space for text except UI, NUL otherwise. */
    public byte padding() {
        return padding;
    }

    /** Bytes per value for binary VRs (2 for AT's group and element halves, 1 for OB and UN); 0 for text and SQ. */
    public int valueSize() {
        return valueSize;
    }

    /** Whether the value is text decoded with (0008,0005) Specific Character Set (SH, LO, ST, LT, UC, UT, PN). */
    public boolean usesSpecificCharacterSet() {
        return specificCharacterSet;
    }

    /** Whether a backslash separates values (false for LT, ST, UT and UR, whose VM is always 1). */
    public boolean isMultiValued() {
        return multiValued;
    }

    public boolean isText() {
        return kind == Kind.TEXT;
    }

    /** Whether values must be byte-swapped between little and big endian transfer syntaxes. */
    public boolean needsByteSwap() {
        return valueSize > 1 && kind != Kind.SEQUENCE;
    }
}
