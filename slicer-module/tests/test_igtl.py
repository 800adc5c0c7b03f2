"""OpenIGTLink codec: CRC-64, header and v3 metadata, message bodies; golden captures from
src/test/resources/fixtures/igtl (real peers, see protocols/openigtlink/*.md)."""
import os
import struct

import numpy as np
import pytest

from conftest import REPO_ROOT
from LesionLinkLib import geometry, igtl

FIXTURES = REPO_ROOT / "src" / "test" / "resources" / "fixtures" / "igtl"


def fixture(name):
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail("golden fixture %s is missing from the repository" % path)
    return path.read_bytes()


# --- CRC ------------------------------------------------------------------------------------------------

def test_crc64_check_value():
    assert igtl.crc64_bytewise(b"123456789") == 0x6C40DF5F0B497347
    assert igtl.crc64(b"123456789") == 0x6C40DF5F0B497347


def test_crc64_of_empty_body_is_zero():
    assert igtl.crc64(b"") == 0


@pytest.mark.parametrize("length", [1, 4095, 4096 * 8 - 1, 4096 * 8, 4096 * 8 + 1, 4096 * 11 + 123, 100003])
def test_crc64_vectorised_equals_bytewise(length):
    data = np.random.default_rng(length).integers(0, 256, length, dtype=np.uint8).tobytes()
    assert igtl.crc64(data) == igtl.crc64_bytewise(data)
    cut = length // 3
    assert igtl.crc64(data[cut:], igtl.crc64(data[:cut])) == igtl.crc64_bytewise(data)


def test_crc64_known_bodies():
    # header.md: TRANSFORM ProbeToTracker, v1 body CRC 0xdcd28e1f46e9e6f7; v3 body CRC 0x72a30d373553c95f
    assert igtl.crc64(fixture("transform_v1_probe.bin")[58:]) == 0xDCD28E1F46E9E6F7
    assert igtl.crc64(fixture("transform_v3_metadata.bin")[58:]) == 0x72A30D373553C95F


# --- header, v3 extended header and metadata ------------------------------------------------------------

@pytest.mark.parametrize("name", ["transform_v1_probe.bin", "transform_v3_metadata.bin", "string_debian.bin",
                                  "string_v3_no_metadata.bin", "status_debian.bin", "status_v3_slicer_dummy.bin",
                                  "lbmeta_debian.bin", "polydata_debian.bin", "image_debian_imager.bin",
                                  "get_imgmeta.bin"])
def test_golden_messages_unpack_and_pack_to_the_same_bytes(name):
    data = fixture(name)
    msg = igtl.unpack(data)
    assert msg.crc_ok
    assert msg.pack() == data


def test_v3_transform_fields():
    msg = igtl.unpack(fixture("transform_v3_metadata.bin"))
    assert (msg.version, msg.type, msg.device, msg.msg_id) == (2, "TRANSFORM", "ProbeToTracker", 1)
    assert msg.metadata == {"TransformStatus": "OK"}
    assert struct.unpack(">12f", msg.content)[9:] == (10.0, 20.0, 30.0)


def test_v3_without_metadata_and_with_timestamp():
    msg = igtl.unpack(fixture("string_v3_no_metadata.bin"))
    assert (msg.version, msg.msg_id, msg.metadata, msg.timestamp) == (2, 7, {}, 0x6B012C7911FC8F4F)
    assert igtl.String.decode(msg.content).text == "OpenIGTLink"


def test_v3_metadata_round_trip_with_utf8_and_order():
    meta = {"lesionlink.channel": "t1c", "zz": "last", "Patient": "Zoë", "a": ""}
    msg = igtl.Message("STRING", "dev", igtl.String("x").encode(), 5, 2, meta, 42)
    back = igtl.unpack(msg.pack())
    assert back.metadata == meta and list(back.metadata) == list(meta)
    assert (back.msg_id, back.timestamp, back.content) == (42, 5, msg.content)
    # UTF-8 value -> MIBenum 106, ASCII -> 3
    assert b"\x00\x07\x00\x6a\x00\x00\x00\x04Patient" not in msg.pack()  # keys and values are concatenated
    assert struct.pack(">HHI", 7, 106, 4) in msg.pack()


def test_v1_refuses_metadata_and_long_names():
    with pytest.raises(igtl.IgtlError):
        igtl.Message("STRING", "d", b"", metadata={"a": "b"}).pack()
    with pytest.raises(igtl.IgtlError):
        igtl.Message("STRING", "x" * 21, b"").pack()
    # 12 / 20 characters fill their fields without a terminator
    data = igtl.Message("GET_POSITION", "y" * 20, b"").pack()
    assert igtl.unpack(data).type == "GET_POSITION" and igtl.unpack(data).device == "y" * 20


def test_bad_crc_is_reported_not_raised():
    data = bytearray(fixture("string_debian.bin"))
    data[-1] ^= 1
    assert not igtl.unpack(bytes(data)).crc_ok


def test_timestamp():
    # header.md: 1.5 s after the epoch is 0x00000001_80000000
    assert igtl.timestamp_from_seconds(1.5) == 0x0000000180000000
    assert igtl.timestamp_to_seconds(0x0000000180000000) == 1.5
    assert igtl.timestamp_to_seconds(0) is None


# --- bodies ---------------------------------------------------------------------------------------------

def test_debian_image():
    image = igtl.Image.decode(igtl.unpack(fixture("image_debian_imager.bin")).content)
    assert image.pixels.shape == (1, 256, 256) and image.pixels.dtype == np.uint8
    assert image.endian == igtl.BIG_ENDIAN and image.dims == (256, 256, 1)
    np.testing.assert_allclose(image.ijk_to_ras()[:3, 3], (-127.5, 127.5, 0))


def test_worked_example_image_header_bytes():
    # image.md: the 72-byte header of the oblique int16 volume (pixels replaced by a 1-voxel-thick part)
    m = geometry.compose((-120, -110, -40), (0.9375, 0.9375, 2.5), [[1, 0, 0], [0, 0.8, -0.6], [0, 0.6, 0.8]])
    image = igtl.Image.from_volume(np.zeros((100, 256, 256), dtype=np.int16), m)
    head = image.encode()[:72]
    assert head.hex() == ("000101040201" "010001000064" "3f70000000000000" "00000000" "000000003f4000003f100000"
                          "00000000bfc0000040000000" "bef00000c2b1400043 02b800".replace(" ", "")
                          + "000000000000" "010001000064")


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.uint16, np.int32, np.uint32, np.float32,
                                   np.float64])
@pytest.mark.parametrize("endian", [igtl.LITTLE_ENDIAN, igtl.BIG_ENDIAN])
def test_image_round_trip(dtype, endian):
    rng = np.random.default_rng(3)
    pixels = (rng.normal(size=(4, 5, 6)) * 100).astype(dtype)
    m = geometry.compose((1.5, -2, 3), (0.5, 0.75, 2), np.eye(3)[:, [1, 0, 2]] * [1, -1, 1])
    image = igtl.Image.from_volume(pixels, m)
    image.endian = endian
    back = igtl.Image.decode(image.encode())
    assert back.pixels.dtype == np.dtype(dtype) and back.pixels.dtype.isnative
    np.testing.assert_array_equal(back.pixels, pixels)
    np.testing.assert_allclose(back.ijk_to_ras(), m, atol=1e-5)


def test_image_vector_components_and_subvolume():
    pixels = np.arange(2 * 3 * 4 * 3, dtype=np.uint8).reshape(2, 3, 4, 3)
    image = igtl.Image(pixels, (1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0), (10, 10, 10), offset=(1, 2, 3))
    back = igtl.Image.decode(image.encode())
    assert back.components == 3 and back.offset == (1, 2, 3)
    np.testing.assert_array_equal(back.pixels, pixels)


def test_image_refusals():
    with pytest.raises(igtl.IgtlError):
        igtl.Image.from_volume(np.zeros((2, 2, 2), dtype=np.int64), np.eye(4)).encode()
    good = igtl.Image.from_volume(np.zeros((2, 2, 2), dtype=np.int16), np.eye(4)).encode()
    with pytest.raises(igtl.IgtlError):
        igtl.Image.decode(good[:-1])
    with pytest.raises(igtl.IgtlError):
        igtl.Image.decode(good[:3] + b"\x0d" + good[4:])  # scalar type 13 (complex)


def test_status():
    status = igtl.Status.decode(igtl.unpack(fixture("status_debian.bin")).content)
    assert (status.code, status.subcode, status.error_name) == (1, 128, "OK!")
    assert status.message == "This is a test to send status message."
    assert status.encode() == igtl.unpack(fixture("status_debian.bin")).content
    back = igtl.Status.decode(igtl.Status(13, "channels missing", -42, "NOT_READY").encode())
    assert (back.code, back.subcode, back.error_name, back.message, back.ok) == (13, -42, "NOT_READY", "channels missing", False)
    assert back.meaning == "not ready"


def test_string():
    assert igtl.String.decode(igtl.unpack(fixture("string_debian.bin")).content) == igtl.String("OpenIGTLink", 3)
    utf = igtl.String('{"name":"Läsion"}')
    raw = utf.encode()
    assert raw[:2] == b"\x00\x6a"
    assert igtl.String.decode(raw).text == utf.text
    with pytest.raises(igtl.IgtlError):
        igtl.String.decode(raw + b"x")


def test_lbmeta():
    elements = igtl.decode_lbmeta(igtl.unpack(fixture("lbmeta_debian.bin")).content)
    assert len(elements) == 3
    first = elements[0]
    assert (first.name, first.id, first.label, first.rgba, first.size, first.owner) == \
        ("LABEL_DESCRIPTION_0", "LABEL_0", 1, (255, 0, 0, 255), (512, 512, 64), "IMAGE_0")
    mine = [igtl.LabelMeta("ET", "t1c_seg", 3, (67, 99, 216, 255), (64, 64, 32), "t1c_seg")]
    assert igtl.decode_lbmeta(igtl.encode_lbmeta(mine)) == mine
    with pytest.raises(igtl.IgtlError):
        igtl.decode_lbmeta(b"\0" * 115)


def test_polydata_debian_cube():
    poly = igtl.PolyData.decode(igtl.unpack(fixture("polydata_debian.bin")).content)
    assert poly.points.shape == (8, 3) and poly.polygons.count == 6
    assert all(len(c) == 4 for c in poly.polygons.cells())
    (attr,) = poly.attributes
    assert (attr.type, attr.name) == (igtl.POINT_SCALARS, "attr")
    np.testing.assert_array_equal(attr.data[:, 0], np.arange(8))
    assert poly.encode() == igtl.unpack(fixture("polydata_debian.bin")).content


def test_polydata_round_trip_with_cell_attribute():
    # polydata.md: one triangle with CELL_SCALARS "Prob" = 0.5 -> attribute section 10 01 00000001 "Prob\0" pad 3f000000
    poly = igtl.PolyData(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32),
                         polygons=igtl.CellArray.of(np.array([[0, 1, 2]])),
                         attributes=[igtl.Attribute(igtl.CELL_SCALARS, "Prob", np.array([[0.5]], dtype=np.float32))])
    raw = poly.encode()
    assert raw.endswith(bytes.fromhex("1001000000015072 6f6200003f000000".replace(" ", "")))
    back = igtl.PolyData.decode(raw)
    np.testing.assert_array_equal(back.points, poly.points)
    np.testing.assert_array_equal(back.polygons.data, poly.polygons.data)
    assert back.attributes[0].name == "Prob"
    mixed = igtl.CellArray.of([[0, 1], [2, 3, 4]])
    assert mixed.count == 2 and [list(c) for c in mixed.cells()] == [[0, 1], [2, 3, 4]]


def test_polydata_refuses_inconsistent_cells():
    raw = bytearray(igtl.PolyData(np.zeros((3, 3), np.float32), polygons=igtl.CellArray.of([[0, 1, 2]])).encode())
    raw[20:24] = struct.pack(">I", 2)  # NPOLYGONS 2 for one cell
    with pytest.raises(igtl.IgtlError):
        igtl.PolyData.decode(bytes(raw))


def test_command_layout_matches_command_md():
    # command.md: COMMAND 17 "Ping" <Command Name="Ping"/> in header version 2, no metadata
    msg = igtl.Message("COMMAND", "", igtl.Command(17, "Ping", '<Command Name="Ping"/>').encode(), version=2)
    body = msg.pack()[58:]
    assert body[:16].hex() == "000c0002000000000000000000000011"
    assert body[16:20] == b"Ping" and body[144:150].hex() == "000300000016"
    assert body.endswith(b'<Command Name="Ping"/>\x00\x00')
    rts = igtl.Message("RTS_COMMAND", "", igtl.Command(17, "Ping", '<CommandReply Status="SUCCESS"/>').encode(),
                       version=2, metadata={"Status": "SUCCESS"})
    assert rts.pack().endswith(bytes.fromhex("0001" "0006000300000007") + b"StatusSUCCESS")
    back = igtl.unpack(rts.pack())
    assert igtl.decode_content(back) == igtl.Command(17, "Ping", '<CommandReply Status="SUCCESS"/>', 3)
    assert back.type == "RTS_COMMAND" and back.metadata == {"Status": "SUCCESS"}


def test_decode_content_dispatch():
    assert igtl.decode_content(igtl.Message("FOOBAR", "", b"xyz")) is None
    assert isinstance(igtl.decode_content(igtl.unpack(fixture("status_debian.bin"))), igtl.Status)


def test_malformed_v3_bodies_are_refused():
    good = igtl.Message("STRING", "d", igtl.String("x").encode(), version=2, metadata={"k": "v"}).pack()
    body = bytearray(good[58:])
    body[2:4] = struct.pack(">H", 18)  # META_HEADER_SIZE does not match one entry
    with pytest.raises(igtl.IgtlError):
        igtl.unpack_body(2, "STRING", "d", 0, bytes(body))
    with pytest.raises(igtl.IgtlError):
        igtl.unpack_body(2, "STRING", "d", 0, b"\x00\x0c")
