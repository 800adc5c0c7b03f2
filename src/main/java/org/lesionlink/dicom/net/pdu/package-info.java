/**
 * PS3.8 section 9.3 protocol data units: one immutable record per PDU type ({@link org.lesionlink.dicom.net.pdu.Pdu}
 * is sealed), items as records, {@link org.lesionlink.dicom.net.pdu.PduCodec} for the bytes, and the Netty stages
 * {@link org.lesionlink.dicom.net.pdu.PduDecoder} (per channel: framing, size limits, bad-PDU state) and
 * {@link org.lesionlink.dicom.net.pdu.PduEncoder} (stateless, shared).
 *
 * <p>Buffers: a received P-DATA-TF owns one reference-counted buffer (a slice of Netty's cumulation) and its PDVs are
 * views of it, so data set fragments are not copied on the way to their sink; every other PDU is decoded to plain
 * Java values.
 */
package org.lesionlink.dicom.net.pdu;
