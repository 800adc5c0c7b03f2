"""LesionLinkLib.ablation without a server: TRANSFORM bytes, probe matrices, and collecting an update."""
import json

import numpy as np
import pytest

from LesionLinkLib import ablation, igtl
from LesionLinkLib.client import LesionLinkError


def test_transform_round_trip_is_column_major_big_endian():
    m = np.array([[1, 2, 3, 10], [4, 5, 6, 20], [7, 8, 9, 30], [0, 0, 0, 1]], dtype=float)
    content = ablation.encode_transform(m)
    assert len(content) == 48
    # transform.md: R11 R21 R31 R12 ... TX TY TZ, float32 big-endian
    assert np.frombuffer(content, ">f4").tolist() == [1, 4, 7, 2, 5, 8, 3, 6, 9, 10, 20, 30]
    np.testing.assert_array_equal(ablation.decode_transform(content), m)
    with pytest.raises(LesionLinkError):
        ablation.encode_transform(np.full((4, 4), np.nan))


@pytest.mark.parametrize("axis", ["+z", "-z", "+x", "-x", "+y", "-y"])
def test_pose_matrix_puts_the_direction_on_the_probe_axis(axis):
    d = np.array([1.0, 2.0, -2.0]) / 3
    m = ablation.pose_matrix((5, 6, 7), d * 4, axis)
    col = "xyz".index(axis[1])
    np.testing.assert_allclose(m[:3, col] * (1 if axis[0] == "+" else -1), d, atol=1e-12)
    np.testing.assert_allclose(m[:3, :3] @ m[:3, :3].T, np.eye(3), atol=1e-12)
    assert np.linalg.det(m[:3, :3]) == pytest.approx(1)
    np.testing.assert_array_equal(m[:3, 3], [5, 6, 7])


def test_collector_assembles_an_update_and_drops_figures_of_errors():
    c = ablation.AblationCollector()
    report = {"result": {"coverage_percent": 97.5, "min_margin_mm": -0.5, "critical_distance_mm": 7.0,
                         "tip_critical_distance_mm": 20.0, "critical_structure": "spinal canal", "warnings": ["w"]}}
    assert c.feed(igtl.Message("STRING", "AblationReport", igtl.String(json.dumps(report)).encode())) is None
    u = c.feed(igtl.Message("STATUS", "Ablation", igtl.Status(1, "WARN: ...", 1, "WARN").encode(), timestamp=42))
    assert u.ok and u.status == "WARN" and u.coverage_percent == 97.5 and u.timestamp == 42
    assert "zone 7.0 mm, tip 20.0 mm from spinal canal" in u.summary() and "warning: w" in u.summary()
    err = c.feed(igtl.Message("STATUS", "Ablation", igtl.Status(13, "no target lesion", 0, "NO_LESION").encode()))
    assert not err.ok and err.report is None and err.summary() == "NO_LESION: no target lesion"
