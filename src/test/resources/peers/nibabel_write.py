#!/usr/bin/python3
"""Writes NIfTI files with nibabel that exercise what LesionLink's own writer never produces: widened
datatypes (int8, uint32, int64, uint64), RGB24/RGBA32, big-endian data, 5D, .hdr/.img pairs (plain and
gzipped), a qform-only oblique left-handed grid and a file with no transform at all. Prints the written
paths (the .nii or .hdr of each) as a JSON list.

Usage: /usr/bin/python3 nibabel_write.py OUTDIR
"""
import json
import os
import sys

import numpy as np
import nibabel as nib


def oblique(left_handed):
    c, s = np.cos(0.4), np.sin(0.4)
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]) @ np.array([[1, 0, 0], [0, np.cos(0.3), -np.sin(0.3)], [0, np.sin(0.3), np.cos(0.3)]])
    aff = np.eye(4)
    aff[:3, :3] = rot @ np.diag([1.5, 2.0, -2.5 if left_handed else 2.5])
    aff[:3, 3] = [-80.25, 33.5, 12.75]
    return aff


def main(out):
    rng = np.random.default_rng(20240601)
    shape = (5, 4, 3)
    aff = oblique(False)
    written = []

    def save(img, name):
        path = os.path.join(out, name)
        img.to_filename(path)
        written.append(path)

    def nifti1(data, dtype, endianness='<', klass=nib.Nifti1Image, affine=aff):
        hdr = klass.header_class(endianness=endianness)
        hdr.set_data_dtype(dtype)
        return klass(data, affine, hdr)

    save(nifti1(rng.integers(-128, 128, shape).astype(np.int8), np.int8, '>'), 'int8_be.nii')
    save(nifti1(rng.integers(0, 2**32, shape, dtype=np.uint64).astype(np.uint32), np.uint32), 'uint32.nii.gz')
    i64 = rng.integers(-(2**53), 2**53, shape, dtype=np.int64)
    save(nifti1(i64, np.int64, '>'), 'int64_be.nii')
    u64 = rng.integers(0, 2**53, shape, dtype=np.uint64)
    u64.flat[0] = np.uint64(2**64 - 2**11)  # above 2^63 but a double holds it exactly
    save(nifti1(u64, np.uint64), 'uint64.nii')

    rgb = np.zeros(shape + (2,), dtype=[('R', 'u1'), ('G', 'u1'), ('B', 'u1')])
    for f in 'RGB':
        rgb[f] = rng.integers(0, 256, rgb.shape)
    save(nifti1(rgb, rgb.dtype), 'rgb24_4d.nii')
    rgba = np.zeros(shape, dtype=[('R', 'u1'), ('G', 'u1'), ('B', 'u1'), ('A', 'u1')])
    for f in 'RGBA':
        rgba[f] = rng.integers(0, 256, rgba.shape)
    save(nifti1(rgba, rgba.dtype), 'rgba32.nii.gz')

    save(nifti1(rng.integers(-3000, 3000, shape + (2, 3)).astype(np.int16), np.int16, '>'), 'int16_be_5d.nii')
    img = nifti1(rng.normal(size=shape) * 100, np.float64, '>', nib.Nifti2Image)
    img.header.set_slope_inter(0.25, -7.5)
    save(img, 'float64_be_scaled_n2.nii.gz')

    save(nifti1(rng.integers(0, 65536, shape).astype(np.uint16), np.uint16, '>', nib.Nifti1Pair), 'pair_uint16.hdr')
    save(nifti1(rng.normal(size=shape).astype(np.float32), np.float32, '<', nib.Nifti2Pair), 'pair_n2_float32.hdr.gz')

    img = nifti1(rng.integers(0, 255, shape).astype(np.uint8), np.uint8)
    img.set_sform(None, code=0)
    img.set_qform(oblique(True), code=1)
    save(img, 'qform_only_left_handed.nii')

    img = nifti1(rng.integers(0, 255, shape).astype(np.uint8), np.uint8)
    img.header.set_zooms((2.0, 3.0, 4.0))
    img.set_sform(None, code=0)
    img.set_qform(None, code=0)
    save(img, 'no_transform.nii')

    json.dump(written, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
