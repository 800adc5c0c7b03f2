/**
 * NIfTI-1 and NIfTI-2 image files (the headers of nifti1.h and nifti2.h), read into and written from
 * {@link org.lesionlink.image.Volume}s. Depends on nothing but {@code org.lesionlink.image} and the JDK.
 *
 * <ul>
 *   <li>{@link org.lesionlink.io.nifti.NiftiReader}: {@code .nii}, {@code .nii.gz} and {@code .hdr}/{@code .img}
 *       pairs, either byte order; {@code readHeader} for the header alone (e.g. {@code lesionlink info}),
 *       {@code read} for the voxels too. Bad files fail with a {@link org.lesionlink.io.nifti.NiftiException}
 *       that names the file and the problem, and sizes are checked against limits before allocating.
 *   <li>{@link org.lesionlink.io.nifti.NiftiWriter}: single-file {@code .nii} / {@code .nii.gz}, NIfTI-1 or -2,
 *       written atomically.
 *   <li>{@link org.lesionlink.io.nifti.NiftiHeader}: the header fields and the orientation rules of nifti1.h
 *       (sform, else qform, else Method 1: {@code bestAffine()}).
 *   <li>{@link org.lesionlink.io.nifti.NiftiDatatype}: the {@code datatype} codes and how each is kept in memory.
 * </ul>
 *
 * <p>Orientation follows nifti1.h everywhere, which differs from nibabel in one case: a file with
 * {@code qform_code == sform_code == 0} gets Method 1 ({@code diag(pixdim[1..3])}, no translation) here, while
 * nibabel gives it the Analyze 7.5 affine (x flipped, origin at the centre of the volume).
 */
package org.lesionlink.io.nifti;
