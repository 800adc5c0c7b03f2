/**
 * DIMSE-C (PS3.7) on an association: command sets ({@link org.lesionlink.dicom.net.dimse.Dimse},
 * {@link org.lesionlink.dicom.net.dimse.CommandField}, {@link org.lesionlink.dicom.net.dimse.Status}), services as SCP
 * behind a {@link org.lesionlink.dicom.net.dimse.DicomServiceRegistry} (handlers throw a
 * {@link org.lesionlink.dicom.net.dimse.DicomServiceException}; the registry answers), the Verification SCP, the durable
 * Storage SCP ({@link org.lesionlink.dicom.net.dimse.CStoreScp}, with an
 * {@link org.lesionlink.dicom.net.dimse.InstanceStoredListener}) and a Storage SCU for PS3.10 files
 * ({@link org.lesionlink.dicom.net.dimse.StoreScu}). Data sets arrive fragment by fragment in a
 * {@link org.lesionlink.dicom.net.dimse.DataSetSink} and leave from a {@link org.lesionlink.dicom.net.dimse.DataSource}.
 */
package org.lesionlink.dicom.net.dimse;
