#!/usr/bin/python3
"""What nibabel reads from NIfTI files, as one JSON list on stdout (for NiftiNibabelInteropTest).

Usage: /usr/bin/python3 nibabel_dump.py FILE...   (Debian's python3, which has python3-nibabel)

Per file: nibabel's class, the raw header fields LesionLink compares (dim, datatype, codes, magic, scl_*),
nibabel's effective scaling, the IJK->RAS affine, and the sha256 of the stored (unscaled) voxels as
little-endian bytes in NIfTI (Fortran) order.

"affine" is nibabel's img.affine, except when qform_code == sform_code == 0: there nifti1.h prescribes
Method 1 (diag(pixdim[1..3]), no translation; a spacing <= 0 or NaN counts as 1), while nibabel returns the
Analyze 7.5 affine (x flipped, origin at the centre). LesionLink follows the standard, so "affine" holds
Method 1 and nibabel's own answer stays in "nibabel_affine" for the test to state the difference.

"sha256_lesionlink" is added for the datatypes LesionLink widens (int8 -> int16; uint32, int64, uint64 ->
float64): the sha256 of numpy's conversion of the same voxels to that type.
"""
import hashlib
import json
import sys

import numpy as np
import nibabel as nib

WIDENED = {
    np.dtype('int8'): np.dtype('<i2'),
    np.dtype('uint32'): np.dtype('<f8'),
    np.dtype('int64'): np.dtype('<f8'),
    np.dtype('uint64'): np.dtype('<f8'),
}


def le_bytes(arr):
    """Little-endian bytes in Fortran (NIfTI) order."""
    return np.asarray(arr).astype(arr.dtype.newbyteorder('<')).tobytes(order='F')


def dump(path):
    out = {'path': path}
    try:
        img = nib.load(path)
    except Exception as e:  # noqa: BLE001 - report whatever nibabel says
        out['load_error'] = f'{type(e).__name__}: {e}'
        return out
    out['class'] = type(img).__name__
    if isinstance(img, nib.Cifti2Image):
        # CIFTI-2 is a NIfTI-2 file with an XML extension; look at the NIfTI-2 layer.
        img = nib.Nifti2Image.from_filename(path)
    out['nifti'] = isinstance(img.header, nib.Nifti1Header)  # Nifti2Header is a subclass
    if not out['nifti']:
        return out
    # img.header is nibabel's working copy (it resets scl_slope/scl_inter to NaN once the proxy has taken
    # the scaling); read the header as stored in the file instead.
    fmap = img.file_map
    with nib.openers.ImageOpener((fmap['header'] if 'header' in fmap else fmap['image']).filename) as f:
        hdr = type(img.header).from_fileobj(f)
    out['version'] = 2 if isinstance(hdr, nib.Nifti2Header) else 1
    out['magic'] = hdr['magic'].item().decode('latin-1')
    out['byte_order'] = 'big' if hdr.endianness == '>' else 'little'
    out['dim'] = [int(x) for x in hdr['dim']]
    out['shape'] = [int(x) for x in img.shape]
    out['datatype'] = int(hdr['datatype'])
    out['scl_slope'] = float(hdr['scl_slope'])
    out['scl_inter'] = float(hdr['scl_inter'])
    out['slope'] = float(img.dataobj.slope)
    out['inter'] = float(img.dataobj.inter)
    qcode = int(hdr['qform_code'])
    scode = int(hdr['sform_code'])
    out['qform_code'] = qcode
    out['sform_code'] = scode
    out['nibabel_affine'] = img.affine.tolist()
    if qcode == 0 and scode == 0:
        zooms = [float(z) if z > 0 else 1.0 for z in hdr['pixdim'][1:4]]
        out['affine'] = np.diag(zooms + [1.0]).tolist()
        out['affine_rule'] = 'method1'
    else:
        out['affine'] = img.affine.tolist()
        out['affine_rule'] = 'sform' if scode > 0 else 'qform'
    try:
        data = np.asanyarray(img.dataobj.get_unscaled())
    except Exception as e:  # noqa: BLE001 - e.g. the .img of a header-only pair is missing
        out['data_error'] = f'{type(e).__name__}: {e}'
        return out
    out['dtype'] = str(data.dtype)
    out['sha256'] = hashlib.sha256(le_bytes(data)).hexdigest()
    native = data.dtype.newbyteorder('=')
    if native in WIDENED:
        widened = data.astype(WIDENED[native])
        out['sha256_lesionlink'] = hashlib.sha256(widened.tobytes(order='F')).hexdigest()
    return out


def main(paths):
    json.dump([dump(p) for p in paths], sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
