/**
 * Encoding and decoding, PS3.5 chapters 7 and 10 and PS3.10 chapter 7: {@link org.lesionlink.dicom.io.DicomReader}
 * (all native transfer syntaxes, deflate, encapsulated pixel data carried, guarded against hostile lengths) and
 * {@link org.lesionlink.dicom.io.DicomWriter} (explicit/implicit VR LE, deflated, encapsulated; atomic files;
 * DIMSE command sets).
 */
package org.lesionlink.dicom.io;
