#!/usr/bin/python3
"""Independent reference of LesionLink's segmentation pipeline, in numpy/scipy/PyTorch.

Usage: /usr/bin/python3 reference_pipeline.py MODEL_DIR CASE_DIR OUT_DIR

CASE_DIR/case.json: {"dims": [nx, ny, nz], "channels": ["c0.f32", ...], "tta": true}
  each channel file holds nx*ny*nz little-endian float32 values, i fastest (LesionLink's Volume order).
OUT_DIR gets:
  bbox.json       {"start": [i, j, k], "size": [si, sj, sk]} of the cropped (filled non-zero) region
  logits.f32      the averaged logits on the cropped grid, (K, sk, sj, si) C order (i fastest)
  labels.u8       the label map on the full grid, i fastest

2D models (model.json dims.kind "2d") are run as nnU-Net runs a 2D configuration on a 3D image: every
slice along the slice axis on its own, with an in-plane sliding window (steps, Gaussian and mirroring in 2D);
with neighbourSlices n, slices s-n..s+n of every input are stacked as channels (input-major), zeros beyond
the volume.

Written from nnU-Net v2's documented behaviour (crop_to_nonzero with binary_fill_holes, ZScore with
use_mask_for_norm, compute_steps_for_sliding_window, compute_gaussian via scipy.ndimage.gaussian_filter,
mirroring over all axis combinations, logit averaging over folds), not copied from it. The model's
spacing must equal the case spacing: resampling is not part of this reference.
"""
import itertools
import json
import os
import sys

import numpy as np
import torch
from scipy import ndimage


def read_case(case_dir):
    with open(os.path.join(case_dir, "case.json")) as f:
        case = json.load(f)
    nx, ny, nz = case["dims"]
    chans = []
    for name in case["channels"]:
        a = np.fromfile(os.path.join(case_dir, name), dtype="<f4")
        chans.append(a.reshape(nz, ny, nx))  # array axes (k, j, i)
    return case, np.stack(chans)


def crop_to_nonzero(data):
    mask = np.zeros(data.shape[1:], dtype=bool)
    for c in range(data.shape[0]):
        mask |= data[c] != 0
    mask = ndimage.binary_fill_holes(mask)
    idx = np.nonzero(mask)
    lo = [int(x.min()) for x in idx]
    hi = [int(x.max()) + 1 for x in idx]
    sl = tuple(slice(a, b) for a, b in zip(lo, hi))
    return data[(slice(None),) + sl], mask[sl], lo, hi


def normalise(data, mask, inputs):
    out = np.empty(data.shape, dtype=np.float32)
    for c, spec in enumerate(inputs):
        x = data[c].astype(np.float64)
        scheme = spec["normalization"]
        if scheme == "zscore-nonzero":
            mean = x[mask].mean()
            std = x[mask].std()
            y = x.copy()
            y[mask] = (x[mask] - mean) / max(std, 1e-8)
        elif scheme == "zscore":
            y = (x - x.mean()) / max(x.std(), 1e-8)
        elif scheme == "ct":
            s = spec["ct"]
            y = (np.clip(x, s["lower"], s["upper"]) - s["mean"]) / max(s["std"], 1e-8)
        elif scheme == "none":
            y = x
        else:
            raise ValueError(scheme)
        out[c] = y.astype(np.float32)
    return out


def steps(size, patch, step):
    n = int(np.ceil((size - patch) / (patch * step))) + 1
    if n == 1:
        return [0]
    actual = (size - patch) / (n - 1)
    return [int(np.round(actual * t)) for t in range(n)]


def gaussian(patch_arr):
    tmp = np.zeros(patch_arr)
    tmp[tuple(p // 2 for p in patch_arr)] = 1
    g = ndimage.gaussian_filter(tmp, [p / 8 for p in patch_arr], 0, mode="constant", cval=0)
    g = g / g.max() * 10
    g = g.astype(np.float32)
    g[g == 0] = g[g != 0].min()
    return torch.from_numpy(g)


def sliding_window(nets, data, patch_ijk, step, mirror_ijk, batch_unused=None):
    """data: (C, k, j, i) float32. Returns (K, k, j, i) float32 logits averaged over folds."""
    patch = list(reversed(patch_ijk))          # array order (k, j, i)
    mirror = sorted(2 + (2 - a) for a in mirror_ijk)  # voxel axis a -> tensor dim 2 + (2 - a)
    shape = data.shape[1:]
    new_shape = [max(s, p) for s, p in zip(shape, patch)]
    below = [(n - s) // 2 for s, n in zip(shape, new_shape)]
    pad = np.zeros((data.shape[0],) + tuple(new_shape), dtype=np.float32)
    pad[(slice(None),) + tuple(slice(b, b + s) for b, s in zip(below, shape))] = data
    x = torch.from_numpy(pad)
    g = gaussian(patch)
    combos = [c for r in range(len(mirror)) for c in itertools.combinations(mirror, r + 1)]
    total = None
    for net in nets:
        logits = None
        weights = torch.zeros(new_shape, dtype=torch.float32)
        for sk in steps(new_shape[0], patch[0], step):
            for sj in steps(new_shape[1], patch[1], step):
                for si in steps(new_shape[2], patch[2], step):
                    sl = (slice(sk, sk + patch[0]), slice(sj, sj + patch[1]), slice(si, si + patch[2]))
                    tile = x[(slice(None),) + sl][None]
                    with torch.no_grad():
                        pred = net(tile)
                        for axes in combos:
                            pred = pred + torch.flip(net(torch.flip(tile, axes)), axes)
                    pred = pred[0] / (len(combos) + 1)
                    if logits is None:
                        logits = torch.zeros((pred.shape[0],) + tuple(new_shape), dtype=torch.float32)
                    logits[(slice(None),) + sl] += pred * g
                    weights[sl] += g
        fold = logits / weights
        total = fold if total is None else total + fold
    total = total / len(nets)
    crop = (slice(None),) + tuple(slice(b, b + s) for b, s in zip(below, shape))
    return total[crop].numpy()


def sliding_window_2d(nets, data, spec, step, mirror_ijk):
    """data: (C, k, j, i) float32; a 2D model applied per slice. Returns (K, k, j, i) float32."""
    dims = spec["dims"]
    s_arr = 2 - dims["sliceAxis"]                      # array axis of the slices
    n = dims.get("neighbourSlices", 0) or 0
    plane = [a for a in range(3) if a != s_arr]        # remaining array axes, in (k, j, i) order
    patch = [list(reversed(spec["patchSize"]))[a] for a in plane]
    mirror = sorted(2 + plane.index(2 - a) for a in mirror_ijk)  # voxel axis -> 2D tensor dim
    moved = np.moveaxis(data, 1 + s_arr, 1)            # (C, S, A, B)
    c, size = moved.shape[0], moved.shape[1]
    shape = list(moved.shape[2:])
    new_shape = [max(x, p) for x, p in zip(shape, patch)]
    below = [(m - x) // 2 for x, m in zip(shape, new_shape)]
    g = gaussian(patch)
    combos = [cmb for r in range(len(mirror)) for cmb in itertools.combinations(mirror, r + 1)]
    out = None
    for s in range(size):
        stack = np.zeros((c * (2 * n + 1),) + tuple(new_shape), dtype=np.float32)
        for ch in range(c):
            for d in range(-n, n + 1):
                if 0 <= s + d < size:
                    stack[(ch * (2 * n + 1) + d + n,) + tuple(slice(b, b + x) for b, x in zip(below, shape))] = moved[ch, s + d]
        x = torch.from_numpy(stack)
        total = None
        for net in nets:
            logits = None
            weights = torch.zeros(new_shape, dtype=torch.float32)
            for sa in steps(new_shape[0], patch[0], step):
                for sb in steps(new_shape[1], patch[1], step):
                    sl = (slice(sa, sa + patch[0]), slice(sb, sb + patch[1]))
                    tile = x[(slice(None),) + sl][None]
                    with torch.no_grad():
                        pred = net(tile)
                        for axes in combos:
                            pred = pred + torch.flip(net(torch.flip(tile, axes)), axes)
                    pred = pred[0] / (len(combos) + 1)
                    if logits is None:
                        logits = torch.zeros((pred.shape[0],) + tuple(new_shape), dtype=torch.float32)
                    logits[(slice(None),) + sl] += pred * g
                    weights[sl] += g
            fold = logits / weights
            total = fold if total is None else total + fold
        total = (total / len(nets))[(slice(None),) + tuple(slice(b, b + x) for b, x in zip(below, shape))].numpy()
        if out is None:
            out = np.zeros((total.shape[0], size) + tuple(shape), dtype=np.float32)
        out[:, s] = total
    return np.ascontiguousarray(np.moveaxis(out, 1, 1 + s_arr))


def to_labels(logits, spec):
    if spec["activation"] == "softmax":
        values = np.array([0] + [l["value"] for l in spec["labels"]], dtype=np.uint8)
        return values[np.argmax(logits, axis=0)]
    out = np.zeros(logits.shape[1:], dtype=np.uint8)
    probs = torch.sigmoid(torch.from_numpy(logits)).numpy()
    for r, paint in enumerate(spec["regionClassOrder"]):
        out[probs[r] > 0.5] = paint
    return out


def remove_small(labels, min_voxels):
    if min_voxels <= 1:
        return labels
    comp, n = ndimage.label(labels != 0, structure=np.ones((3, 3, 3), dtype=bool))
    sizes = np.bincount(comp.ravel())
    small = sizes < min_voxels
    small[0] = False
    labels = labels.copy()
    labels[small[comp]] = 0
    return labels


def main(model_dir, case_dir, out_dir):
    torch.set_num_threads(1)
    with open(os.path.join(model_dir, "model.json")) as f:
        spec = json.load(f)
    case, data = read_case(case_dir)
    nets = [torch.jit.load(os.path.join(model_dir, name)).eval() for name in spec["folds"]]
    cropped, mask, lo, hi = crop_to_nonzero(data)
    norm = normalise(cropped, mask, spec["inputs"])
    mirror = spec.get("mirrorAxes", []) if case.get("tta", True) else []
    if spec.get("dims", {}).get("kind", "3d") == "2d":
        logits = sliding_window_2d(nets, norm, spec, spec.get("stepSize") or 0.5, mirror)
    else:
        logits = sliding_window(nets, norm, spec["patchSize"], spec.get("stepSize") or 0.5, mirror)
    labels = to_labels(logits, spec)
    labels = remove_small(labels, spec.get("postprocessing", {}).get("minComponentVoxels", 0))
    full = np.zeros(data.shape[1:], dtype=np.uint8)
    full[tuple(slice(a, b) for a, b in zip(lo, hi))] = labels
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "bbox.json"), "w") as f:
        # array order (k, j, i) -> LesionLink order (i, j, k)
        json.dump({"start": lo[::-1], "size": [b - a for a, b in zip(lo, hi)][::-1]}, f)
    logits.astype("<f4").tofile(os.path.join(out_dir, "logits.f32"))
    full.tofile(os.path.join(out_dir, "labels.u8"))
    print("ok", int((full != 0).sum()))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: reference_pipeline.py MODEL_DIR CASE_DIR OUT_DIR")
    main(*sys.argv[1:])
