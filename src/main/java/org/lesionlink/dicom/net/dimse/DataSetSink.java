package org.lesionlink.dicom.net.dimse;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Where the fragments of a received data set go (PS3.8 Annex E: a data set arrives as PDV fragments). The association
 * calls {@link #write} for each fragment in order and then hands the sink to the service, all on the association's
 * worker, never on the network thread. On abort or connection loss it calls {@link #abort} instead.
 */
public interface DataSetSink {

    /**
     * Takes one fragment. The sink must not keep {@code fragment} beyond the call unless it retains it. An exception
     * is remembered by the implementation and reported to the service; it does not abort the association.
     */
    void write(ByteBuf fragment) throws IOException;

    /** The message was lost (abort, connection closed, data set too large): discard what was received. */
    void abort();
}
