/**
 * From DICOM instances to volumes and model channels (issue #6, series-to-volume part). Depends on the DICOM data
 * model and {@code org.lesionlink.image}, not on the server.
 *
 * <ul>
 *   <li>{@link org.lesionlink.dicom.volume.DicomScanner} finds instances under a folder (gzip inflated, DICOMDIR and
 *       non-DICOM skipped with the reason); {@link org.lesionlink.dicom.volume.DicomInstance} keeps the header and
 *       re-reads pixels on demand.</li>
 *   <li>{@link org.lesionlink.dicom.volume.VolumeAssembler} groups by SeriesInstanceUID, sorts slices by
 *       {@code IPP . (row x column)}, checks orientation, spacing, gaps, duplicates and gantry tilt, applies pixel
 *       representation, BitsStored and rescale, reads enhanced multi-frame functional groups, and gives an
 *       {@link org.lesionlink.dicom.volume.AssembledSeries} (volume, per-slice source references, a
 *       {@code SourceSeries} for the SEG writer) or a {@link org.lesionlink.dicom.volume.Refusal} with the reason.
 *       The class comment lists every tolerance and policy.</li>
 *   <li>{@link org.lesionlink.dicom.volume.ChannelRules} (JSON), {@link org.lesionlink.dicom.volume.SequenceClassifier},
 *       {@link org.lesionlink.dicom.volume.ChannelSelector} and {@link org.lesionlink.dicom.volume.ChannelStack}: which
 *       series feeds which model input, why, and all of them on the reference channel's grid.</li>
 * </ul>
 *
 * <p>Not done: decoding compressed transfer syntaxes (refused, naming the syntax); legacy multi-frame without
 * functional groups; splitting a series that holds several volumes at the same positions (echoes, phases, b-values:
 * refused as duplicate positions); gantry-tilt correction (refused); Pixel Padding Value, VOI LUTs, Philips private
 * scaling (not applied); registration between frames of reference (refused unless assumed co-registered).
 */
package org.lesionlink.dicom.volume;
