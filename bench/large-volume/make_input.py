"""Writes the large-volume benchmark inputs with nibabel (the peer's own writer).

input.nii:      512 x 512 x 400 int16, 0.49 x 0.49 x 0.8 mm, smooth CT-like content (~200 MB)
reference.nii.gz: the target grid, the same size rotated 10 degrees about the S axis (zeros, uint8)
"""
import sys

import nibabel as nib
import numpy as np

out = sys.argv[1]
shape = (512, 512, 400)
spacing = np.array([0.49, 0.49, 0.8])
affine = np.diag(list(spacing) + [1.0])
affine[:3, 3] = -(np.array(shape) - 1) / 2 * spacing

rng = np.random.default_rng(7)
i = np.linspace(-1, 1, shape[0], dtype=np.float32)[:, None]
j = np.linspace(-1, 1, shape[1], dtype=np.float32)[None, :]
data = np.empty(shape, dtype=np.int16)
for k in range(shape[2]):
    z = -1 + 2 * k / (shape[2] - 1)
    r2 = i * i + j * j + z * z
    sl = np.where(r2 < 0.8, 40 + 300 * np.cos(6 * i) * np.sin(5 * j + z), -1000)
    data[:, :, k] = (sl + rng.normal(0, 15, (shape[0], shape[1]))).astype(np.int16)
img = nib.Nifti1Image(data, affine)
img.header.set_xyzt_units("mm")
nib.save(img, f"{out}/input.nii")

t = np.deg2rad(10)
rot = np.eye(4)
rot[:2, :2] = [[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]
ref = nib.Nifti1Image(np.zeros(shape, dtype=np.uint8), rot @ affine)
nib.save(ref, f"{out}/reference.nii.gz")
