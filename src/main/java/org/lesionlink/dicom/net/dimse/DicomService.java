package org.lesionlink.dicom.net.dimse;

import java.io.IOException;
import java.util.Set;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.PresentationContext;

/**
 * A DIMSE service provider (SCP) for some SOP classes, registered in a {@link DicomServiceRegistry}. Its methods run
 * on the association's worker (see {@link org.lesionlink.dicom.net.DimseRequestHandler}: perhaps its network thread).
 * To answer with anything but success, throw a {@link DicomServiceException};
 * the registry sends the response.
 */
public interface DicomService {

    /** The SOP classes routed to this service. */
    Set<String> sopClasses();

    /** Where the data set of a request goes; by default into memory. */
    default DataSetSink openDataSet(Association as, PresentationContext pc, Attributes rq) throws IOException {
        return new MemorySink();
    }

    /**
     * Handles one request. {@code rsp} is the response command prepared with status Success; a service may set a
     * warning status or other response elements in it. Throwing a {@link DicomServiceException} answers with its
     * status instead.
     *
     * @param data the data set's sink (as returned by {@link #openDataSet}, all fragments written), or {@code null}
     */
    void onRequest(Association as, PresentationContext pc, Attributes rq, DataSetSink data, Attributes rsp)
            throws IOException;
}
