package org.lesionlink.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * Presentation Context item of an A-ASSOCIATE-RQ (type 0x20, PS3.8 section 9.3.2.2): an odd context ID, one abstract
 * syntax (the SOP class) and one or more transfer syntaxes in the requestor's order of preference.
 */
public record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {

    public PresentationContextRq {
        Objects.requireNonNull(abstractSyntax, "abstractSyntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("presentation context ID " + id + " outside 1..255");
        }
    }

    public PresentationContextRq(int id, String abstractSyntax, String... transferSyntaxes) {
        this(id, abstractSyntax, List.of(transferSyntaxes));
    }
}
