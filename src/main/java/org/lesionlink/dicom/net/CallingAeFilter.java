package org.lesionlink.dicom.net;

import java.net.SocketAddress;

/**
 * Hook consulted on every A-ASSOCIATE-RQ: whether a calling AE title (from that address) may associate. A refusal
 * is answered with A-ASSOCIATE-RJ rejected-permanent, service user, reason 3 "calling AE title not recognized"
 * (PS3.8 Table 9-21). The enforcement policy (which AEs, matched on what) is the application's.
 */
@FunctionalInterface
public interface CallingAeFilter {

    CallingAeFilter ACCEPT_ALL = (callingAe, calledAe, remote) -> true;

    boolean accept(String callingAe, String calledAe, SocketAddress remote);
}
