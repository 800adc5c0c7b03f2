#!/usr/bin/python3
"""Replays what 3D Slicer's OpenIGTLinkIF (OpenIGTLinkIO) does as a client, against a server under test.

On connect Slicer sends an empty-named header-v2 STATUS with metadata dummy=dummy (its way of announcing
header version 2), then pushes nodes as header-v2 messages with metadata MRMLNodeName=<node tag> and
Status=OK (TransformStatus=OK for transforms): here one IMAGE (little-endian int16, oblique geometry)
and TRANSFORMs at 60 Hz for about 2 s. Like Slicer it checks the CRC of everything it receives.

Expects the server to echo IMAGE as <name>_echo and to answer each TRANSFORM it processes with a
TRANSFORM <name>_echo. Prints one JSON summary on stdout.

Usage: slicer_replay.py PORT [SECONDS]. Standard library and numpy only; the IGTL code is written here.
"""
import json
import socket
import struct
import sys
import threading
import time

import numpy as np

# --- CRC-64/ECMA-182 (poly 0x42F0E1EBA9EA3693, init 0, not reflected, no final xor) ----------------------
_POLY = 0x42F0E1EBA9EA3693
_TABLE = []
for _i in range(256):
    _c = _i << 56
    for _ in range(8):
        _c = ((_c << 1) ^ _POLY) if _c & (1 << 63) else (_c << 1)
    _TABLE.append(_c & 0xFFFFFFFFFFFFFFFF)


def crc64(data):
    crc = 0
    table = _TABLE
    for b in data:
        crc = table[b ^ (crc >> 56)] ^ ((crc << 8) & 0xFFFFFFFFFFFFFFFF)
    return crc


# --- framing ---------------------------------------------------------------------------------------------
HEADER = struct.Struct(">H12s20sQQQ")  # 58 bytes, big-endian


def pack(version, mtype, device, content, metadata=None, msg_id=0):
    if version == 2:
        items = [(k.encode(), v.encode()) for k, v in (metadata or {}).items()]
        meta_header = struct.pack(">H", len(items)) + b"".join(
            struct.pack(">HHI", len(k), 3, len(v)) for k, v in items)
        meta = b"".join(k + v for k, v in items)
        ext = struct.pack(">HHII", 12, len(meta_header), len(meta), msg_id)
        body = ext + content + meta_header + meta
    else:
        body = content
    return HEADER.pack(version, mtype.encode(), device.encode(), 0, len(body), crc64(body)) + body


def read_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return bytes(buf)


def read_message(sock):
    version, mtype, device, ts, size, crc = HEADER.unpack(read_exact(sock, HEADER.size))
    body = read_exact(sock, size)
    msg = {"version": version, "type": mtype.rstrip(b"\0").decode("latin-1"),
           "device": device.rstrip(b"\0").decode("latin-1"), "crc_ok": crc64(body) == crc,
           "content": body, "metadata": {}}
    if version == 2 and msg["crc_ok"]:
        ext_size, meta_header_size, meta_size, _ = struct.unpack(">HHII", body[:12])
        meta_start = len(body) - meta_header_size - meta_size
        msg["content"] = body[ext_size:meta_start]
        count = struct.unpack(">H", body[meta_start:meta_start + 2])[0]
        at = meta_start + meta_header_size
        for i in range(count):
            ks, _enc, vs = struct.unpack(">HHI", body[meta_start + 2 + 8 * i:meta_start + 10 + 8 * i])
            msg["metadata"][body[at:at + ks].decode()] = body[at + ks:at + ks + vs].decode()
            at += ks + vs
    return msg


# --- content ---------------------------------------------------------------------------------------------
def image_content(volume, directions, spacing, centre):
    """IMAGE content: 72-byte header (big-endian) + little-endian pixels, i fastest (volume[k, j, i])."""
    nk, nj, ni = volume.shape
    axes = [np.asarray(directions[:, c]) * spacing[c] for c in range(3)]
    head = struct.pack(">HBBBB3H", 1, 1, 4, 2, 1, ni, nj, nk)  # v1, 1 comp, int16, little endian, RAS
    head += struct.pack(">12f", *axes[0], *axes[1], *axes[2], *centre)
    head += struct.pack(">3H3H", 0, 0, 0, ni, nj, nk)
    return head + volume.astype("<i2").tobytes()


def transform_content(x):
    return struct.pack(">12f", 1, 0, 0, 0, 1, 0, 0, 0, 1, x, 2.5, -3.0)


def main():
    port = int(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    received = []
    errors = []

    def reader():
        try:
            while True:
                received.append(read_message(sock))
        except (EOFError, OSError):
            pass
        except Exception as e:  # report, never hang
            errors.append(repr(e))

    t = threading.Thread(target=reader, daemon=True)
    t.start()

    # 1. The handshake Slicer sends on connect.
    sock.sendall(pack(2, "STATUS", "", struct.pack(">HQ20s", 1, 0, b"") + b"\0", {"dummy": "dummy"}))

    # 2. A CT-like volume with an oblique geometry (rotated 30 degrees about z, then 10 about x).
    rng = np.random.default_rng(7)
    volume = rng.integers(-1024, 3072, size=(20, 48, 64), dtype=np.int16)
    a, b = np.radians(30), np.radians(10)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    directions = rx @ rz
    content = image_content(volume, directions, (0.8, 0.8, 2.5), (12.5, -30.25, 41.0))
    image_meta = {"MRMLNodeName": "Volume", "Status": "OK"}
    sock.sendall(pack(2, "IMAGE", "CT", content, image_meta, msg_id=1))

    # 3. A tracked needle at 60 Hz.
    sent = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        sock.sendall(pack(2, "TRANSFORM", "NeedleToRAS", transform_content(float(sent)),
                          {"MRMLNodeName": "LinearTransform", "TransformStatus": "OK"}, msg_id=2 + sent))
        sent += 1
        time.sleep(1 / 60)
    last = float(sent - 1)

    # 4. Wait for the echo of the newest transform (and the image), as Slicer would just keep displaying.
    deadline = time.monotonic() + 20
    def done():
        have_image = any(m["type"] == "IMAGE" for m in received)
        have_last = any(m["type"] == "TRANSFORM" and m["crc_ok"]
                        and struct.unpack(">12f", m["content"])[9] == last for m in received)
        return have_image and have_last
    while not done() and time.monotonic() < deadline and t.is_alive():
        time.sleep(0.01)
    sock.close()
    t.join(2)

    first_v2 = next((i for i, m in enumerate(received) if m["version"] == 2), None)
    replies = [m for m in received if m["type"] in ("IMAGE", "TRANSFORM")]
    images = [m for m in received if m["type"] == "IMAGE"]
    transforms = [m for m in received if m["type"] == "TRANSFORM" and m["crc_ok"]]
    xs = [struct.unpack(">12f", m["content"])[9] for m in transforms]
    summary = {
        "received": len(received),
        "crc_errors": sum(1 for m in received if not m["crc_ok"]),
        "reader_errors": errors,
        "v1_after_first_v2": 0 if first_v2 is None else sum(1 for m in received[first_v2:] if m["version"] != 2),
        "reply_versions": sorted({m["version"] for m in replies}),
        "status_codes": [struct.unpack(">H", m["content"][:2])[0] for m in received if m["type"] == "STATUS"],
        "image_echoes": len(images),
        "image_device": images[0]["device"] if images else None,
        "image_content_equal": bool(images) and images[0]["content"] == content,
        "image_header_equal": bool(images) and images[0]["content"][:72] == content[:72],
        "image_metadata": images[0]["metadata"] if images else None,
        "transforms_sent": sent,
        "transform_replies": len(transforms),
        "transform_reply_devices": sorted({m["device"] for m in transforms}),
        "transform_reply_metadata": transforms[-1]["metadata"] if transforms else None,
        "last_sent_x": last,
        "last_reply_x": xs[-1] if xs else None,
        "replies_in_order": all(x1 < x2 for x1, x2 in zip(xs, xs[1:])),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
