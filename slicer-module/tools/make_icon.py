#!/usr/bin/python3
"""Draws LesionLink/Resources/Icons/LesionLink.png (128 x 128 RGBA): a head outline on a dark rounded
square, a red lesion inside it, and two linked rings. numpy + zlib only; run from slicer-module/."""
import os
import struct
import zlib

import numpy as np

SIZE = 128


def coverage(mask_fn, samples=4):
    """Anti-aliased coverage in [0, 1] of a shape given as f(x, y) -> bool on pixel coordinates."""
    offsets = (np.arange(samples) + 0.5) / samples
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(float)
    acc = np.zeros((SIZE, SIZE))
    for dy in offsets:
        for dx in offsets:
            acc += mask_fn(x + dx, y + dy)
    return acc / samples ** 2


def paint(img, alpha, rgb):
    a = alpha[..., None]
    img[..., :3] = img[..., :3] * (1 - a) + np.array(rgb, float) * a
    img[..., 3] = np.maximum(img[..., 3], alpha)


def ring(cx, cy, r, width):
    return lambda x, y: np.abs(np.hypot(x - cx, y - cy) - r) < width / 2


def main():
    img = np.zeros((SIZE, SIZE, 4))
    # rounded square background
    rounded = lambda x, y: (np.maximum(np.abs(x - 64) - 44, 0) ** 2 + np.maximum(np.abs(y - 64) - 44, 0) ** 2) < 18 ** 2
    paint(img, coverage(rounded), (0.11, 0.20, 0.33))
    # head (ellipse outline) and brain tissue
    head = lambda x, y: ((x - 56) / 38) ** 2 + ((y - 58) / 44) ** 2 < 1
    paint(img, coverage(head), (0.80, 0.82, 0.86))
    brain = lambda x, y: ((x - 56) / 32) ** 2 + ((y - 58) / 38) ** 2 < 1
    paint(img, coverage(brain), (0.58, 0.61, 0.67))
    # lesion: enhancing rim around a necrotic core
    paint(img, coverage(lambda x, y: np.hypot(x - 66, y - 46) < 12), (0.90, 0.10, 0.29))
    paint(img, coverage(lambda x, y: np.hypot(x - 66, y - 46) < 6), (0.35, 0.05, 0.10))
    # two linked rings (the link)
    paint(img, coverage(ring(86, 94, 13, 6)), (0.26, 0.75, 0.95))
    paint(img, coverage(ring(104, 94, 13, 6)), (0.95, 0.95, 0.95))
    write_png(os.path.join("LesionLink", "Resources", "Icons", "LesionLink.png"), img)


def write_png(path, img):
    rgba = np.clip(np.round(img * 255), 0, 255).astype(np.uint8)
    raw = b"".join(b"\0" + rgba[row].tobytes() for row in range(SIZE))  # filter 0 per row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
