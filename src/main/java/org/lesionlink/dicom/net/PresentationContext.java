package org.lesionlink.dicom.net;

import java.util.Objects;
import org.lesionlink.dicom.data.TransferSyntax;

/** An accepted presentation context of an established association: ID, abstract syntax and the one transfer syntax. */
public record PresentationContext(int id, String abstractSyntax, String transferSyntax) {

    public PresentationContext {
        Objects.requireNonNull(abstractSyntax, "abstractSyntax");
        Objects.requireNonNull(transferSyntax, "transferSyntax");
    }

    public TransferSyntax ts() {
        return TransferSyntax.of(transferSyntax);
    }
}
