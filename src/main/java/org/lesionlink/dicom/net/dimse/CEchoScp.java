package org.lesionlink.dicom.net.dimse;

import java.util.Set;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.PresentationContext;

/** Verification SOP class as SCP (PS3.4 Annex A): every C-ECHO-RQ is answered with success. */
public final class CEchoScp implements DicomService {

    @Override
    public Set<String> sopClasses() {
        return Set.of(UID.Verification);
    }

    @Override
    public void onRequest(Association as, PresentationContext pc, Attributes rq, DataSetSink data, Attributes rsp) {
        // success: rsp already says so
    }
}
