"""Synthetic brain-metastasis cases for bench/evaluate: truth and two models' predictions.

Usage: gen_cases.py OUT N [SEED]
Writes OUT/truth/caseNNN/seg.nii.gz and OUT/{good,rough}/caseNNN.nii.gz: 240 x 240 x 155 uint8 label maps
at 1 mm (BraTS size and labels: 1 NETC, 2 SNFH, 3 ET). Each case has 1-6 metastases (edema ball with an
enhancing rim and a necrotic core) plus a few tiny ones; "good" is the truth moved by up to a voxel with
its boundary roughened and the smallest lesions sometimes missed, "rough" is worse and adds false
positives.
"""
import os
import sys

import nibabel as nib
import numpy as np

SHAPE = (240, 240, 155)


def ball(v, c, r, label, rng=None, jitter=0.0):
    lo = [max(0, int(c[a] - r - 2)) for a in range(3)]
    hi = [min(SHAPE[a], int(c[a] + r + 3)) for a in range(3)]
    if any(h <= l for l, h in zip(lo, hi)):
        return
    g = np.ogrid[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
    d2 = (g[0] - c[0]) ** 2 + (g[1] - c[1]) ** 2 + (g[2] - c[2]) ** 2
    rr = r if rng is None else r + rng.normal(0, jitter, size=d2.shape)
    sub = v[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
    sub[d2 <= rr ** 2] = label


def lesions(rng):
    out = []
    for _ in range(rng.integers(1, 7)):
        c = rng.uniform([60, 50, 30], [180, 190, 125])
        r = rng.uniform(3, 18)
        out.append((c, r))
    for _ in range(rng.integers(0, 4)):
        out.append((rng.uniform([60, 50, 30], [180, 190, 125]), rng.uniform(0.8, 2.0)))
    return out


def paint(les, rng=None, jitter=0.0, drop_small=0.0, shift=(0, 0, 0)):
    v = np.zeros(SHAPE, dtype=np.uint8)
    for c, r in les:
        if rng is not None and r < 3 and rng.random() < drop_small:
            continue
        c = np.asarray(c) + shift
        if r >= 3:
            ball(v, c, r, 2, rng, jitter)
            ball(v, c, r * 0.6, 3, rng, jitter)
            ball(v, c, r * 0.3, 1, rng, jitter)
        else:
            ball(v, c, r, 3, rng, jitter)
    return v


def save(v, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    nib.save(nib.Nifti1Image(v, np.eye(4)), path)


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    rng = np.random.default_rng(seed)
    for i in range(n):
        case = "case%03d" % i
        les = lesions(rng)
        save(paint(les), os.path.join(out, "truth", case, "seg.nii.gz"))
        good = paint(les, rng, 0.6, 0.3, rng.integers(-1, 2, size=3))
        save(good, os.path.join(out, "good", case + ".nii.gz"))
        rough_les = les + [(rng.uniform([60, 50, 30], [180, 190, 125]), rng.uniform(1, 5)) for _ in range(rng.integers(0, 3))]
        rough = paint(rough_les, rng, 1.5, 0.6, rng.integers(-2, 3, size=3))
        save(rough, os.path.join(out, "rough", case + ".nii.gz"))


if __name__ == "__main__":
    main()
