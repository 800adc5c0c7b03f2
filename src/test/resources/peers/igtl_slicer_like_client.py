#!/usr/bin/python3
"""A Slicer-like OpenIGTLink client of `lesionlink serve`, written from the protocol description with the
standard library and numpy only (header version 1, as Slicer's text and volume nodes send them).

Usage: igtl_slicer_like_client.py HOST PORT NX NY NZ CI CJ CK RADIUS

GetModels (STRING CMD_1), then an IMAGE "T1c" (float32, 2 mm, voxel 0 at RAS (-40,-30,-20); 100, and 400
within RADIUS voxels of (CI,CJ,CK)), then Segment (STRING CMD_2). Reads until the STATUS of "T1c_seg" and
prints one JSON object: models, ack, labelmap voxel count and dims, report, status, and every message's
type/device in order. Every received message's CRC-64 is checked.
"""
import json
import socket
import struct
import sys
import time

import numpy as np

POLY = 0x42F0E1EBA9EA3693
MASK = (1 << 64) - 1
TABLE = []
for b in range(256):
    c = b << 56
    for _ in range(8):
        c = ((c << 1) ^ POLY) & MASK if c & (1 << 63) else (c << 1) & MASK
    TABLE.append(c)


def crc64(data):
    crc = 0
    for byte in data:
        crc = TABLE[((crc >> 56) ^ byte) & 0xFF] ^ ((crc << 8) & MASK)
    return crc


def message(mtype, device, body):
    head = struct.pack(">H12s20sQQQ", 1, mtype.encode(), device.encode(), 0, len(body), crc64(body))
    return head + body


def string(device, text):
    raw = text.encode("utf-8")
    return message("STRING", device, struct.pack(">HH", 106, len(raw)) + raw)


def image(device, vol, spacing, corner):
    nz, ny, nx = vol.shape
    centre = [corner[a] + spacing[a] * ([nx, ny, nz][a] - 1) / 2.0 for a in range(3)]
    mat = [spacing[0], 0, 0, 0, spacing[1], 0, 0, 0, spacing[2]] + centre
    head = struct.pack(">HBBBBHHH12fHHHHHH", 1, 1, 10, 2, 1, nx, ny, nz, *mat, 0, 0, 0, nx, ny, nz)
    return message("IMAGE", device, head + vol.astype("<f4").tobytes())


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise EOFError("connection closed")
        out += chunk
    return out


def receive(sock):
    head = recv_exact(sock, 58)
    version, mtype, device, ts, size, crc = struct.unpack(">H12s20sQQQ", head)
    body = recv_exact(sock, size)
    if version == 1 and crc64(body) != crc:
        raise ValueError("CRC mismatch on %s" % mtype)
    return mtype.rstrip(b"\0").decode(), device.rstrip(b"\0").decode(), body, version


def string_text(body):
    enc, length = struct.unpack(">HH", body[:4])
    return body[4:4 + length].decode("utf-8")


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    nx, ny, nz = (int(v) for v in sys.argv[3:6])
    ci, cj, ck, r = (float(v) for v in sys.argv[6:10])
    k, j, i = np.mgrid[0:nz, 0:ny, 0:nx]
    vol = np.where((i - ci) ** 2 + (j - cj) ** 2 + (k - ck) ** 2 <= r * r, 400.0, 100.0)
    out = {"messages": []}
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(string("CMD_1", "GetModels"))
        sock.sendall(image("T1c", vol, [2.0, 2.0, 2.0], [-40.0, -30.0, -20.0]))
        sock.sendall(string("CMD_2", "Segment"))
        deadline = time.time() + 60
        while time.time() < deadline:
            mtype, device, body, version = receive(sock)
            if mtype == "STATUS" and device == "":
                continue  # keep-alive
            out["messages"].append(mtype + " " + device)
            if mtype == "STRING" and device == "ACK_1":
                out["models"] = json.loads(string_text(body))
            elif mtype == "STRING" and device == "ACK_2":
                out["ack"] = json.loads(string_text(body))
            elif mtype == "STRING" and device.endswith("_report"):
                out["report"] = json.loads(string_text(body))
            elif mtype == "IMAGE" and device == "T1c_seg":
                hdr = struct.unpack(">HBBBBHHH12fHHHHHH", body[:72])
                out["dims"] = list(hdr[5:8])
                out["scalarType"] = hdr[2]
                labels = np.frombuffer(body[72:], dtype=np.uint8)
                truth = (vol.reshape(-1) > 200)
                seg = labels > 0
                out["dice"] = float(2 * np.sum(seg & truth) / (np.sum(seg) + np.sum(truth)))
            elif mtype == "STATUS" and device == "T1c_seg":
                code = struct.unpack(">H", body[:2])[0]
                out["status"] = {"code": code, "message": body[30:].split(b"\0")[0].decode()}
            # The job can finish before the Segment command is acknowledged: wait for both.
            if "status" in out and "ack" in out:
                break
    print(json.dumps(out))


if __name__ == "__main__":
    main()
