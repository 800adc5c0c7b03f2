"""The whole segmentation conversation against ``lesionlink serve`` from the built jar.

It runs the flow the Slicer module runs: GetModels, one synthetic volume per channel of the first model,
Segment, results (with the embedded demonstration models, whose quality is not the point here).
"""
import socket
import subprocess
import time

import numpy as np
import pytest

from LesionLinkLib import geometry
from LesionLinkLib.client import LesionLinkClient


def free_port():
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


@pytest.fixture
def serve(lesionlink_jar, jar_commands, tmp_path):
    if "serve" not in jar_commands:
        pytest.skip("lesionlink serve is not in %s yet (issue #7); the Lib is tested against igtl-echo and a "
                    "scripted peer meanwhile" % lesionlink_jar)
    port = free_port()
    # Reports go to a temporary folder; DICOM and HTTP stay off so no fixed port is needed.
    process = subprocess.Popen(["java", "-jar", str(lesionlink_jar), "serve", "--port", str(port),
                                "--dicom-port", "-1", "--http-port", "-1", "--storage", str(tmp_path / "storage")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            with LesionLinkClient("127.0.0.1", port, timeout=5) as c:
                c.ping()
            break
        except (ConnectionError, OSError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("lesionlink serve --port %d did not answer: %s" % (port, process.stdout.read()))
            time.sleep(0.5)
    yield port
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def synthetic_case(channels, shape=(24, 40, 40)):
    """Noise with a bright sphere, on an oblique 1.2 x 1.0 x 3 mm grid, one volume per channel."""
    k, j, i = np.indices(shape)
    ball = ((i - 20) ** 2 + (j - 18) ** 2 + ((k - 12) * 3) ** 2) < 36
    rng = np.random.default_rng(0)
    a = np.radians(10)
    m = geometry.compose((-24, -20, -36), (1.2, 1.0, 3.0), [[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    return {c: ((rng.normal(100, 10, shape) + 300 * ball).astype(np.int16), m) for c in channels}


def test_segment_synthetic_case(serve):
    with LesionLinkClient("127.0.0.1", serve, timeout=30, segment_timeout=600) as c:
        models = c.get_models()
        if not models:
            pytest.skip("lesionlink serve lists no models")
        model = models[0]
        case = synthetic_case(model.channels)
        result = c.segment(case, model=model.name)
    reference = case[model.channels[0]]
    assert result.device == model.channels[0] + "_seg"
    assert result.labelmap.shape == reference[0].shape and result.labelmap.dtype == np.uint8
    np.testing.assert_allclose(result.ijk_to_ras, reference[1], atol=1e-3)
    assert result.labels and set(np.unique(result.labelmap)) <= {0} | {l.value for l in result.labels}
    assert isinstance(result.report, dict) and "lesions" in result.report
    result.lesion_report()  # parses
