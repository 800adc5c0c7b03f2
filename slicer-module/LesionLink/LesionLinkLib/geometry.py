"""IMAGE geometry <-> 4x4 IJK-to-RAS matrices, and LPS <-> RAS.

Conventions (protocols/openigtlink/image.md, "Geometry"):

- voxel indices address voxel **centres**; ``origin`` is the centre of voxel (0, 0, 0);
- ``ijk_to_ras = [T S N origin; 0 0 0 1]``: the columns T, S, N are unit direction x spacing (mm);
- ``P``, the IMAGE field, is the centre of the **full** volume:
  ``P = origin + T (RI-1)/2 + S (RJ-1)/2 + N (RK-1)/2``;
- ``dims`` are ``(RI, RJ, RK)``, i fastest: the reverse of a numpy ``[k, j, i]`` array's shape;
- LPS -> RAS is a left multiplication by ``diag(-1, -1, 1, 1)`` (its own inverse).

numpy only; no Slicer.
"""
import numpy as np

#: IMAGE coordinate-system byte values.
RAS = 1
LPS = 2

#: diag(-1, -1, 1, 1): maps LPS to RAS and RAS to LPS.
LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])


def lps_to_ras(matrix):
    """An IJK-to-LPS matrix as IJK-to-RAS (or the reverse: the flip is its own inverse)."""
    return LPS_TO_RAS @ np.asarray(matrix, dtype=float)


ras_to_lps = lps_to_ras


def _half_extent(dims):
    dims = np.asarray(dims, dtype=float)
    if dims.shape != (3,) or np.any(dims < 1):
        raise ValueError("dims must be three sizes >= 1 (RI, RJ, RK), got %r" % (tuple(dims),))
    return (dims - 1.0) / 2.0


def image_fields_from_matrix(ijk_to_ras, dims):
    """The IMAGE fields ``(T, S, N, P)`` (each a length-3 float array) of an IJK-to-RAS matrix and
    full-volume size ``dims = (RI, RJ, RK)``."""
    m = np.asarray(ijk_to_ras, dtype=float)
    if m.shape != (4, 4):
        raise ValueError("ijk_to_ras must be 4x4, got shape %r" % (m.shape,))
    t, s, n, origin = m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3]
    hi, hj, hk = _half_extent(dims)
    p = origin + t * hi + s * hj + n * hk
    return t.copy(), s.copy(), n.copy(), p


def matrix_from_image_fields(t, s, n, p, dims, coordinate=RAS):
    """The IJK-to-RAS matrix of IMAGE fields T, S, N, P for a full volume of ``dims``;
    ``coordinate`` is the IMAGE's coordinate byte (LPS fields are converted to RAS)."""
    t, s, n, p = (np.asarray(v, dtype=float).reshape(3) for v in (t, s, n, p))
    for name, axis in (("T", t), ("S", s), ("N", n)):
        if not np.any(axis):
            raise ValueError("IMAGE axis %s is a zero vector" % name)
    hi, hj, hk = _half_extent(dims)
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2] = t, s, n
    m[:3, 3] = p - t * hi - s * hj - n * hk
    if coordinate == LPS:
        return lps_to_ras(m)
    if coordinate != RAS:
        raise ValueError("unknown IMAGE coordinate system %r (1 RAS, 2 LPS)" % (coordinate,))
    return m


def compose(origin, spacing, directions):
    """IJK-to-RAS from origin (centre of voxel 0,0,0), spacing (i, j, k) and a 3x3 matrix whose columns
    are the unit i, j, k directions."""
    m = np.eye(4)
    m[:3, :3] = np.asarray(directions, dtype=float) @ np.diag(np.asarray(spacing, dtype=float))
    m[:3, 3] = np.asarray(origin, dtype=float)
    return m


def decompose(ijk_to_ras):
    """``(origin, spacing, directions)`` of an IJK-to-RAS matrix (the inverse of :func:`compose`)."""
    m = np.asarray(ijk_to_ras, dtype=float)
    spacing = np.linalg.norm(m[:3, :3], axis=0)
    if np.any(spacing == 0):
        raise ValueError("ijk_to_ras has a zero-length axis")
    return m[:3, 3].copy(), spacing, m[:3, :3] / spacing


def dims_of(array):
    """``(RI, RJ, RK)`` of a numpy volume indexed ``[k, j, i]`` (optionally ``[k, j, i, component]``)."""
    shape = np.shape(array)
    if len(shape) not in (3, 4):
        raise ValueError("a volume is indexed [k, j, i] (or [k, j, i, c]), got shape %r" % (shape,))
    return shape[2], shape[1], shape[0]


def ijk_to_ras_point(ijk_to_ras, ijk):
    """The RAS position of a (possibly fractional) voxel index ``(i, j, k)``."""
    return (np.asarray(ijk_to_ras, dtype=float) @ np.append(np.asarray(ijk, dtype=float), 1.0))[:3]


def ras_to_ijk_point(ijk_to_ras, ras):
    """The voxel index ``(i, j, k)`` (fractional) of a RAS position."""
    return (np.linalg.inv(np.asarray(ijk_to_ras, dtype=float)) @ np.append(np.asarray(ras, dtype=float), 1.0))[:3]
