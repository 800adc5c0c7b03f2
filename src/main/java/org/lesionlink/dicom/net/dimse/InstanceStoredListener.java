package org.lesionlink.dicom.net.dimse;

/**
 * Told about each instance after it is durable and before success is answered (e.g. to group instances into
 * studies). Runs on the association's worker; an exception is logged and does not change the status.
 */
@FunctionalInterface
public interface InstanceStoredListener {
    void instanceStored(StoredInstance instance);
}
