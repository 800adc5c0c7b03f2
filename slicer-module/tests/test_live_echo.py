"""The Lib against the real Java OpenIGTLink server: ``lesionlink igtl-echo`` from the built jar.

The echo decodes every IMAGE/STRING/STATUS (checking our CRC), encodes it again and sends it back as
``<name>_echo``: so these tests check our encoder against LesionLink's decoder and the reverse, exactly
(geometry fields bit for bit, pixels, scalar type, byte order, timestamp, v3 metadata).
Skipped by hand, failed under CI=true, when java, the jar or its igtl-echo command is missing.
"""
import numpy as np
import pytest

from LesionLinkLib import geometry, igtl
from LesionLinkLib.client import LesionLinkClient, LesionLinkTimeout


def oblique_volume(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = np.radians(30)
    directions = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    m = geometry.compose((12.5, -30.25, 41.0), (0.8, 0.7, 2.5), directions)
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    pixels = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True) if info \
        else rng.normal(size=shape).astype(dtype)
    return pixels, m


def echo_of(conn, device, timeout=30):
    while True:
        msg = conn.receive(timeout)
        if msg.device == device:
            return msg


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint16, np.float32, np.float64])
@pytest.mark.parametrize("endian", [igtl.LITTLE_ENDIAN, igtl.BIG_ENDIAN], ids=["little", "big"])
def test_image_echo_is_exact(echo_server, dtype, endian):
    pixels, m = oblique_volume((5, 12, 17), dtype)
    image = igtl.Image.from_volume(pixels, m)
    image.endian = endian
    with igtl.IgtlConnection("127.0.0.1", echo_server.port) as conn:
        conn.send("IMAGE", "CT", image.encode(), timestamp=0x6B012C7911FC8F4F)
        msg = echo_of(conn, "CT_echo")
    assert msg.crc_ok and msg.version == 1 and msg.timestamp == 0x6B012C7911FC8F4F
    back = igtl.Image.decode(msg.content)
    assert (back.dims, back.coordinate, back.endian, back.offset) == ((17, 12, 5), geometry.RAS, endian, (0, 0, 0))
    # geometry fields are float32 on the wire: bit-identical after the round trip
    for ours, theirs in zip((image.t, image.s, image.n, image.p), (back.t, back.s, back.n, back.p)):
        assert np.array_equal(np.float32(ours), np.float32(theirs))
    assert back.pixels.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back.pixels, pixels)
    np.testing.assert_allclose(back.ijk_to_ras(), m, atol=1e-4)


def test_lps_image_keeps_its_coordinate_byte(echo_server):
    pixels, m = oblique_volume((3, 4, 5), np.int16)
    t, s, n, p = geometry.image_fields_from_matrix(geometry.ras_to_lps(m), (5, 4, 3))
    image = igtl.Image(pixels, tuple(t), tuple(s), tuple(n), tuple(p), (5, 4, 3), geometry.LPS)
    with igtl.IgtlConnection("127.0.0.1", echo_server.port) as conn:
        conn.send("IMAGE", "lps", image.encode())
        back = igtl.Image.decode(echo_of(conn, "lps_echo").content)
    assert back.coordinate == geometry.LPS  # the echo re-encodes what it received, CS byte included
    assert np.array_equal(np.float32(back.p), np.float32(p))
    np.testing.assert_allclose(back.ijk_to_ras(), m, atol=1e-4)  # and we read it back as the same RAS grid


def test_large_volume_crc_agrees_with_the_server(echo_server):
    # 256 x 256 x 64 int16 = 8 MiB: the vectorised CRC path; a wrong CRC would get STATUS 9 back, not an echo
    pixels, m = oblique_volume((64, 256, 256), np.int16, seed=5)
    with LesionLinkClient("127.0.0.1", echo_server.port) as c:
        c.send_volume(pixels, m, "MRHead")
        msg = echo_of(c.connection, "MRHead_echo", timeout=120)
    assert msg.type == "IMAGE" and msg.crc_ok
    np.testing.assert_array_equal(igtl.Image.decode(msg.content).pixels, pixels)


def test_v3_metadata_and_string_status_echo(echo_server):
    meta = {"lesionlink.channel": "t1c", "MRMLNodeName": "Volume", "Patient": "Zoë"}
    with igtl.IgtlConnection("127.0.0.1", echo_server.port, header_version=2) as conn:
        conn.send("STATUS", "", igtl.Status(1).encode(), {"dummy": "dummy"})  # what Slicer sends on connect
        pixels, m = oblique_volume((2, 3, 4), np.uint8)
        conn.send("IMAGE", "t1c", igtl.Image.from_volume(pixels, m).encode(), meta)
        image = echo_of(conn, "t1c_echo")
        conn.send("STRING", "CMD_1", igtl.String('GetModels {"x":"ü"}').encode(), {"k": "v"})
        string = echo_of(conn, "CMD_1_echo")
        conn.send("STATUS", "dev", igtl.Status(13, "not ready", -42, "NOT_READY").encode())
        status = echo_of(conn, "dev_echo")
    assert image.version == 2 and image.metadata == meta
    np.testing.assert_array_equal(igtl.Image.decode(image.content).pixels, pixels)
    assert igtl.String.decode(string.content).text == 'GetModels {"x":"ü"}' and string.metadata == {"k": "v"}
    assert igtl.Status.decode(status.content) == igtl.Status(13, "not ready", -42, "NOT_READY")


def test_client_ping_reconnect_and_a_clear_timeout(echo_server):
    c = LesionLinkClient("127.0.0.1", echo_server.port, timeout=1.0)
    with c:
        assert c.ping()
        # the echo is not a LesionLink server: a command is echoed as CMD_..._echo, never ACKed
        with pytest.raises(LesionLinkTimeout, match="no reply to command GetModels from 127.0.0.1:%d within 1 s"
                           % echo_server.port):
            c.get_models()
        c.reconnect()
        assert c.connected and c.ping()


def test_server_shutdown_is_seen_by_the_client(own_echo_server):
    with igtl.IgtlConnection("127.0.0.1", own_echo_server.port, keep_alives=True) as conn:
        conn.send("STRING", "hello", igtl.String("hi").encode())
        echo_of(conn, "hello_echo")
        own_echo_server.stop()  # Ctrl-C
        codes = []
        with pytest.raises(igtl.ConnectionLost):
            while True:
                msg = conn.receive(20)
                if msg.type == "STATUS":
                    codes.append(igtl.Status.decode(msg.content).code)
        assert 19 in codes  # "shutting down" before the close (server.md)
        assert not conn.connected
