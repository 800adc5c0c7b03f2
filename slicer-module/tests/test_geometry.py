"""IMAGE geometry <-> IJK-to-RAS, on the worked example of protocols/openigtlink/image.md."""
import numpy as np
import pytest

from LesionLinkLib import geometry

# image.md, "Worked example": 256 x 256 x 100, spacing 0.9375/0.9375/2.5, tilted 36.87 degrees about x.
DIMS = (256, 256, 100)
ORIGIN = (-120.0, -110.0, -40.0)
SPACING = (0.9375, 0.9375, 2.5)
DIRECTIONS = np.array([[1, 0, 0], [0, 0.8, -0.6], [0, 0.6, 0.8]], dtype=float)  # columns i, j, k
T, S, N = (0.9375, 0, 0), (0, 0.75, 0.5625), (0, -1.5, 2.0)
P = (-0.46875, -88.625, 130.71875)


def worked_matrix():
    return geometry.compose(ORIGIN, SPACING, DIRECTIONS)


def test_worked_example_volume_to_image():
    t, s, n, p = geometry.image_fields_from_matrix(worked_matrix(), DIMS)
    np.testing.assert_allclose(t, T, atol=1e-12)
    np.testing.assert_allclose(s, S, atol=1e-12)
    np.testing.assert_allclose(n, N, atol=1e-12)
    np.testing.assert_allclose(p, P, atol=1e-12)
    # every number of the example is exact in float32, as image.md says
    assert np.all(np.float32(p) == np.array(P))


def test_worked_example_image_to_volume():
    m = geometry.matrix_from_image_fields(T, S, N, P, DIMS)
    origin, spacing, directions = geometry.decompose(m)
    np.testing.assert_allclose(origin, ORIGIN, atol=1e-12)
    np.testing.assert_allclose(spacing, SPACING, atol=1e-12)
    np.testing.assert_allclose(directions, DIRECTIONS, atol=1e-12)


def test_worked_example_from_an_lps_sender():
    # image.md: an LPS sender writes x and y negated; the result is the same RAS grid.
    lps = [(-a[0], -a[1], a[2]) for a in (T, S, N, P)]
    m = geometry.matrix_from_image_fields(*lps, DIMS, coordinate=geometry.LPS)
    np.testing.assert_allclose(m, worked_matrix(), atol=1e-12)


def test_debian_imager_slice():
    # image.md: T=(1,0,0) S=(0,-1,0) N=(0,0,5) P=0 for 256 x 256 x 1 -> origin (-127.5, 127.5, 0)
    m = geometry.matrix_from_image_fields((1, 0, 0), (0, -1, 0), (0, 0, 5), (0, 0, 0), (256, 256, 1))
    np.testing.assert_allclose(m[:3, 3], (-127.5, 127.5, 0))
    np.testing.assert_allclose(geometry.decompose(m)[1], (1, 1, 5))


def test_single_slice_thickness_does_not_move_the_centre():
    a = geometry.matrix_from_image_fields((1, 0, 0), (0, 1, 0), (0, 0, 1), (5, 6, 7), (10, 20, 1))
    b = geometry.matrix_from_image_fields((1, 0, 0), (0, 1, 0), (0, 0, 9), (5, 6, 7), (10, 20, 1))
    np.testing.assert_array_equal(a[:3, 3], b[:3, 3])


@pytest.mark.parametrize("seed", range(20))
def test_round_trip_random_oblique_grids(seed):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    m = geometry.compose(rng.uniform(-200, 200, 3), rng.uniform(0.2, 5, 3), q)
    dims = tuple(int(d) for d in rng.integers(1, 600, 3))
    fields = geometry.image_fields_from_matrix(m, dims)
    np.testing.assert_allclose(geometry.matrix_from_image_fields(*fields, dims), m, atol=1e-9)
    lps = geometry.ras_to_lps(m)
    lps_fields = geometry.image_fields_from_matrix(lps, dims)
    np.testing.assert_allclose(geometry.matrix_from_image_fields(*lps_fields, dims, coordinate=geometry.LPS), m,
                               atol=1e-9)


def test_centre_is_voxel_centre_convention():
    # P is the middle of the voxel-centre range, not of the corner range: (RI-1)/2, not RI/2
    m = geometry.compose((0, 0, 0), (2, 2, 2), np.eye(3))
    _, _, _, p = geometry.image_fields_from_matrix(m, (4, 4, 4))
    np.testing.assert_allclose(p, (3, 3, 3))


def test_lps_flip_is_its_own_inverse():
    m = worked_matrix()
    np.testing.assert_array_equal(geometry.lps_to_ras(geometry.ras_to_lps(m)), m)
    np.testing.assert_array_equal(geometry.lps_to_ras(np.eye(4)), np.diag([-1.0, -1, 1, 1]))


def test_points_and_dims():
    m = worked_matrix()
    np.testing.assert_allclose(geometry.ijk_to_ras_point(m, (0, 0, 0)), ORIGIN)
    np.testing.assert_allclose(geometry.ras_to_ijk_point(m, geometry.ijk_to_ras_point(m, (3, 4.5, 7))), (3, 4.5, 7))
    assert geometry.dims_of(np.zeros((100, 20, 30))) == (30, 20, 100)


def test_refusals():
    with pytest.raises(ValueError):
        geometry.matrix_from_image_fields((0, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0), (2, 2, 2))
    with pytest.raises(ValueError):
        geometry.matrix_from_image_fields((1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0), (2, 2, 2), coordinate=3)
    with pytest.raises(ValueError):
        geometry.image_fields_from_matrix(np.eye(4), (0, 2, 2))
    with pytest.raises(ValueError):
        geometry.dims_of(np.zeros((2, 2)))
