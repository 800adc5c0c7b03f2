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


# ---------------------------------------------------------------- DICOM Upper Layer

def dicom_pdu():
    pdu = seed_dir("org.lesionlink.dicom.net.pdu", "PduStreamFuzzTest", "stream")
    acceptor = seed_dir("org.lesionlink.dicom.net", "AssociationFuzzTest", "acceptor")
    for path in sorted(glob.glob(os.path.join(FIX, "dicom-pdu", "*.bin"))):
        name = os.path.basename(path)[:-4]
        data = open(path, "rb").read()
        write(pdu, name, b"\x00" + data)
        if name.endswith("scu-to-scp"):
            write(acceptor, name, b"\x00" + data)
            write(acceptor, name + "-reads61", b"\x3d" + data)


# ---------------------------------------------------------------- DICOM files (pydicom 2.x)

def dicom_files():
    import numpy as np
    import pydicom
    from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
    from pydicom.encaps import encapsulate
    from pydicom.sequence import Sequence
    from pydicom.uid import (ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian,
                             DeflatedExplicitVRLittleEndian, JPEGLSLossless)

    d = seed_dir("org.lesionlink.dicom.io", "DicomReaderFuzzTest", "read")

    def mr(ts, pixels=True):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
        meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
        meta.TransferSyntaxUID = ts
        ds = FileDataset("seed", {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID = meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.2"
        ds.SeriesInstanceUID = "1.2.826.0.1.3680043.8.498.3"
        ds.Modality = "MR"
        ds.PatientName = "Fuzz^Seed"
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImagePositionPatient = [-10.0, -20.5, 30.0]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.5, 0.5]
        ds.SliceThickness = 1.0
        item = Dataset()
        item.CodeValue = "T-A0100"
        item.CodingSchemeDesignator = "SRT"
        item.CodeMeaning = "Brain"
        ds.AnatomicRegionSequence = Sequence([item])
        if pixels:
            ds.Rows, ds.Columns = 4, 4
            ds.SamplesPerPixel = 1
            ds.PhotometricInterpretation = "MONOCHROME2"
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
            ds.PixelData = np.arange(16, dtype=np.uint16).tobytes()
        ds.is_little_endian = ts != ExplicitVRBigEndian
        ds.is_implicit_VR = ts == ImplicitVRLittleEndian
        return ds

    def save(name, ds, **kw):
        buf = io.BytesIO()
        ds.save_as(buf, write_like_original=False, **kw)
        write(d, name, buf.getvalue())

    save("explicit-le", mr(ExplicitVRLittleEndian))
    save("implicit-le", mr(ImplicitVRLittleEndian))
    save("explicit-be", mr(ExplicitVRBigEndian))
    save("deflated", mr(DeflatedExplicitVRLittleEndian))
    enc = mr(JPEGLSLossless, pixels=False)
    enc.Rows, enc.Columns, enc.SamplesPerPixel, enc.BitsAllocated = 4, 4, 1, 16
    enc.PixelData = encapsulate([b"\xff\xd8fragment-one\xff\xd9", b"\xff\xd8two\xff\xd9"])
    enc["PixelData"].VR = "OB"
    save("encapsulated", enc)
    # Undefined-length sequence and item (written by hand: pydicom writes defined lengths).
    ds = mr(ExplicitVRLittleEndian, pixels=False)
    buf = io.BytesIO()
    ds.save_as(buf, write_like_original=False)
    seq = (struct.pack("<HH2sHI", 0x0040, 0x0275, b"SQ", 0, 0xFFFFFFFF)
           + struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
           + struct.pack("<HH2sH", 0x0040, 0x0009, b"SH", 4) + b"ABCD"
           + struct.pack("<HHI", 0xFFFE, 0xE00D, 0) + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0))
    write(d, "undefined-length-sequence", buf.getvalue() + seq)
    # A bare implicit VR data set without preamble or meta information.
    bare = mr(ImplicitVRLittleEndian)
    buf = io.BytesIO()
    pydicom.filewriter.write_dataset(pydicom.filebase.DicomFileLike(buf), bare)
    write(d, "bare-implicit", buf.getvalue())


# ---------------------------------------------------------------- NIfTI (nibabel)

def nifti():
    import nibabel as nib
    import numpy as np

    d = seed_dir("org.lesionlink.io.nifti", "NiftiReaderFuzzTest", "read")
    affine = np.array([[-0.9, 0, 0.1, 10], [0, 1.1, 0, -20], [0, 0.05, 2.0, 30], [0, 0, 0, 1]])

    def save(name, img, gz=False):
        data = img.to_bytes()
        if gz:
            data = gzip.compress(data, mtime=0)
        write(d, name, data)

    cube = np.arange(4 * 3 * 2).reshape(4, 3, 2)
    save("n1-int16", nib.Nifti1Image(cube.astype(np.int16), affine))
    save("n1-int16.gz", nib.Nifti1Image(cube.astype(np.int16), affine), gz=True)
    save("n1-float32-qform", nib.Nifti1Image(cube.astype(np.float32), None))
    save("n1-uint8-4d", nib.Nifti1Image(np.stack([cube, cube + 1], -1).astype(np.uint8), affine))
    save("n1-int8", nib.Nifti1Image(cube.astype(np.int8), affine))
    save("n1-uint32", nib.Nifti1Image(cube.astype(np.uint32), affine))
    save("n1-float64.gz", nib.Nifti1Image(cube.astype(np.float64), affine), gz=True)
    save("n2-int32", nib.Nifti2Image(cube.astype(np.int32), affine))
    big = nib.Nifti1Image(cube.astype(">i2"), affine)
    save("n1-big-endian", big)
    scaled = nib.Nifti1Image(cube.astype(np.int16), affine)
    scaled.header.set_slope_inter(0.5, -3)
    save("n1-scaled", scaled)
    ext = nib.Nifti1Image(cube.astype(np.uint8), affine)
    ext.header.extensions.append(nib.nifti1.Nifti1Extension(6, b"seed comment"))
    save("n1-extension", ext)
    rgb = np.zeros((4, 3, 2), dtype=[("R", "u1"), ("G", "u1"), ("B", "u1")])
    save("n1-rgb24", nib.Nifti1Image(rgb, affine))


def main():
    igtl()
    dicom_pdu()
    dicom_files()
    nifti()


if __name__ == "__main__":
    main()
