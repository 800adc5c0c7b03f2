package org.lesionlink.dicom.io;

import java.util.Objects;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.TransferSyntax;

/**
 * A DICOM file's content, PS3.10 section 7.1: the File Meta Information (group 0002; empty when the file had
 * none) and the data set, with the transfer syntax the data set was encoded in.
 *
 * @param transferSyntax how the data set was actually encoded; its UID is the one the file names, when it names one
 * @param guessedTransferSyntax true when the file named no transfer syntax (no meta information, or meta
 *     information without (0002,0010)) and it was guessed from the first data element, or when the named explicit
 *     VR syntax turned out to be implicit VR in the data set
 */
public record DicomFile(Attributes fileMetaInformation, Attributes dataset, TransferSyntax transferSyntax,
        boolean guessedTransferSyntax) {

    public DicomFile {
        Objects.requireNonNull(fileMetaInformation, "fileMetaInformation");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(transferSyntax, "transferSyntax");
    }
}
