package org.lesionlink.dicom.net.dimse;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.DimseRequestHandler;
import org.lesionlink.dicom.net.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes DIMSE requests to {@link DicomService}s by Affected SOP Class UID and answers them: the service returns
 * (success, or a status it set) or throws a {@link DicomServiceException}, and the registry builds and sends the
 * response. A request for a SOP class nobody serves gets 0x0122 (SOP class not supported); a command LesionLink
 * does not perform as SCP gets 0x0211 (unrecognized operation); an unexpected error in a service gets 0x0110
 * (processing failure). An optional storage fallback takes C-STORE-RQs for classes without their own service
 * (the "any storage class" option of negotiation).
 */
public final class DicomServiceRegistry implements DimseRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(DicomServiceRegistry.class);

    private final Map<String, DicomService> services = new ConcurrentHashMap<>();
    private volatile DicomService storageFallback;

    public DicomServiceRegistry register(DicomService service) {
        for (String cuid : service.sopClasses()) {
            services.put(cuid, service);
        }
        return this;
    }

    /** The service for C-STORE-RQs whose SOP class has no service of its own. */
    public DicomServiceRegistry setStorageFallback(DicomService service) {
        this.storageFallback = service;
        return this;
    }

    private DicomService lookup(Attributes rq) {
        String cuid = rq.getString(Tag.AffectedSOPClassUID);
        DicomService s = cuid == null ? null : services.get(cuid);
        if (s == null && Dimse.commandField(rq) == CommandField.C_STORE_RQ) {
            s = storageFallback;
        }
        return s;
    }

    @Override
    public DataSetSink openDataSet(Association as, PresentationContext pc, Attributes rq) {
        DicomService s = lookup(rq);
        if (s == null) {
            return new Refused(null);
        }
        try {
            return s.openDataSet(as, pc, rq);
        } catch (DicomServiceException e) {
            return new Refused(e);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: cannot open a data set sink: {}", as, e.toString());
            return new Refused(new DicomServiceException(Status.OUT_OF_RESOURCES, "cannot store: " + e.getMessage(), e));
        }
    }

    @Override
    public void onRequest(Association as, PresentationContext pc, Attributes rq, DataSetSink data, Integer failure) {
        Attributes rsp = Dimse.response(rq, Status.SUCCESS);
        try {
            if (failure != null) {
                throw new DicomServiceException(failure, "data set exceeds the size limit");
            }
            if (data instanceof Refused r) {
                if (r.reason != null) {
                    throw r.reason;
                }
            }
            int field = Dimse.commandField(rq);
            if (CommandField.isResponse(field) || (field != CommandField.C_ECHO_RQ && field != CommandField.C_STORE_RQ
                    && field != CommandField.C_FIND_RQ && field != CommandField.C_MOVE_RQ && field != CommandField.C_GET_RQ)) {
                throw new DicomServiceException(Status.UNRECOGNIZED_OPERATION, "unsupported command "
                        + CommandField.name(field));
            }
            DicomService s = lookup(rq);
            if (s == null) {
                throw new DicomServiceException(Status.SOP_CLASS_NOT_SUPPORTED, "no service for SOP class "
                        + rq.getString(Tag.AffectedSOPClassUID));
            }
            s.onRequest(as, pc, rq, data, rsp);
        } catch (DicomServiceException e) {
            if (data != null && !(data instanceof Refused)) {
                data.abort();
            }
            rsp.setInt(Tag.Status, VR.US, e.status());
            String comment = e.errorComment();
            if (comment != null) {
                rsp.setString(Tag.ErrorComment, VR.LO, comment);
            }
            log.info("{}: {} answered with {}: {}", as, CommandField.name(Dimse.commandField(rq)),
                    Status.toString(e.status()), e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (data != null) {
                data.abort();
            }
            log.warn("{}: service failed on {}", as, CommandField.name(Dimse.commandField(rq)), e);
            rsp.setInt(Tag.Status, VR.US, Status.PROCESSING_FAILURE);
            rsp.setString(Tag.ErrorComment, VR.LO, "processing failure");
        }
        try {
            as.writeDimse(pc, rsp, null);
        } catch (IOException e) {
            log.info("{}: response not sent: {}", as, e.getMessage());
        }
    }

    /** A data set nobody takes: discarded as it arrives, the request answered with {@code reason}. */
    private static final class Refused implements DataSetSink {
        final DicomServiceException reason;

        Refused(DicomServiceException reason) {
            this.reason = reason;
        }

        @Override
        public void write(ByteBuf fragment) {
        }

        @Override
        public void abort() {
        }
    }
}
