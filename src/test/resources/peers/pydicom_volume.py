"""Independent volume assembly with pydicom + numpy, for LesionLink's DicomVolume tests.

Usage: pydicom_volume.py [--values] FILE...   (one series; or one enhanced multi-frame file, .gz allowed)

Prints JSON: dims [columns, rows, slices]; affine_lps (4x4, voxel centres, columns = row direction * column
spacing, column direction * row spacing, normal * slice spacing; origin = IPP of the first slice sorted by
IPP . normal); positions and distances along the normal in that order; SOP instance UIDs and frame numbers;
the sum of real values (stored * slope + intercept) and a few sample voxels; with --values every real value
in i-fastest order.
"""
import gzip
import io
import json
import sys

import numpy as np
import pydicom


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return pydicom.dcmread(io.BytesIO(data))


def fg(frame, shared, name):
    """The first item of functional group `name` from the per-frame item, else the shared one."""
    if name in frame:
        return frame[name][0]
    if shared is not None and name in shared:
        return shared[name][0]
    return None


def main(argv):
    want_values = "--values" in argv
    files = [a for a in argv if a != "--values"]
    slices = []  # (ipp, iop, spacing, slope, intercept, pixels 2D, sop uid, frame number)
    for path in files:
        ds = read(path)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        arr = ds.pixel_array
        if "PerFrameFunctionalGroupsSequence" in ds:
            shared = ds.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in ds else None
            for f, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
                pvt = fg(item, shared, "PixelValueTransformationSequence")
                slope = float(pvt.RescaleSlope) if pvt is not None and "RescaleSlope" in pvt else 1.0
                inter = float(pvt.RescaleIntercept) if pvt is not None and "RescaleIntercept" in pvt else 0.0
                slices.append((
                    [float(v) for v in fg(item, shared, "PlanePositionSequence").ImagePositionPatient],
                    [float(v) for v in fg(item, shared, "PlaneOrientationSequence").ImageOrientationPatient],
                    [float(v) for v in fg(item, shared, "PixelMeasuresSequence").PixelSpacing],
                    slope, inter, arr[f] if frames > 1 else arr, str(ds.SOPInstanceUID), f + 1))
        else:
            slices.append(([float(v) for v in ds.ImagePositionPatient], [float(v) for v in ds.ImageOrientationPatient],
                           [float(v) for v in ds.PixelSpacing], float(ds.get("RescaleSlope", 1) or 1),
                           float(ds.get("RescaleIntercept", 0) or 0), arr, str(ds.SOPInstanceUID), 0))
    iop = np.array(slices[0][1])
    row, col = iop[:3] / np.linalg.norm(iop[:3]), iop[3:] / np.linalg.norm(iop[3:])
    normal = np.cross(row, col)
    slices.sort(key=lambda s: float(np.dot(s[0], normal)))
    dist = [float(np.dot(s[0], normal)) for s in slices]
    n = len(slices)
    spacing = (dist[-1] - dist[0]) / (n - 1) if n > 1 else 1.0
    ps = slices[0][2]
    aff = np.eye(4)
    aff[:3, 0] = row * ps[1]
    aff[:3, 1] = col * ps[0]
    aff[:3, 2] = normal * spacing
    aff[:3, 3] = slices[0][0]
    vol = np.stack([s[5].astype(np.float64) * s[3] + s[4] for s in slices])  # (k, j, i)
    rows, cols = vol.shape[1], vol.shape[2]
    samples = []
    for k in sorted({0, n // 3, n // 2, n - 1}):
        for j in sorted({0, rows // 5, rows // 2, rows - 1}):
            for i in sorted({0, cols // 7, cols // 2, cols - 1}):
                samples.append([i, j, k, float(vol[k, j, i])])
    out = {
        "dims": [cols, rows, n],
        "affine_lps": aff.tolist(),
        "positions": [s[0] for s in slices],
        "distances": dist,
        "sop": [s[6] for s in slices],
        "frames": [s[7] for s in slices],
        "slopes": sorted({s[3] for s in slices}),
        "intercepts": sorted({s[4] for s in slices}),
        "sum": float(vol.sum()),
        "samples": samples,
    }
    if want_values:
        out["values"] = vol.ravel().tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
