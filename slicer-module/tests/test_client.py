"""LesionLinkClient against a scripted peer that follows server-conventions.md (see scripted_server.py)."""
import socket
import time

import numpy as np
import pytest

from LesionLinkLib import client as client_module
from LesionLinkLib import geometry, igtl
from LesionLinkLib.client import CommandFailed, LesionLinkClient, LesionLinkError, LesionLinkTimeout, ServerError
from scripted_server import ScriptedServer


def brain_case(shape=(6, 7, 8)):
    rng = np.random.default_rng(1)
    m = geometry.compose((-10, 20.5, -30), (0.9, 1.1, 2.5), [[0, 1, 0], [-1, 0, 0], [0, 0, 1]])
    return {c: ((rng.random(shape) * 150).astype(np.int16), m) for c in ("t1c", "t1", "t2", "flair")}


@pytest.fixture(params=[False, True], ids=["v1-STRING-commands", "v3-COMMAND"])
def server_and_client(request):
    server = ScriptedServer()
    c = LesionLinkClient("127.0.0.1", server.port, timeout=10, use_v3=request.param)
    c.connect()
    yield server, c
    c.close()
    server.close()


def test_models(server_and_client):
    _, c = server_and_client
    models = c.get_models()
    assert [m.name for m in models] == ["brain-mets-demo", "spine-mets-demo"]
    brain = models[0]
    assert brain.channels[0] == "t1c" and [l.name for l in brain.labels] == ["NETC", "SNFH", "ET"]
    np.testing.assert_allclose(brain.labels[2].color, (0x43 / 255, 0x63 / 255, 0xd8 / 255))
    np.testing.assert_allclose(models[1].labels[0].color, (230 / 255, 25 / 255, 75 / 255))
    assert c.model_info(channels=["T2", "t1"]).name == "spine-mets-demo"
    assert c.capabilities == {"segmentation"}


def test_segment_round_trip(server_and_client):
    server, c = server_and_client
    case = brain_case()
    steps = []
    result = c.segment(case, progress=steps.append)
    t1c, m = case["t1c"]
    expected = np.where(t1c > 100, 3, np.where(t1c > 50, 2, 0))
    np.testing.assert_array_equal(result.labelmap, expected)
    assert result.labelmap.dtype == np.uint8
    np.testing.assert_allclose(result.ijk_to_ras, m, atol=1e-4)
    assert [(l.value, l.name) for l in result.labels] == [(1, "NETC"), (2, "SNFH"), (3, "ET")]
    assert sorted(result.surfaces) == ["ET", "SNFH"] and result.surfaces["ET"].polygons.count == 1
    assert result.message.startswith("done") and result.device == "t1c_seg"
    assert result.lesion_report().lesions[0].diameter_mm == 5.0
    assert "sending t1c" in steps and any(s and s.startswith("segmenting (job 7)") for s in steps)
    # what went over the wire: Auto off once, one IMAGE per channel named after it, then Segment
    kinds = [(m.type, m.device) for m in server.received if m.type == "IMAGE"]
    assert kinds == [("IMAGE", ch) for ch in ("t1c", "t1", "t2", "flair")]
    if c.use_v3:
        assert all(m.version == 2 for m in server.received)
        assert server.received[-2].metadata["lesionlink.channel"] == "flair"
    else:
        assert all(m.version == 1 for m in server.received)
    # a second run on the same connection does not turn Auto off again
    c.segment(case)
    commands = [igtl.String.decode(m.content).text.split(" ")[0] if m.type == "STRING" else igtl.Command.decode(m.content).name
                for m in server.received if m.type in ("STRING", "COMMAND")]
    assert commands == ["GetModels", "Auto", "Segment", "Segment"]


def test_segment_refuses_wrong_channels(server_and_client):
    _, c = server_and_client
    case = brain_case()
    del case["t2"]
    with pytest.raises(LesionLinkError, match="no model .* takes exactly the channels"):
        c.segment(case)
    with pytest.raises(LesionLinkError, match="missing \\['t2'\\]"):
        c.segment(case, model="brain-mets-demo")
    with pytest.raises(LesionLinkError, match="has no model 'nope'"):
        c.segment(case, model="nope")


def test_failed_command(server_and_client):
    _, c = server_and_client
    with pytest.raises(CommandFailed, match="command Explode failed: unknown command Explode"):
        c.command("Explode")


def test_error_status_is_raised_readably():
    server = ScriptedServer(fail_segment="channels missing: flair")
    with LesionLinkClient("127.0.0.1", server.port, timeout=10) as c:
        with pytest.raises(ServerError) as e:
            c.segment(brain_case())
    assert str(e.value) == ("server reported not ready (STATUS 13, NOT_READY) for 't1c_seg': "
                            "channels missing: flair")
    server.close()


def test_timeout_names_what_and_whom():
    server = ScriptedServer(silent=True)
    with LesionLinkClient("127.0.0.1", server.port, timeout=0.5) as c:
        with pytest.raises(LesionLinkTimeout, match="no reply to command GetModels from 127.0.0.1:%d within 0.5 s"
                           % server.port):
            c.get_models()
    server.close()


def test_connection_refused_names_the_address():
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    with pytest.raises(ConnectionError, match="cannot connect to OpenIGTLink server 127.0.0.1:%d" % port):
        LesionLinkClient("127.0.0.1", port).connect()


def test_progress_can_cancel():
    server = ScriptedServer(result_delay=5)

    def progress(text):
        if text is None:
            raise KeyboardInterrupt("cancelled")
    with LesionLinkClient("127.0.0.1", server.port, timeout=10) as c:
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            c.segment(brain_case(), progress=progress)
        assert time.monotonic() - start < 4
    server.close()


def test_a_cancelled_run_is_not_mistaken_for_the_next():
    server = ScriptedServer(result_delay=1.0)
    cancel = [True]

    def progress(text):
        if text is None and cancel[0]:
            raise KeyboardInterrupt("cancelled")
    with LesionLinkClient("127.0.0.1", server.port, timeout=10) as c:
        case = brain_case()
        with pytest.raises(KeyboardInterrupt):
            c.segment(case, progress=progress)
        cancel[0] = False
        time.sleep(1.5)  # the abandoned run's results arrive on the old connection
        other = {ch: (np.full_like(a, 120), m) for ch, (a, m) in case.items()}
        result = c.segment(other, progress=progress)
        assert server.connections == 2
        assert np.all(result.labelmap == 3)  # this run's, not the abandoned one's
    server.close()


def test_streaming_keeps_one_frame_in_flight_and_sends_the_newest():
    server = ScriptedServer(result_delay=0.3)
    with LesionLinkClient("127.0.0.1", server.port, timeout=10) as c:
        case = brain_case()
        for channel in ("t1", "t2", "flair"):
            c.send_volume(*case[channel], channel)
        session = c.stream("t1c", "brain-mets-demo")
        session.start()
        frames = [np.full((6, 7, 8), v, dtype=np.int16) for v in (10, 20, 30, 40, 120)]
        sent_now = [session.offer(f, case["t1c"][1]) for f in frames]
        assert sent_now == [True, False, False, False, False]
        results = []
        deadline = time.monotonic() + 10
        while len(results) < 2 and time.monotonic() < deadline:
            results += session.poll()
            time.sleep(0.02)
        assert (session.sent, session.dropped, session.completed, session.failed) == (2, 3, 2, 0)
        assert [int(f[0, 0, 0]) for f in server.stream_frames] == [10, 120]  # the first and the newest
        assert int(results[-1].labelmap.max()) == 3
        session.stop()
    server.close()


def test_result_collector_ignores_other_devices_and_bad_crc():
    col = client_module.ResultCollector("t1c_seg", "t1c_report", ["t1c"])
    assert col.feed(igtl.Message("STATUS", "other", igtl.Status(2, "x").encode())) is None
    assert col.feed(igtl.Message("STATUS", "t1c_seg", b"garbage", crc_ok=False)) is None
    with pytest.raises(LesionLinkError, match="no labelmap IMAGE"):
        col.feed(igtl.Message("STATUS", "t1c_seg", igtl.Status(1, "done").encode()))
    with pytest.raises(ServerError, match="illegal instruction"):
        col.feed(igtl.Message("STATUS", "t1c", igtl.Status(12, "unknown channel").encode()))
