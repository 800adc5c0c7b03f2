#!/usr/bin/python3
"""Writes hand-built TorchScript model packages whose output is a threshold of the input, for the server
tests: they segment a bright sphere exactly, so the tests can check the plumbing (Dice against the truth)
without training anything.

Usage: /usr/bin/python3 make_threshold_model.py OUT_DIR

  threshold-1ch   input t1c; logits (0, 4 * (t1c - 1.5)) after z-score normalisation: label 1 "lesion"
  threshold-2ch   inputs t1c, flair; the same threshold of t1c (flair is ignored)

Both: softmax over background + 1 label, patch 16^3, target spacing 2 mm, no mirroring.
"""
import json
import os
import sys

import torch
import torch.nn as nn


class Threshold(nn.Module):
    def forward(self, x):
        fg = 4.0 * (x[:, 0:1] - 1.5)
        return torch.cat([torch.zeros_like(fg), fg], 1)


def write(out, name, inputs):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    spec = {
        "name": name,
        "version": "0.0.1-test",
        "task": "brain-metastases",
        "inputs": [{"name": n, "normalization": "zscore-nonzero"} for n in inputs],
        "targetSpacing": [2.0, 2.0, 2.0],
        "patchSize": [16, 16, 16],
        "dims": {"kind": "3d"},
        "activation": "softmax",
        "labels": [{"value": 1, "name": "lesion", "colour": "#ff0000", "snomedCode": "94225005"}],
        "regions": [{"name": "WT", "labels": [1]}],
        "mirrorAxes": [],
        "postprocessing": {"minComponentVoxels": 0},
        "folds": ["fold0.pt"],
        "engine": "torchscript",
    }
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(spec, f, indent=2)
    example = torch.zeros(1, len(inputs), 16, 16, 16)
    torch.jit.trace(Threshold().eval(), example).save(os.path.join(folder, "fold0.pt"))


def main(out):
    write(out, "threshold-1ch", ["t1c"])
    write(out, "threshold-2ch", ["t1c", "flair"])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_threshold_model.py OUT_DIR")
    main(sys.argv[1])
