"""The peer side of the large-volume benchmark: nibabel load, scipy trilinear resampling onto the
reference grid, nibabel write. Same work as `lesionlink resample --interpolation linear`."""
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

src_path, ref_path, out_path = sys.argv[1:4]
src = nib.load(src_path)
ref = nib.load(ref_path)
data = np.asanyarray(src.dataobj)  # int16, no scaling in this input
m = np.linalg.inv(src.affine) @ ref.affine  # target ijk -> source ijk
out = ndimage.affine_transform(data, m[:3, :3], offset=m[:3, 3], output_shape=ref.shape,
                               order=1, mode="constant", cval=0.0, output=np.float32)
out = np.rint(out).astype(np.int16)
img = nib.Nifti1Image(out, ref.affine)
img.header.set_xyzt_units("mm")
nib.save(img, out_path)
