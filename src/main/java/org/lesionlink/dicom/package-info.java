/**
 * LesionLink's own DICOM subset (no dcm4che): the data model, Part 10 files and the Segmentation IOD. Depends on
 * nothing of the server; the network half (PS3.8 upper layer, DIMSE) builds on {@code data} and {@code io}.
 * <ul>
 *   <li>{@code data}: {@code Tag}, {@code VR}, {@code UID}, {@code Attributes} (data set), {@code Sequence},
 *       {@code Fragments}, {@code SpecificCharacterSet}, {@code TransferSyntax}, and the dictionaries generated from
 *       PS3.6/PS3.7 ({@code ElementDictionary}, {@code UidDictionary}).</li>
 *   <li>{@code io}: {@code DicomReader} and {@code DicomWriter} for PS3.10 files, bare data sets and command sets.</li>
 *   <li>{@code seg}: BINARY Segmentation (PS3.3 A.51) from and to a uint8 labelmap.</li>
 *   <li>{@code volume}: series to volume (sorting, geometry and spacing checks, rescale, enhanced multi-frame) and
 *       selection of series as model channels by JSON rules.</li>
 *   <li>{@code net}: the PS3.8 upper layer and association state machine on Netty, DIMSE (C-ECHO, C-STORE SCP and
 *       SCU, C-FIND and C-MOVE SCU), the durable storage SCP.</li>
 * </ul>
 */
package org.lesionlink.dicom;
