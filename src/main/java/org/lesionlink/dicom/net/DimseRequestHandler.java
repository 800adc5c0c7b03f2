package org.lesionlink.dicom.net;

import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.net.dimse.DataSetSink;

/**
 * Receives DIMSE requests of an association (implemented by {@code DicomServiceRegistry}). Both methods run on the
 * association's worker, one message at a time: a thread of the server's worker pool, or, in a server without one
 * ({@link DicomServerConfig#workerThreads()} 0), the association's own network thread, which reads nothing more from
 * that peer until they return. They may block on the disk or on other threads, but never wait for this association's
 * network thread (a blocking call of the {@link Association} itself refuses to run there).
 */
public interface DimseRequestHandler {

    /** Called when the command set of a request that carries a data set is complete: where the data set goes. */
    DataSetSink openDataSet(Association as, PresentationContext pc, Attributes command);

    /**
     * Handles a complete request ({@code data} is {@code null} without data set, and already written when present)
     * and sends its response(s) with {@link Association#writeDimse}.
     *
     * @param failure when not {@code null}, the data set was lost (e.g. beyond the size limit) and the request must
     *     be answered with this status without handling
     */
    void onRequest(Association as, PresentationContext pc, Attributes command, DataSetSink data, Integer failure);
}
