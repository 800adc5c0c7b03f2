#!/usr/bin/python3
"""Writes the segment benchmark's model package and case with torch and nibabel.

Usage: /usr/bin/python3 make_inputs.py OUT_DIR

OUT_DIR/model/   "bench-unet": a small 3D U-Net (3 levels, 8-16-32 features, instance norm, leaky ReLU),
                 4 inputs (t1c, t1n, t2w, t2f; z-score over the non-zero mask), softmax over
                 BraTS-METS labels 1-3, patch 64^3 at 1 mm, one fold (TorchScript), mirroring on all
                 three axes. Random (seeded) weights: what is measured is the work, not the accuracy.
OUT_DIR/case/    four 128 x 128 x 96 float32 NIfTI channels at 1 mm: an ellipsoidal "brain" with smooth
                 blobs, zero outside (so cropping, the non-zero mask and padding all take part).
"""
import json
import os
import sys

import nibabel as nib
import numpy as np
import torch
import torch.nn as nn

CHANNELS = ["t1c", "t1n", "t2w", "t2f"]


class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.c1 = nn.Conv3d(cin, cout, 3, stride=stride, padding=1)
        self.n1 = nn.InstanceNorm3d(cout, affine=True)
        self.c2 = nn.Conv3d(cout, cout, 3, padding=1)
        self.n2 = nn.InstanceNorm3d(cout, affine=True)
        self.act = nn.LeakyReLU(0.01)

    def forward(self, x):
        return self.act(self.n2(self.c2(self.act(self.n1(self.c1(x))))))


class BenchUNet(nn.Module):
    def __init__(self, cin, cout, f=8):
        super().__init__()
        self.e0 = Block(cin, f)
        self.e1 = Block(f, 2 * f, 2)
        self.e2 = Block(2 * f, 4 * f, 2)
        self.u1 = nn.ConvTranspose3d(4 * f, 2 * f, 2, stride=2)
        self.d1 = Block(4 * f, 2 * f)
        self.u0 = nn.ConvTranspose3d(2 * f, f, 2, stride=2)
        self.d0 = Block(2 * f, f)
        self.head = nn.Conv3d(f, cout, 1)

    def forward(self, x):
        s0 = self.e0(x)
        s1 = self.e1(s0)
        y = self.e2(s1)
        y = self.d1(torch.cat([self.u1(y), s1], 1))
        y = self.d0(torch.cat([self.u0(y), s0], 1))
        return self.head(y)


def model(out):
    folder = os.path.join(out, "model")
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(5)
    net = BenchUNet(len(CHANNELS), 4).eval()
    with torch.no_grad():
        net.head.weight.mul_(4.0)
        traced = torch.jit.trace(net, torch.randn(2, len(CHANNELS), 64, 64, 64))
    traced.save(os.path.join(folder, "fold0.pt"))
    spec = {
        "name": "bench-unet", "version": "0.0.1-bench", "task": "brain-metastases",
        "inputs": [{"name": c, "normalization": "zscore-nonzero"} for c in CHANNELS],
        "targetSpacing": [1.0, 1.0, 1.0], "patchSize": [64, 64, 64], "dims": {"kind": "3d"},
        "activation": "softmax",
        "labels": [{"value": 1, "name": "NETC", "colour": "#e6194b"},
                   {"value": 2, "name": "SNFH", "colour": "#3cb44b"},
                   {"value": 3, "name": "ET", "colour": "#4363d8"}],
        "regions": [{"name": "WT", "labels": [1, 2, 3]}, {"name": "TC", "labels": [1, 3]}, {"name": "ET", "labels": [3]}],
        "mirrorAxes": [0, 1, 2], "postprocessing": {"minComponentVoxels": 10},
        "folds": ["fold0.pt"], "engine": "torchscript",
    }
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(spec, f, indent=2)


def case(out):
    folder = os.path.join(out, "case")
    os.makedirs(folder, exist_ok=True)
    shape = (128, 128, 96)
    affine = np.diag([-1.0, 1.0, 1.0, 1.0])
    affine[:3, 3] = [63.5, -70.0, -40.0]
    rng = np.random.default_rng(3)
    i, j, k = np.meshgrid(*[np.arange(n, dtype=np.float32) for n in shape], indexing="ij")
    inside = ((i - 64) / 56) ** 2 + ((j - 62) / 60) ** 2 + ((k - 46) / 42) ** 2 <= 1
    for c, name in enumerate(CHANNELS):
        s = np.full(shape, 100.0, dtype=np.float32)
        for _ in range(12):
            ci, cj, ck = rng.uniform(20, 108), rng.uniform(20, 108), rng.uniform(15, 80)
            r, a = rng.uniform(3, 9), rng.uniform(-80, 250)
            s += a * np.exp(-((i - ci) ** 2 + (j - cj) ** 2 + (k - ck) ** 2) / (2 * r * r))
        s += rng.normal(0, 8, shape).astype(np.float32)
        s *= 0.6 + 0.2 * c
        img = nib.Nifti1Image(np.where(inside, s, 0).astype(np.float32), affine)
        img.header.set_xyzt_units("mm")
        nib.save(img, os.path.join(folder, name + ".nii.gz"))


if __name__ == "__main__":
    torch.set_num_threads(1)
    model(sys.argv[1])
    case(sys.argv[1])
