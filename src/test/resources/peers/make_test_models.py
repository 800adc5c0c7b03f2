#!/usr/bin/python3
"""Creates tiny random model packages for LesionLink's inference tests.

Usage: /usr/bin/python3 make_test_models.py OUT_DIR

Writes OUT_DIR/<package>/model.json plus weights, small enough to run on a shared CPU in well under a
second per case:

  tiny-unet        3D U-Net (instance norm, leaky ReLU, strided conv down, transposed conv up), 2 inputs,
                   softmax over background + 3 labels, patch 16^3, two folds (TorchScript)
  tiny-unet-onnx   the same two folds exported to ONNX (only when torch.onnx.export works)
  tiny-segresnet   SegResNet-like net (group norm, residual blocks, trilinear upsampling), 2 inputs,
                   sigmoid over the BraTS-METS regions WT, TC, ET, anisotropic patch (i, j, k) = (24, 16, 16)
  tiny-unet2d      2D U-Net applied slice by slice along k (axial), one neighbouring slice on each side
                   stacked as channels (2 inputs x 3 slices = 6 channels), patch (16, 16, 1), mirroring i, j
  tiny-unet2d-sag  2D U-Net along i (sagittal), no neighbours, patch (1, 16, 12), mirroring j, k

Tensor layout follows LesionLink's model.json convention: the network sees (N, C, k, j, i); patchSize in
model.json lists (i, j, k). 2D networks see (N, C, a, b): the voxel axes other than the slice axis, in
(k, j, i) order. Weights are random (seeded) but scaled so that every label occurs.
Nothing here is copied from nnU-Net or MONAI; the nets only resemble their building blocks.
"""
import json
import os
import sys

import torch
import torch.nn as nn

LABELS = [
    {"value": 1, "name": "NETC", "colour": "#e6194b", "snomedCode": "86049000"},
    {"value": 2, "name": "SNFH", "colour": "#3cb44b", "snomedCode": "79654002"},
    {"value": 3, "name": "ET", "colour": "#4363d8", "snomedCode": "94225005"},
]
REGIONS = [
    {"name": "WT", "labels": [1, 2, 3]},
    {"name": "TC", "labels": [1, 3]},
    {"name": "ET", "labels": [3]},
]
INPUTS = [
    {"name": "t1c", "normalization": "zscore-nonzero"},
    {"name": "t2f", "normalization": "zscore-nonzero"},
]


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, stride=stride, padding=1)
        self.norm = nn.InstanceNorm3d(cout, affine=True)
        self.act = nn.LeakyReLU(0.01)

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class TinyUNet(nn.Module):
    def __init__(self, cin, cout, f=4):
        super().__init__()
        self.e0 = ConvBlock(cin, f)
        self.e1 = ConvBlock(f, 2 * f, stride=2)
        self.b = ConvBlock(2 * f, 4 * f, stride=2)
        self.u1 = nn.ConvTranspose3d(4 * f, 2 * f, 2, stride=2)
        self.d1 = ConvBlock(4 * f, 2 * f)
        self.u0 = nn.ConvTranspose3d(2 * f, f, 2, stride=2)
        self.d0 = ConvBlock(2 * f, f)
        self.head = nn.Conv3d(f, cout, 1)

    def forward(self, x):
        s0 = self.e0(x)
        s1 = self.e1(s0)
        y = self.b(s1)
        y = self.d1(torch.cat([self.u1(y), s1], 1))
        y = self.d0(torch.cat([self.u0(y), s0], 1))
        return self.head(y)


class ResBlock(nn.Module):
    def __init__(self, c, groups=2):
        super().__init__()
        self.n1 = nn.GroupNorm(groups, c)
        self.c1 = nn.Conv3d(c, c, 3, padding=1)
        self.n2 = nn.GroupNorm(groups, c)
        self.c2 = nn.Conv3d(c, c, 3, padding=1)

    def forward(self, x):
        y = self.c1(torch.relu(self.n1(x)))
        y = self.c2(torch.relu(self.n2(y)))
        return x + y


class TinySegResNet(nn.Module):
    def __init__(self, cin, cout, f=4):
        super().__init__()
        self.stem = nn.Conv3d(cin, f, 3, padding=1)
        self.r0 = ResBlock(f)
        self.down = nn.Conv3d(f, 2 * f, 3, stride=2, padding=1)
        self.r1 = ResBlock(2 * f)
        self.reduce = nn.Conv3d(2 * f, f, 1)
        self.up = nn.Upsample(scale_factor=2, mode="trilinear", align_corners=False)
        self.r2 = ResBlock(f)
        self.head = nn.Conv3d(f, cout, 1)

    def forward(self, x):
        s0 = self.r0(self.stem(x))
        y = self.r1(self.down(s0))
        y = self.up(self.reduce(y)) + s0
        return self.head(self.r2(y))


class ConvBlock2d(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.norm = nn.InstanceNorm2d(cout, affine=True)
        self.act = nn.LeakyReLU(0.01)

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class TinyUNet2d(nn.Module):
    def __init__(self, cin, cout, f=6):
        super().__init__()
        self.e0 = ConvBlock2d(cin, f)
        self.e1 = ConvBlock2d(f, 2 * f, stride=2)
        self.u0 = nn.ConvTranspose2d(2 * f, f, 2, stride=2)
        self.d0 = ConvBlock2d(2 * f, f)
        self.head = nn.Conv2d(f, cout, 1)

    def forward(self, x):
        s0 = self.e0(x)
        y = self.e1(s0)
        y = self.d0(torch.cat([self.u0(y), s0], 1))
        return self.head(y)


def spec(name, activation, patch, mirror, folds, engine, min_voxels, regions=False):
    s = {
        "name": name,
        "version": "0.0.1-test",
        "task": "brain-metastases",
        "inputs": INPUTS,
        "targetSpacing": [1.0, 1.0, 1.0],
        "patchSize": patch,
        "dims": {"kind": "3d"},
        "activation": activation,
        "labels": LABELS,
        "regions": REGIONS,
        "mirrorAxes": mirror,
        "postprocessing": {"minComponentVoxels": min_voxels},
        "folds": folds,
        "engine": engine,
    }
    if activation == "sigmoid":
        s["regionClassOrder"] = [2, 1, 3]
    return s


def tensor_shape(patch, batch=2, channels=len(INPUTS)):
    i, j, k = patch
    return (batch, channels, k, j, i)


def make(net_factory, seed, patch):
    torch.manual_seed(seed)
    net = net_factory().eval()
    with torch.no_grad():
        # Give the head a larger spread so argmax / thresholds vary over the image.
        net.head.weight.mul_(4.0)
    example = torch.randn(*tensor_shape(patch))
    with torch.no_grad():
        traced = torch.jit.trace(net, example)
    return net, traced, example


def write_json(folder, s):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(s, f, indent=2)


def main(out):
    torch.set_num_threads(1)
    patch = [16, 16, 16]
    unet = os.path.join(out, "tiny-unet")
    onnx_dir = os.path.join(out, "tiny-unet-onnx")
    write_json(unet, spec("tiny-unet", "softmax", patch, [0, 1, 2], ["fold0.pt", "fold1.pt"], "torchscript", 3))
    onnx_ok = True
    for fold, seed in enumerate([11, 12]):
        net, traced, example = make(lambda: TinyUNet(len(INPUTS), 1 + len(LABELS)), seed, patch)
        traced.save(os.path.join(unet, "fold%d.pt" % fold))
        try:
            os.makedirs(onnx_dir, exist_ok=True)
            torch.onnx.export(net, example, os.path.join(onnx_dir, "fold%d.onnx" % fold), opset_version=13,
                              input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        except Exception as e:  # noqa: BLE001 - report and go on without ONNX
            print("ONNX export failed: %s" % e, file=sys.stderr)
            onnx_ok = False
    if onnx_ok:
        write_json(onnx_dir, spec("tiny-unet-onnx", "softmax", patch, [0, 1, 2], ["fold0.onnx", "fold1.onnx"], "onnx", 3))

    seg = os.path.join(out, "tiny-segresnet")
    seg_patch = [24, 16, 16]
    write_json(seg, spec("tiny-segresnet", "sigmoid", seg_patch, [0, 2], ["fold0.pt"], "torchscript", 0))
    _, traced, _ = make(lambda: TinySegResNet(len(INPUTS), len(REGIONS)), 21, seg_patch)
    traced.save(os.path.join(seg, "fold0.pt"))
    for name, slice_axis, neighbours, patch2d, mirror2d, seed in [
            ("tiny-unet2d", 2, 1, [16, 16, 1], [0, 1], 31),
            ("tiny-unet2d-sag", 0, 0, [1, 16, 12], [1, 2], 32)]:
        folder = os.path.join(out, name)
        s = spec(name, "softmax", patch2d, mirror2d, ["fold0.pt"], "torchscript", 0)
        s["dims"] = {"kind": "2d", "sliceAxis": slice_axis, "neighbourSlices": neighbours}
        write_json(folder, s)
        cin = len(INPUTS) * (2 * neighbours + 1)
        in_plane = [patch2d[a] for a in (2, 1, 0) if a != slice_axis]  # (k, j, i) order without the slice axis
        torch.manual_seed(seed)
        net = TinyUNet2d(cin, 1 + len(LABELS)).eval()
        with torch.no_grad():
            net.head.weight.mul_(4.0)
            traced = torch.jit.trace(net, torch.randn(2, cin, *in_plane))
        traced.save(os.path.join(folder, "fold0.pt"))
    print("onnx" if onnx_ok else "no-onnx")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_test_models.py OUT_DIR")
    main(sys.argv[1])
