"""Independent numpy/scipy implementation of LesionLink's segmentation metrics (same definitions).

Definitions (see org.lesionlink.evaluation.metric):
  surface voxel  = mask & ~binary_erosion(mask, 6-connected structure, border_value=0)
  directed dists = distance_transform_edt(~surface_B, sampling=spacing)[surface_A]
  HD             = max of both directed sets; HD95 = max(percentile95(A->B), percentile95(B->A))
  both empty     = Dice 1, HD 0, HD95 0; one empty = Dice 0, HD = HD95 = 374
  lesion-wise    = BraTS 2023 algorithm, BraTS-METS parameters (dilation 1, GT lesions <= 2 voxels ignored,
                   FP components count with Dice 0 and HD95 374), 26-connectivity, 18-neighbour dilation

Work is restricted to the box around both masks (grown by 2 voxels), which leaves every distance,
component and dilation unchanged.

Usage: evaluation_reference.py JOBS.json -> prints a JSON list with, per job, {region: {metric: value}}.
A job: {"dims": [nx, ny, nz], "spacing": [sx, sy, sz], "truth": "file.raw", "pred": "file.raw",
        "regions": {"ET": [3], ...}}; raw files are uint8, i fastest (NIfTI order).
"""
import json
import math
import sys

import numpy as np
from scipy import ndimage

PENALTY = 374.0
DILATION = 1
SMALL_LESION_VOXELS = 2
STRUCT6 = ndimage.generate_binary_structure(3, 1)
STRUCT18 = ndimage.generate_binary_structure(3, 2)
STRUCT26 = np.ones((3, 3, 3), dtype=bool)


def crop_to(masks, grow):
    """The masks cut to the box around all their foreground, grown by `grow` voxels (clipped)."""
    union = np.zeros_like(masks[0])
    for m in masks:
        union |= m
    if not union.any():
        return None
    idx = np.nonzero(union)
    sl = tuple(slice(max(0, int(i.min()) - grow), min(n, int(i.max()) + grow + 1)) for i, n in zip(idx, union.shape))
    return [m[sl] for m in masks]


def surface(mask):
    return mask & ~ndimage.binary_erosion(mask, structure=STRUCT6, border_value=0)


def directed(a, b, spacing):
    """Distances from each surface voxel of a to the nearest surface voxel of b."""
    sa, sb = surface(a), surface(b)
    dist = ndimage.distance_transform_edt(~sb, sampling=spacing)
    return dist[sa]


def surface_metrics(truth, pred, spacing):
    t, p = crop_to([truth, pred], 2)
    d1 = directed(t, p, spacing)
    d2 = directed(p, t, spacing)
    hd = max(d1.max(), d2.max())
    hd95 = max(np.percentile(d1, 95), np.percentile(d2, 95))
    return float(hd), float(hd95)


def dice(t, p):
    denom = t.sum() + p.sum()
    return 1.0 if denom == 0 else 2.0 * np.logical_and(t, p).sum() / denom


def lesion_wise(truth, pred, spacing):
    empty = {"lesion_dice": 1.0, "lesion_hd95": 0.0, "lesion_tp": 0, "lesion_fp": 0, "lesion_fn": 0,
             "lesion_count_true": 0, "lesion_count_pred": 0, "lesion_sensitivity_lt5mm": float("nan"),
             "lesion_sensitivity_5to10mm": float("nan"), "lesion_sensitivity_gt10mm": float("nan")}
    cropped = crop_to([truth, pred], DILATION + 2)
    if cropped is None:
        return empty
    t, p = cropped
    # GT components, merged when they share a component of the dilated GT (BraTS get_GTseg_combinedByDilation)
    gt_cc, _ = ndimage.label(t, structure=STRUCT26)
    dil_cc, n_dil = ndimage.label(ndimage.binary_dilation(t, structure=STRUCT18, iterations=DILATION), structure=STRUCT26)
    lesions = np.zeros_like(gt_cc)
    for comp in range(1, n_dil + 1):
        lesions[(dil_cc == comp) & (gt_cc > 0)] = comp
    pred_cc, n_pred = ndimage.label(p, structure=STRUCT26)
    voxel_mm3 = float(np.prod(spacing))
    matched = set()
    dice_sum = hd_sum = 0.0
    tp = fn = 0
    buckets = [[0, 0], [0, 0], [0, 0]]
    for comp in range(1, n_dil + 1):
        lesion = lesions == comp
        grown = ndimage.binary_dilation(lesion, structure=STRUCT18, iterations=DILATION)
        hits = np.unique(pred_cc[grown])
        hits = hits[hits != 0]
        matched.update(int(h) for h in hits)
        nvox = int(lesion.sum())
        if nvox <= SMALL_LESION_VOXELS:
            continue
        diameter = (6 * nvox * voxel_mm3 / math.pi) ** (1 / 3)
        b = 0 if diameter < 5 else (1 if diameter <= 10 else 2)
        buckets[b][0] += 1
        if len(hits) == 0:
            fn += 1
            hd_sum += PENALTY
        else:
            tp += 1
            buckets[b][1] += 1
            matched_pred = np.isin(pred_cc, hits)
            dice_sum += dice(lesion, matched_pred)
            hd_sum += surface_metrics(lesion, matched_pred, spacing)[1]
    fp = n_pred - len(matched)
    denom = tp + fn + fp
    out = dict(empty)
    out.update({"lesion_tp": tp, "lesion_fp": fp, "lesion_fn": fn, "lesion_count_true": tp + fn,
                "lesion_count_pred": n_pred})
    if denom > 0:
        out["lesion_dice"] = dice_sum / denom
        out["lesion_hd95"] = (hd_sum + fp * PENALTY) / denom
    for name, (n, found) in zip(["lt5mm", "5to10mm", "gt10mm"], buckets):
        out["lesion_sensitivity_" + name] = found / n if n else float("nan")
    return out


def region_metrics(truth, pred, spacing):
    """All metrics of one region; truth and pred are boolean arrays indexed [i, j, k]."""
    tp = int(np.logical_and(truth, pred).sum())
    fp = int(np.logical_and(~truth, pred).sum())
    fn = int(np.logical_and(truth, ~pred).sum())
    tn = truth.size - tp - fp - fn
    nt, npred = tp + fn, tp + fp
    if nt == 0 and npred == 0:
        hd = hd95 = 0.0
    elif nt == 0 or npred == 0:
        hd = hd95 = PENALTY
    else:
        hd, hd95 = surface_metrics(truth, pred, spacing)
    ml = float(np.prod(spacing)) / 1000.0
    out = {
        "dice": dice(truth, pred),
        "hd": hd,
        "hd95": hd95,
        "sensitivity": tp / nt if nt else float("nan"),
        "specificity": tn / (tn + fp) if tn + fp else float("nan"),
        "volume_true_ml": nt * ml,
        "volume_pred_ml": npred * ml,
    }
    out.update(lesion_wise(truth, pred, spacing))
    return {k: float(v) for k, v in out.items()}


def evaluate(truth_labels, pred_labels, spacing, regions):
    return {name: region_metrics(np.isin(truth_labels, labels), np.isin(pred_labels, labels), spacing)
            for name, labels in regions.items()}


def load_raw(path, dims):
    nx, ny, nz = dims
    return np.fromfile(path, dtype=np.uint8).reshape((nz, ny, nx)).transpose(2, 1, 0)


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    results = []
    for job in jobs:
        t = load_raw(job["truth"], job["dims"])
        p = load_raw(job["pred"], job["dims"])
        results.append(evaluate(t, p, tuple(job["spacing"]), job["regions"]))
    # NaN is written as NaN (Jackson reads it with ALLOW_NON_NUMERIC_NUMBERS)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
