"""Decodes a SEG with pydicom: prints JSON with the frame count, pixel_array shape and, per frame, the referenced
segment number, ImagePositionPatient and sha256 of the frame's pixels as uint8 0/1 bytes (row-major).
Usage: /usr/bin/python3 pydicom_seg_frames.py FILE"""
import hashlib
import json
import sys

import numpy as np
import pydicom

ds = pydicom.dcmread(sys.argv[1])
arr = ds.pixel_array
if arr.ndim == 2:
    arr = arr[np.newaxis]
frames = []
for i, fg in enumerate(ds.PerFrameFunctionalGroupsSequence):
    frames.append({
        "segment": int(fg.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
        "ipp": [float(v) for v in fg.PlanePositionSequence[0].ImagePositionPatient],
        "sha256": hashlib.sha256(arr[i].astype(np.uint8).tobytes()).hexdigest(),
        "set": int(arr[i].sum()),
    })
json.dump({"numberOfFrames": int(ds.NumberOfFrames), "shape": list(arr.shape), "modality": ds.Modality,
           "frames": frames}, sys.stdout)
