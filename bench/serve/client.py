#!/usr/bin/python3
"""Benchmark client of `lesionlink serve`: sends a case's NIfTI channels as OpenIGTLink IMAGEs (header v1,
float32, RAS) and times, on the client's clock, from the moment the last IMAGE byte was handed to the
(loopback) socket to the moment the last byte of the labelmap IMAGE arrived; then reads the report STRING
for the server's stage timings and waits for the STATUS.

Usage: client.py HOST PORT RUNS CHANNEL=FILE ...   (prints one JSON line per run)
"""
import json
import socket
import struct
import sys
import time

import nibabel as nib
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


def message(mtype, device, body, crc=True):
    return struct.pack(">H12s20sQQQ", 1, mtype.encode(), device.encode(), 0, len(body), crc64(body) if crc else 0) + body


def image(device, path):
    img = nib.load(path)
    data = np.asarray(img.dataobj, dtype="<f4")
    nx, ny, nz = data.shape
    a = img.affine
    centre = a @ np.array([(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2, 1.0])
    mat = list(a[:3, 0]) + list(a[:3, 1]) + list(a[:3, 2]) + list(centre[:3])
    head = struct.pack(">HBBBBHHH12fHHHHHH", 1, 1, 10, 2, 1, nx, ny, nz, *mat, 0, 0, 0, nx, ny, nz)
    # Voxels i fastest: NIfTI arrays are (i, j, k) in Fortran order.
    return message("IMAGE", device, head + data.tobytes(order="F"))


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(1 << 20, n - len(buf)))
        if not chunk:
            raise EOFError("closed")
        buf += chunk
    return bytes(buf)


def main():
    host, port, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pairs = [a.split("=", 1) for a in sys.argv[4:]]
    msgs = [image(ch, path) for ch, path in pairs]
    for run in range(runs):
        with socket.create_connection((host, port)) as s:
            for m in msgs:
                s.sendall(m)
            t_sent = time.perf_counter()
            t_label = None
            report = None
            while True:
                head = recv_exact(s, 58)
                _, mtype, device, _, size, _ = struct.unpack(">H12s20sQQQ", head)
                body = recv_exact(s, size)
                mtype, device = mtype.rstrip(b"\0").decode(), device.rstrip(b"\0").decode()
                if mtype == "IMAGE" and device.endswith("_seg") and t_label is None:
                    t_label = time.perf_counter()
                elif mtype == "STRING" and device.endswith("_report"):
                    length = struct.unpack(">H", body[2:4])[0]
                    report = json.loads(body[4:4 + length].decode())
                elif mtype == "STATUS" and device.endswith("_seg"):
                    break
        print(json.dumps({"run": run, "latencyMs": round((t_label - t_sent) * 1000, 1),
                          "serverTimingsMs": report["timingsMs"], "lesions": report["lesionCount"]}), flush=True)


if __name__ == "__main__":
    main()
