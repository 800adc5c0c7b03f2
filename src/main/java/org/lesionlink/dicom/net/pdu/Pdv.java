package org.lesionlink.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * One Presentation Data Value item of a P-DATA-TF (PS3.8 section 9.3.5.1 and Annex E.2): the context ID, the message
 * control header and a fragment of a command set or data set.
 *
 * @param data the fragment; a view of the buffer its {@link PDataTf} owns (not separately reference counted)
 */
public record Pdv(int contextId, int messageControlHeader, ByteBuf data) {

    /** Bit 0 of the message control header: 1 command, 0 data set. */
    public static final int COMMAND = 0x01;
    /** Bit 1: last fragment of the command or data set. */
    public static final int LAST = 0x02;

    public Pdv {
        Objects.requireNonNull(data, "data");
    }

    public boolean isCommand() {
        return (messageControlHeader & COMMAND) != 0;
    }

    public boolean isLast() {
        return (messageControlHeader & LAST) != 0;
    }

    /** Length of the whole item after its 4-byte length field: context ID, control header and fragment. */
    public int itemLength() {
        return data.readableBytes() + 2;
    }
}
