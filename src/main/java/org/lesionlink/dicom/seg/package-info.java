/**
 * The Segmentation IOD (PS3.3 A.51, C.8.20), BINARY type: {@link org.lesionlink.dicom.seg.SegmentationWriter} builds
 * a SEG from a uint8 labelmap and its source series as dciodvfy, pydicom/highdicom and dcmqi (3D Slicer) expect;
 * {@link org.lesionlink.dicom.seg.SegmentationReader} maps one back onto a source grid.
 */
package org.lesionlink.dicom.seg;
