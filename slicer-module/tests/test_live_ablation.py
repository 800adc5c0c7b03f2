"""The ablation conversation (server-conventions.md section 7) against ``lesionlink serve`` from the built jar:
an analytic phantom whose coverage, margin and canal distance are known, a query, a TRANSFORM stream, a
commit, bad input, and a thermometry stream. No models are needed."""
import math

import numpy as np
import pytest

from LesionLinkLib import ablation
from LesionLinkLib.client import CommandFailed, LesionLinkClient
from test_live_server import serve  # noqa: F401  (the fixture: a live server on a free port)

# 60 mm cube at 1 mm, voxel centres -29.5 .. 29.5: lesion sphere r = 10 at the origin, canal r = 3 along z at y = -26.
IJK_TO_RAS = np.array([[1, 0, 0, -29.5], [0, 1, 0, -29.5], [0, 0, 1, -29.5], [0, 0, 0, 1]], dtype=float)
_C = np.arange(60) - 29.5
Z, Y, X = np.meshgrid(_C, _C, _C, indexing="ij")  # arrays are indexed [k, j, i]
LESION = (X ** 2 + Y ** 2 + Z ** 2 <= 100).astype(np.uint8)
CANAL = (X ** 2 + (Y + 26) ** 2 <= 9).astype(np.uint8) * 3


@pytest.fixture
def session(serve):  # noqa: F811
    with LesionLinkClient("127.0.0.1", serve, timeout=30) as c:
        s = ablation.AblationSession(c)
        assert s.available()
        assert "received" in s.send_lesion(LESION, IJK_TO_RAS)
        assert "received" in s.send_critical(CANAL, IJK_TO_RAS)
        reply = s.plan(zone=(15, 15, 15, 0), warnMm=10, stopMm=5, criticalName="spinal canal", maxPoseAgeMs=10000)
        assert reply["lesion"] == "image" and reply["critical"] == "image"
        yield s


def test_ablation_query_gives_known_figures(session):
    u = session.query(tip=(0, 0, 0), direction=(0, 0, 1))
    assert u.ok and u.status == "WARN" and u.code == 1
    assert u.coverage_percent == 100.0
    assert 5.0 <= u.min_margin_mm < 5.6                       # 15 mm zone around a 10 mm lesion
    assert u.critical_distance_mm == pytest.approx(math.sqrt(0.5 + 23.5 ** 2) - 15, abs=1e-3)
    assert u.zone.pixels.shape == (80, 80, 80) and u.zone.pixels.dtype == np.uint8
    assert abs(int(u.zone.pixels.astype(bool).sum()) - 4 / 3 * math.pi * 15 ** 3) < 0.02 * 4 / 3 * math.pi * 15 ** 3
    assert u.surface is not None and len(u.surface.points) > 100
    assert "spinal canal" in u.summary() and ablation.DISCLAIMER in u.summary()


def test_transform_stream_commit_and_reset(session):
    session.send_pose(ablation.pose_matrix((0, -7, 0), (0, 0, 1)))
    u = session.wait_update()
    assert u.status == "STOP" and u.code == 3 and u.coverage_percent < 100
    assert u.message.startswith("STOP: coverage")
    assert session.commit() == 1
    session.wait_update()  # the commit re-evaluates the last pose
    session.send_pose(ablation.pose_matrix((0, 7, 0), (0, 0, 1)))
    both = session.wait_update()
    assert both.report["ablations_committed"] == 1 and len(both.result["zones"]) == 2
    assert both.coverage_percent == 100.0                      # the union covers what each alone does not
    session.reset()
    session.send_pose(ablation.pose_matrix((0, 7, 0), (0, 0, 1)))
    assert session.wait_update().coverage_percent < 100


def test_bad_input_names_the_problem(session):
    with pytest.raises(CommandFailed, match="unknown ablation device 'nope'"):
        session.plan(device="nope", power=50, time=300)
    u = session.wait_update()
    assert not u.ok and u.code == 10 and "nope" in u.message
    with pytest.raises(CommandFailed, match="extrapolation is refused"):
        session.plan(device="covidien-mwa", power=500, time=300)


def test_thermometry_stream(session):
    session.thermometry(3, 0.01, criticalLimitC=45)
    per_degree = 2 * math.pi * 42.576e6 * -0.01e-6 * 3 * 0.01
    from LesionLinkLib import igtl
    t0 = igtl.timestamp_from_seconds(1_700_000_000)
    session.send_phase(np.zeros(LESION.shape, np.float32), IJK_TO_RAS, t0)
    assert session.wait_thermal().message.startswith("baseline set")
    hot = np.where(LESION > 0, per_degree * 23, 0).astype(np.float32)   # 60 C in the lesion for 60 s
    session.send_phase(hot, IJK_TO_RAS, igtl.timestamp_from_seconds(1_700_000_060))
    u = session.wait_thermal()
    assert u.code == 1 and u.lesion_percent_cem240 == 100.0
    temperature = u.maps["temperature"].pixels
    assert temperature[30, 30, 30] == pytest.approx(60, abs=1e-3) and temperature[0, 0, 0] == pytest.approx(37, abs=1e-3)
    assert u.isodose is not None and set(u.maps) == {"temperature", "cem43", "damage"}
