#!/usr/bin/python3
"""Regenerates the seed corpora of the Jazzer fuzz tests (docs/fuzzing.md) from the golden fixtures and from
small files written by pydicom and nibabel. Run from the repository root with Debian's python3 (it has pydicom
and nibabel):  /usr/bin/python3 scripts/fuzz-seeds.py

Seeds are written into src/test/resources/<package>/<TestClass>Inputs/<method>/seed-*, where Jazzer's JUnit
integration picks them up in regression mode (every test run) and as the starting corpus when fuzzing. Crash
inputs Jazzer saves there (crash-*) are kept by this script."""
import glob
import gzip
import io
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RES = os.path.join(ROOT, "src", "test", "resources")
FIX = os.path.join(RES, "fixtures")


def seed_dir(package, cls, method):
    d = os.path.join(RES, *package.split("."), cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(os.path.join(d, "seed-*")):
        os.remove(old)
    return d


def write(d, name, data):
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- OpenIGTLink
# Must match IgtlMessageFuzzTest.TYPES.
IGTL_TYPES = ["IMAGE", "TRANSFORM", "POSITION", "QTRANS", "TDATA", "QTDATA", "STATUS", "STRING", "COMMAND",
              "RTS_COMMAND", "CAPABILITY", "IMGMETA", "LBMETA", "COLORT", "POINT", "POLYDATA", "NDARRAY",
              "GET_IMAGE", "STP_TDATA", "STT_TDATA", "RTS_TDATA", "SENSOR"]


def crc64(data):
    """CRC-64/ECMA-182 as OpenIGTLink uses it (not reflected, initial value 0, no final XOR)."""
    crc = 0
    for byte in data:
        crc ^= byte << 56
        for _ in range(8):
            crc = ((crc << 1) ^ 0x42F0E1EBA9EA3693) if crc & (1 << 63) else (crc << 1)
            crc &= 0xFFFFFFFFFFFFFFFF
    return crc


def igtl_message(type_, device, body, version=1):
    return (struct.pack(">H", version) + type_.encode().ljust(12, b"\x00") + device.encode().ljust(20, b"\x00")
            + struct.pack(">QQQ", 0, len(body), crc64(body)) + body)


def small_image():
    """A 4x4x2 uint8 IMAGE body (image header version 1, big endian, RAS), so the fuzzer has a small IMAGE."""
    header = struct.pack(">HBBBB3H12f3H3H", 1, 1, 3, 1, 1, 4, 4, 2,
                         1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 10.0, 20.0, 30.0, 0, 0, 0, 4, 4, 2)
    return header + bytes(range(32))


def igtl():
    # The 64 KiB IMAGE fixture would make the fuzzer's inputs that long; a crafted small IMAGE stands in for it.
    fixtures = sorted(p for p in glob.glob(os.path.join(FIX, "igtl", "*.bin")) if os.path.getsize(p) < 4096)
    stream = seed_dir("org.lesionlink.igtl", "IgtlStreamFuzzTest", "stream")
    body = seed_dir("org.lesionlink.igtl", "IgtlMessageFuzzTest", "body")
    everything = b""
    for path in fixtures:
        name = os.path.basename(path)[:-4]
        data = open(path, "rb").read()
        everything += data
        # Byte 0 is the read size (0 = one read), see FuzzChecks.chunks.
        write(stream, name, b"\x00" + data)
        write(stream, name + "-reads7", b"\x07" + data)
        version = struct.unpack(">H", data[0:2])[0]
        type_ = data[2:14].rstrip(b"\x00").decode("ascii")
        if type_ in IGTL_TYPES and len(data) <= 4096:
            write(body, name, bytes([1 if version == 2 else 0, IGTL_TYPES.index(type_)]) + data[58:])
    image = igtl_message("IMAGE", "Image", small_image())
    write(stream, "image_small", b"\x00" + image)
    write(body, "image_small", bytes([0, IGTL_TYPES.index("IMAGE")]) + small_image())
    # Several messages on one connection.
    write(stream, "all-reads64", b"\x40" + everything + image)


def main():
    igtl()


if __name__ == "__main__":
    main()
