#!/usr/bin/python3
"""Loads NIfTI files that LesionLink wrote and prints what nibabel makes of them, as one JSON list.

Usage: /usr/bin/python3 nibabel_load.py FILE...   (Debian's python3, which has python3-nibabel)

Per file: nibabel's class, shape, datatype, img.affine, the qform and sform with their codes, the spatial
unit, nibabel's effective scl_slope/scl_inter, the sha256 of the stored (unscaled) voxels as little-endian
bytes in NIfTI (Fortran) order, and the first scaled values (get_fdata) for checking the rescale.
"""
import hashlib
import json
import sys

import numpy as np
import nibabel as nib


def load(path):
    img = nib.load(path)
    hdr = img.header
    qform, qcode = hdr.get_qform(coded=True)
    sform, scode = hdr.get_sform(coded=True)
    data = np.asanyarray(img.dataobj.get_unscaled())
    scaled = img.get_fdata(dtype=np.float64).ravel(order='F')
    return {
        'path': path,
        'class': type(img).__name__,
        'shape': [int(x) for x in img.shape],
        'datatype': int(hdr['datatype']),
        'affine': img.affine.tolist(),
        'qform_code': int(qcode),
        'qform': None if qform is None else qform.tolist(),
        'sform_code': int(scode),
        'sform': None if sform is None else sform.tolist(),
        'space_unit': hdr.get_xyzt_units()[0],
        'slope': float(img.dataobj.slope),
        'inter': float(img.dataobj.inter),
        'sha256': hashlib.sha256(data.astype(data.dtype.newbyteorder('<')).tobytes(order='F')).hexdigest(),
        'scaled_head': [float(x) for x in scaled[:64]],
    }


if __name__ == '__main__':
    json.dump([load(p) for p in sys.argv[1:]], sys.stdout)
    sys.stdout.write('\n')
