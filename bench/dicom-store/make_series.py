#!/usr/bin/python3
"""Writes an MR series of N slices, 256 x 256 int16, Explicit VR Little Endian, for the C-STORE benchmark.

usage: make_series.py OUT_DIR [N=500]
Deterministic pixel values (a smooth pattern plus slice index), fresh UIDs under 2.25.
"""
import os
import sys
import uuid

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage


def uid():
    return "2.25." + str(uuid.uuid4().int)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    os.makedirs(out, exist_ok=True)
    study, series, frame = uid(), uid(), uid()
    y, x = np.mgrid[0:256, 0:256]
    for k in range(n):
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = MRImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = uid()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID = MRImageStorage
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.PatientName, ds.PatientID, ds.Modality = "BENCH^MR", "BENCH1", "MR"
        ds.StudyDate, ds.SeriesNumber, ds.InstanceNumber = "20261121", 1, k + 1
        ds.ImagePositionPatient = [-128.0, -128.0, float(k)]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.PixelSpacing, ds.SliceThickness = [1.0, 1.0], 1.0
        ds.Rows = ds.Columns = 256
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        px = ((x * 7 + y * 3 + k * 11) % 2000 - 500).astype(np.int16)
        ds.PixelData = px.tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(os.path.join(out, "mr%04d.dcm" % (k + 1)), write_like_original=False)


if __name__ == "__main__":
    main()
