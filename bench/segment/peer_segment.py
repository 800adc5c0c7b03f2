#!/usr/bin/python3
"""The Python/PyTorch peer of `lesionlink segment`, shaped like its command line:

    /usr/bin/python3 peer_segment.py MODEL_DIR OUT.nii.gz REPORT.json CHANNEL=FILE [CHANNEL=FILE ...]

Reads the channels with nibabel, runs src/test/resources/peers/reference_pipeline.py's stages (crop to the
filled non-zero box, normalise, sliding window with Gaussian blending, mirroring TTA and fold averaging,
labels, small-component removal), writes the uint8 label map on the first model channel's grid with
nibabel and a JSON file of stage times in ms. One torch thread, as the reference sets (and as LesionLink's
default of one intra-op thread); PEER_THREADS=N in the environment changes that. Like the reference, it does not resample: the case must already be at the
model's spacing.
"""
import json
import os
import sys
import time

import nibabel as nib
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "peers"))
import reference_pipeline as ref  # noqa: E402


def main(model_dir, out, report, pairs):
    t = {"start": time.perf_counter()}
    times = {}

    def lap(name):
        now = time.perf_counter()
        times[name] = round((now - t["start"]) * 1000)
        t["start"] = now

    torch.set_num_threads(int(os.environ.get("PEER_THREADS", "1")))
    with open(os.path.join(model_dir, "model.json")) as f:
        spec = json.load(f)
    given = dict(p.split("=", 1) for p in pairs)
    names = [i["name"] for i in spec["inputs"]]
    if sorted(given) != sorted(names):
        sys.exit("expected channels %s, got %s" % (names, sorted(given)))
    imgs = [nib.load(given[n]) for n in names]
    data = np.stack([np.asarray(im.dataobj, dtype=np.float32).transpose(2, 1, 0) for im in imgs])  # (C, k, j, i)
    lap("read")
    nets = [torch.jit.load(os.path.join(model_dir, name)).eval() for name in spec["folds"]]
    lap("load-model")
    cropped, mask, lo, hi = ref.crop_to_nonzero(data)
    lap("crop")
    norm = ref.normalise(cropped, mask, spec["inputs"])
    lap("normalise")
    logits = ref.sliding_window(nets, norm, spec["patchSize"], spec.get("stepSize") or 0.5, spec.get("mirrorAxes", []))
    lap("inference")
    labels = ref.to_labels(logits, spec)
    lap("labels")
    labels = ref.remove_small(labels, spec.get("postprocessing", {}).get("minComponentVoxels", 0))
    lap("postprocess")
    full = np.zeros(data.shape[1:], dtype=np.uint8)
    full[tuple(slice(a, b) for a, b in zip(lo, hi))] = labels
    lap("restore")
    img = nib.Nifti1Image(full.transpose(2, 1, 0), imgs[0].affine)
    img.header.set_xyzt_units("mm")
    nib.save(img, out)
    lap("write")
    with open(report, "w") as f:
        json.dump({"timingsMs": times}, f, indent=2)
    print("peer: %d labelled voxels; stages (ms) %s" % (int((full != 0).sum()), times))


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
