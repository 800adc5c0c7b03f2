package org.lesionlink.dicom.net;

import java.util.Objects;

/**
 * How an acceptor answers A-ASSOCIATE-RQs.
 *
 * @param checkCalledAe reject an RQ whose called AE title is not ours (reason 7); off accepts any, as Orthanc's
 *     {@code DicomCheckCalledAet: false}
 * @param callingAeFilter the allow-list hook (reason 3)
 * @param presentationContexts what is accepted
 * @param maxAssociations associations served at the same time; one more is rejected transient, reason "local limit
 *     exceeded" (source 3, reason 2)
 */
public record AcceptorPolicy(boolean checkCalledAe, CallingAeFilter callingAeFilter,
        PresentationContextPolicy presentationContexts, int maxAssociations) {

    public AcceptorPolicy {
        Objects.requireNonNull(callingAeFilter, "callingAeFilter");
        Objects.requireNonNull(presentationContexts, "presentationContexts");
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations must be at least 1");
        }
    }

    public static AcceptorPolicy defaults() {
        return new AcceptorPolicy(false, CallingAeFilter.ACCEPT_ALL, PresentationContextPolicy.defaults(), 16);
    }

    public AcceptorPolicy withCheckCalledAe(boolean b) {
        return new AcceptorPolicy(b, callingAeFilter, presentationContexts, maxAssociations);
    }

    public AcceptorPolicy withCallingAeFilter(CallingAeFilter f) {
        return new AcceptorPolicy(checkCalledAe, f, presentationContexts, maxAssociations);
    }

    public AcceptorPolicy withPresentationContexts(PresentationContextPolicy p) {
        return new AcceptorPolicy(checkCalledAe, callingAeFilter, p, maxAssociations);
    }

    public AcceptorPolicy withMaxAssociations(int n) {
        return new AcceptorPolicy(checkCalledAe, callingAeFilter, presentationContexts, n);
    }
}
