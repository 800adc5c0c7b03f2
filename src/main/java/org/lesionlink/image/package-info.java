/**
 * LesionLink's in-memory image model and the geometric operations on it.
 *
 * <h2>Model</h2>
 * A {@link org.lesionlink.image.Volume} is an immutable 3D image: a
 * {@link org.lesionlink.image.Geometry} (where the voxels are), a
 * {@link org.lesionlink.image.DataType} (how they are stored), one or more channels of equal size and a
 * {@link org.lesionlink.image.Volume.Rescale} from stored to real values. Each channel is one
 * little-endian buffer in index order {@code i + nx * (j + ny * k)}. Transforms are
 * {@link org.lesionlink.image.Affine} 4x4 matrices.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Physical coordinates are <b>RAS</b> millimetres (+x Right, +y Anterior, +z Superior, as NIfTI and
 *       3D Slicer). DICOM and OpenIGTLink speak LPS; conversion happens only at those boundaries
 *       ({@link org.lesionlink.image.Geometry#fromIjkToLps}, {@link org.lesionlink.image.Geometry#ijkToLps}).
 *   <li>Integer voxel indices address voxel <b>centres</b>:
 *       {@code ijkToRas = [direction * diag(spacing) | origin]}, origin being the centre of voxel (0,0,0).
 *       A grid of n voxels therefore covers continuous indices {@code [-0.5, n - 0.5]} on each axis.
 *   <li>Direction matrices may flip or rotate axes (oblique acquisitions); nothing assumes axis alignment.
 * </ul>
 *
 * <h2>Resampling and cropping</h2>
 * {@link org.lesionlink.image.Resampler} maps a volume onto any other grid through physical space, with
 * {@link org.lesionlink.image.Interpolation} NEAREST (label maps), LINEAR or BSPLINE (cubic, interpolating);
 * points outside the source's voxel box get a fill value. {@link org.lesionlink.image.Crop} cuts a volume
 * to a {@link org.lesionlink.image.BoundingBox} (e.g. around a mask), pads it, and restores a cropped
 * result onto the original grid; crops keep every voxel's RAS position, so they need no resampling.
 *
 * <h2>Distances</h2>
 * {@link org.lesionlink.image.DistanceTransform} is the exact Euclidean distance transform (Felzenszwalb and
 * Huttenlocher, anisotropic spacing) used by the phantom generator and the ablation margins.
 */
package org.lesionlink.image;
