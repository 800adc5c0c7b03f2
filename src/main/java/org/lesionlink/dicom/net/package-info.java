/**
 * DICOM networking, PS3.8 Upper Layer and the association it carries, on Netty; knows nothing of the server or of
 * segmentation.
 * <ul>
 *   <li>{@code pdu}: one record per PDU ({@code AAssociateRq}, {@code AAssociateAc}, {@code AAssociateRj},
 *       {@code PDataTf}/{@code Pdv}, {@code AReleaseRq}, {@code AReleaseRp}, {@code AAbort}) and their items, the byte
 *       codec, and the Netty {@code PduDecoder} (framing by the 6-byte header, limits) and {@code PduEncoder}.</li>
 *   <li>this package: the protocol machine of PS3.8 section 9.2 named as the standard names it ({@link
 *       org.lesionlink.dicom.net.State} Sta1..Sta13, {@link org.lesionlink.dicom.net.Event} Evt1..Evt19,
 *       {@link org.lesionlink.dicom.net.Action} AE-1..AA-8, {@link org.lesionlink.dicom.net.TransitionTable} as data,
 *       one method per action in {@link org.lesionlink.dicom.net.Association}), negotiation
 *       ({@link org.lesionlink.dicom.net.PresentationContextPolicy}, {@link org.lesionlink.dicom.net.AcceptorPolicy},
 *       the {@link org.lesionlink.dicom.net.CallingAeFilter} hook), the acceptor ({@link org.lesionlink.dicom.net.DicomServer})
 *       and the requestor ({@link org.lesionlink.dicom.net.DicomClient}), both optionally over TLS (PS3.15 Annex B, a
 *       Netty {@code SslContext}), and the {@link org.lesionlink.dicom.net.AssociationMonitor} told of every association
 *       accepted or refused.</li>
 *   <li>{@code dimse}: command sets and statuses (PS3.7), the {@code DicomServiceRegistry} that routes requests by
 *       SOP class and answers a thrown {@code DicomServiceException}, {@code CEchoScp}, the durable {@code CStoreScp},
 *       and {@code StoreScu} for files. C-FIND and C-MOVE SCU are methods of {@code Association}.</li>
 * </ul>
 * The conformance statement is {@code protocols/dicom/conformance-statement.md}.
 */
package org.lesionlink.dicom.net;
