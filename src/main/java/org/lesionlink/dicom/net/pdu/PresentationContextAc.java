package org.lesionlink.dicom.net.pdu;

import java.util.Objects;

/**
 * Presentation Context item of an A-ASSOCIATE-AC (type 0x21, PS3.8 section 9.3.3.2): the context ID, the result
 * and the one transfer syntax chosen (not significant unless the result is acceptance).
 */
public record PresentationContextAc(int id, int result, String transferSyntax) {

    /** Result/reason values, PS3.8 Table 9-18. */
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public PresentationContextAc {
        Objects.requireNonNull(transferSyntax, "transferSyntax");
    }

    public boolean isAccepted() {
        return result == ACCEPTANCE;
    }
}
