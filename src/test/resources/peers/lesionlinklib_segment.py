#!/usr/bin/python3
"""Runs the Slicer module's own protocol library (slicer-module/LesionLink/LesionLinkLib, no Slicer needed)
against a running `lesionlink serve`: GetModels, then a synthetic oblique case (noise + a bright ball,
1.2 x 1.0 x 3 mm, one volume per channel of MODEL) through LesionLinkClient.segment. Prints one JSON line.

Usage: lesionlinklib_segment.py LIB_DIR HOST PORT MODEL
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import numpy as np  # noqa: E402
from LesionLinkLib import geometry  # noqa: E402
from LesionLinkLib.client import LesionLinkClient  # noqa: E402


def main():
    host, port, model = sys.argv[2], int(sys.argv[3]), sys.argv[4]
    shape = (24, 40, 40)
    k, j, i = np.indices(shape)
    ball = ((i - 20) ** 2 + (j - 18) ** 2 + ((k - 12) * 3) ** 2) < 64
    rng = np.random.default_rng(0)
    a = np.radians(10)
    m = geometry.compose((-24, -20, -36), (1.2, 1.0, 3.0), [[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    with LesionLinkClient(host, port, timeout=30, segment_timeout=300) as c:
        models = c.get_models()
        info = next(x for x in models if x.name == model)
        case = {ch: ((rng.normal(100, 10, shape) + 300 * ball).astype(np.int16), m) for ch in info.channels}
        result = c.segment(case, model=model)
    seg = result.labelmap > 0
    dice = 2.0 * np.sum(seg & ball) / (np.sum(seg) + np.sum(ball))
    print(json.dumps({
        "models": [x.name for x in models],
        "device": result.device,
        "shape": list(result.labelmap.shape),
        "dtype": str(result.labelmap.dtype),
        "geometryError": float(np.abs(np.asarray(result.ijk_to_ras) - np.asarray(m)).max()),
        "labels": [l.value for l in result.labels],
        "lesionCount": result.report.get("lesionCount"),
        "rows": len(result.lesion_report()) if hasattr(result.lesion_report(), "__len__") else None,
        "dice": float(dice),
    }))


if __name__ == "__main__":
    main()
