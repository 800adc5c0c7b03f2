package org.lesionlink.dicom.net.dimse;

import java.util.Objects;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;

/**
 * A DIMSE response as an SCU receives it: the command set and, for C-FIND pending responses and some C-MOVE final
 * responses, a data set (else {@code null}).
 */
public record DimseResponse(Attributes command, Attributes dataset) {

    public DimseResponse {
        Objects.requireNonNull(command, "command");
    }

    public int status() {
        return Dimse.status(command);
    }

    public String errorComment() {
        return command.getString(Tag.ErrorComment);
    }

    @Override
    public String toString() {
        return CommandField.name(Dimse.commandField(command)) + " status " + Status.toString(status())
                + (errorComment() != null ? " \"" + errorComment() + "\"" : "");
    }
}
