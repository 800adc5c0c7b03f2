"""OpenIGTLink v1/v2/v3 for the LesionLink client: framing, CRC-64, the message bodies LesionLink uses,
and a blocking socket connection with a background reader.

The byte layouts are those of ``protocols/openigtlink/*.md`` in this repository (header.md, image.md,
status.md, string.md, lbmeta.md, polydata.md, command.md). Every field is big-endian except IMAGE
pixels, whose byte order is given by the IMAGE's endian byte.

Version policy (server.md, "Header versions"): a connection sends **header version 1** (protocol v1/v2)
unless it is configured for version 2 (protocol v3: extended header and metadata). Messages of either
version are received.

numpy and the standard library only; no Slicer.
"""
import collections
import dataclasses
import queue
import socket
import struct
import threading
import time

import numpy as np

from . import geometry

# --- header ---------------------------------------------------------------------------------------------

HEADER = struct.Struct(">H12s20sQQQ")  # V, TYPE, DEVICE_NAME, TIMESTAMP, BODY_SIZE, CRC
HEADER_SIZE = HEADER.size  # 58
EXT_HEADER = struct.Struct(">HHII")  # EXT_HEADER_SIZE, META_HEADER_SIZE, META_SIZE, MSG_ID
META_ENTRY = struct.Struct(">HHI")  # KEY_SIZE, VALUE_ENCODING, VALUE_SIZE

#: Bodies larger than this are refused by the reader (the server's own limit is 512 MiB + 1 MiB).
DEFAULT_MAX_BODY = (512 + 1) << 20

_U64 = (1 << 64) - 1


class IgtlError(Exception):
    """A malformed message, or one that cannot be encoded."""


class ConnectionLost(IgtlError, ConnectionError):
    """The peer closed the connection, or it failed."""


# --- CRC-64/ECMA-182 ------------------------------------------------------------------------------------

CRC64_POLY = 0x42F0E1EBA9EA3693


def _crc_table():
    table = []
    for byte in range(256):
        c = byte << 56
        for _ in range(8):
            c = ((c << 1) ^ CRC64_POLY) if c & (1 << 63) else (c << 1)
        table.append(c & _U64)
    return table


CRC64_TABLE = _crc_table()
_NP_TABLE = np.array(CRC64_TABLE, dtype=np.uint64)
_BLOCK = 4096  # bytes per block of the vectorised CRC
_shift_tables = {}


def crc64_bytewise(data, crc=0):
    """CRC-64/ECMA-182 (poly 0x42F0E1EBA9EA3693, init 0, not reflected, no final XOR), one byte at a time:
    ``crc = T[(crc >> 56) ^ byte] ^ (crc << 8)``. ``crc`` continues an earlier call."""
    table = CRC64_TABLE
    for b in bytes(data):
        crc = table[b ^ (crc >> 56)] ^ ((crc << 8) & _U64)
    return crc


def _shift_table(length):
    """8 x 256 table: the register after feeding ``length`` zero bytes, for each byte of the register.
    Feeding zeros is linear in the register, so the 8 lookups XORed give the shift of any value."""
    if length not in _shift_tables:
        seeds = (np.arange(256, dtype=np.uint64)[None, :] << (np.arange(8, dtype=np.uint64)[:, None] * np.uint64(8)))
        c = seeds.reshape(-1).copy()
        for _ in range(length):
            c = _NP_TABLE[(c >> np.uint64(56)).astype(np.intp)] ^ (c << np.uint64(8))
        _shift_tables[length] = [[int(v) for v in row] for row in c.reshape(8, 256)]
    return _shift_tables[length]


def crc64(data, crc=0):
    """The same CRC as :func:`crc64_bytewise`, computed for large inputs on many blocks at once with numpy
    (each block's CRC from 0, then combined: ``crc(A + B) = shift_len(B)(crc(A)) ^ crc(B)``)."""
    buf = np.frombuffer(memoryview(data).cast("B"), dtype=np.uint8)
    blocks = len(buf) // _BLOCK
    if blocks < 8:
        return crc64_bytewise(buf.tobytes(), crc)
    columns = buf[:blocks * _BLOCK].reshape(blocks, _BLOCK).T.copy()  # one column per block
    c = np.zeros(blocks, dtype=np.uint64)
    for row in columns:
        c = _NP_TABLE[((c >> np.uint64(56)).astype(np.uint8) ^ row).astype(np.intp)] ^ (c << np.uint64(8))
    s0, s1, s2, s3, s4, s5, s6, s7 = _shift_table(_BLOCK)
    for block_crc in c.tolist():
        crc = (s0[crc & 255] ^ s1[(crc >> 8) & 255] ^ s2[(crc >> 16) & 255] ^ s3[(crc >> 24) & 255]
               ^ s4[(crc >> 32) & 255] ^ s5[(crc >> 40) & 255] ^ s6[(crc >> 48) & 255] ^ s7[crc >> 56]) ^ block_crc
    return crc64_bytewise(buf[blocks * _BLOCK:].tobytes(), crc)


# --- timestamp ------------------------------------------------------------------------------------------

def timestamp_from_seconds(seconds):
    """The 32.32 fixed-point TIMESTAMP of a time in seconds since 1970 (0 means "not set")."""
    whole = int(seconds)
    frac = int(round((seconds - whole) * (1 << 32)))
    if frac >> 32:
        whole, frac = whole + 1, 0
    return ((whole & 0xFFFFFFFF) << 32) | frac


def timestamp_to_seconds(timestamp):
    """Seconds since 1970 of a TIMESTAMP, or None for 0 ("not set")."""
    if not timestamp:
        return None
    return (timestamp >> 32) + (timestamp & 0xFFFFFFFF) / float(1 << 32)


# --- text -----------------------------------------------------------------------------------------------

#: IANA MIBenum -> Python codec. US-ASCII is read as ISO-8859-1 so that no byte is lost.
MIBENUM_CODECS = {3: "latin-1", 4: "latin-1", 106: "utf-8", 1013: "utf-16-be", 1014: "utf-16-le", 1015: "utf-16"}
US_ASCII, UTF_8 = 3, 106


def decode_text(data, mibenum):
    return bytes(data).decode(MIBENUM_CODECS.get(mibenum, "latin-1"), errors="replace")


def encode_text(text):
    """``(mibenum, bytes)``: US-ASCII when every character is ASCII, else UTF-8."""
    try:
        return US_ASCII, text.encode("ascii")
    except UnicodeEncodeError:
        return UTF_8, text.encode("utf-8")


def _fixed(text, size, field):
    """A NUL-padded fixed-size text field (no terminator when it is full)."""
    raw = text.encode("latin-1") if text else b""
    if len(raw) > size or b"\0" in raw:
        raise IgtlError("%s %r does not fit %d bytes (or contains NUL)" % (field, text, size))
    return raw.ljust(size, b"\0")


def _unfixed(raw):
    return bytes(raw).split(b"\0", 1)[0].decode("latin-1")


# --- message envelope -----------------------------------------------------------------------------------

@dataclasses.dataclass
class Message:
    """One OpenIGTLink message: header fields and the **content** (the body without v3 extended header and
    metadata). ``version`` is the header version: 1 (protocol v1/v2) or 2 (protocol v3)."""
    type: str
    device: str = ""
    content: bytes = b""
    timestamp: int = 0
    version: int = 1
    metadata: dict = dataclasses.field(default_factory=dict)
    msg_id: int = 0
    crc_ok: bool = True

    def pack(self):
        """The wire bytes: header and body (BODY_SIZE and CRC computed here)."""
        if self.version == 2:
            index, values = [struct.pack(">H", len(self.metadata))], []
            for key, value in self.metadata.items():
                raw_key = key.encode("utf-8")
                encoding, raw_value = encode_text(str(value))
                if not 0 < len(raw_key) <= 0xFFFF:
                    raise IgtlError("metadata key %r must be 1..65535 bytes" % key)
                index.append(META_ENTRY.pack(len(raw_key), encoding, len(raw_value)))
                values += [raw_key, raw_value]
            meta_header, meta = b"".join(index), b"".join(values)
            body = EXT_HEADER.pack(EXT_HEADER.size, len(meta_header), len(meta), self.msg_id) \
                + bytes(self.content) + meta_header + meta
        elif self.version == 1:
            if self.metadata or self.msg_id:
                raise IgtlError("a header version 1 message cannot carry metadata or a message ID")
            body = bytes(self.content)
        else:
            raise IgtlError("cannot write header version %r" % (self.version,))
        header = HEADER.pack(self.version, _fixed(self.type, 12, "TYPE"), _fixed(self.device, 20, "DEVICE_NAME"),
                             self.timestamp, len(body), crc64(body))
        return header + body


def unpack_header(raw):
    """``(version, type, device, timestamp, body_size, crc)`` of a 58-byte header."""
    version, mtype, device, timestamp, size, crc = HEADER.unpack(raw)
    return version, _unfixed(mtype), _unfixed(device), timestamp, size, crc


def unpack_body(version, mtype, device, timestamp, body, crc=None):
    """A :class:`Message` from a header's fields and its body; ``crc`` (the header's) is checked when given.
    Raises :class:`IgtlError` for a v3 body whose sizes do not add up."""
    msg = Message(mtype, device, b"", timestamp, version)
    if crc is not None:
        msg.crc_ok = crc64(body) == crc
    if version != 2:
        msg.content = bytes(body)
        return msg
    if len(body) < EXT_HEADER.size:
        raise IgtlError("%s %r: body shorter than the extended header" % (mtype, device))
    ext_size, meta_header_size, meta_size, msg.msg_id = EXT_HEADER.unpack_from(body)
    meta_start = len(body) - meta_header_size - meta_size
    if ext_size < EXT_HEADER.size or meta_start < ext_size:
        raise IgtlError("%s %r: extended header sizes do not fit the body" % (mtype, device))
    msg.content = bytes(body[ext_size:meta_start])
    if meta_header_size >= 2:
        count = struct.unpack_from(">H", body, meta_start)[0]
        if meta_header_size != 2 + META_ENTRY.size * count:
            raise IgtlError("%s %r: META_HEADER_SIZE %d does not match %d entries" % (mtype, device, meta_header_size, count))
        at = meta_start + meta_header_size
        for e in range(count):
            key_size, encoding, value_size = META_ENTRY.unpack_from(body, meta_start + 2 + META_ENTRY.size * e)
            if at + key_size + value_size > len(body):
                raise IgtlError("%s %r: metadata runs past the body" % (mtype, device))
            key = bytes(body[at:at + key_size]).decode("utf-8", errors="replace")
            msg.metadata[key] = decode_text(body[at + key_size:at + key_size + value_size], encoding)
            at += key_size + value_size
        if at != len(body):
            raise IgtlError("%s %r: META_SIZE does not match the entries" % (mtype, device))
    return msg


def unpack(data):
    """A :class:`Message` from the bytes of exactly one whole message."""
    if len(data) < HEADER_SIZE:
        raise IgtlError("a message is at least %d bytes, got %d" % (HEADER_SIZE, len(data)))
    version, mtype, device, timestamp, size, crc = unpack_header(data[:HEADER_SIZE])
    if len(data) != HEADER_SIZE + size:
        raise IgtlError("BODY_SIZE %d but %d body bytes" % (size, len(data) - HEADER_SIZE))
    return unpack_body(version, mtype, device, timestamp, data[HEADER_SIZE:], crc)


# --- IMAGE ----------------------------------------------------------------------------------------------

IMAGE_HEADER = struct.Struct(">HBBBB3H12f3H3H")  # 72 bytes
#: IMAGE scalar type code <-> numpy dtype (codes are VTK's type constants).
SCALAR_TYPES = {2: np.int8, 3: np.uint8, 4: np.int16, 5: np.uint16, 6: np.int32, 7: np.uint32,
                10: np.float32, 11: np.float64}
_DTYPE_CODES = {np.dtype(v): k for k, v in SCALAR_TYPES.items()}
BIG_ENDIAN, LITTLE_ENDIAN = 1, 2


@dataclasses.dataclass
class Image:
    """IMAGE content. ``pixels`` is the (sub)volume as a numpy array indexed ``[k, j, i]`` (or
    ``[k, j, i, component]`` when ``components > 1``) in native byte order; ``t, s, n, p`` are the wire
    geometry fields of the **full** volume ``dims = (RI, RJ, RK)`` in ``coordinate`` (1 RAS, 2 LPS)."""
    pixels: np.ndarray
    t: tuple
    s: tuple
    n: tuple
    p: tuple
    dims: tuple
    coordinate: int = geometry.RAS
    offset: tuple = (0, 0, 0)
    endian: int = LITTLE_ENDIAN

    @classmethod
    def from_volume(cls, array, ijk_to_ras):
        """A full-volume RAS IMAGE of a ``[k, j, i]`` array and its IJK-to-RAS matrix."""
        array = np.asarray(array)
        dims = geometry.dims_of(array)
        t, s, n, p = geometry.image_fields_from_matrix(ijk_to_ras, dims)
        return cls(array, tuple(t), tuple(s), tuple(n), tuple(p), dims)

    @property
    def components(self):
        return 1 if self.pixels.ndim == 3 else self.pixels.shape[3]

    def ijk_to_ras(self):
        """IJK-to-RAS of the full volume (LPS fields converted)."""
        return geometry.matrix_from_image_fields(self.t, self.s, self.n, self.p, self.dims, self.coordinate)

    def encode(self):
        pixels = np.asarray(self.pixels)
        if pixels.ndim not in (3, 4):
            raise IgtlError("IMAGE pixels must be [k, j, i] or [k, j, i, c], got shape %r" % (pixels.shape,))
        code = _DTYPE_CODES.get(pixels.dtype.newbyteorder("="))
        if code is None:
            raise IgtlError("IMAGE cannot carry %s voxels (int8/16/32, uint8/16/32, float32/64 only)" % pixels.dtype)
        sub = (pixels.shape[2], pixels.shape[1], pixels.shape[0])
        if any(d > 0xFFFF for d in self.dims) or any(o + s > d for o, s, d in zip(self.offset, sub, self.dims)):
            raise IgtlError("IMAGE sizes %r (sub-volume %r at %r) do not fit" % (self.dims, sub, self.offset))
        order = "<" if self.endian == LITTLE_ENDIAN else ">"
        head = IMAGE_HEADER.pack(1, self.components, code, self.endian, self.coordinate, *self.dims,
                                 *self.t, *self.s, *self.n, *self.p, *self.offset, *sub)
        return head + pixels.astype(pixels.dtype.newbyteorder(order), copy=False).tobytes()

    @classmethod
    def decode(cls, content):
        if len(content) < IMAGE_HEADER.size:
            raise IgtlError("IMAGE content shorter than its 72-byte header")
        f = IMAGE_HEADER.unpack_from(content)
        version, nc, code, endian, coordinate = f[:5]
        dims, geo, offset, sub = f[5:8], f[8:20], f[20:23], f[23:26]
        if version != 1 or nc == 0 or code not in SCALAR_TYPES or endian not in (1, 2) or coordinate not in (1, 2):
            raise IgtlError("IMAGE header invalid: version %d, components %d, type %d, endian %d, coordinate %d"
                            % (version, nc, code, endian, coordinate))
        if any(o + s > d for o, s, d in zip(offset, sub, dims)):
            raise IgtlError("IMAGE sub-volume %r at %r exceeds %r" % (sub, offset, dims))
        dtype = np.dtype(SCALAR_TYPES[code]).newbyteorder(">" if endian == BIG_ENDIAN else "<")
        count = sub[0] * sub[1] * sub[2] * nc
        if len(content) - IMAGE_HEADER.size != count * dtype.itemsize:
            raise IgtlError("IMAGE has %d pixel bytes, expected %d" % (len(content) - IMAGE_HEADER.size,
                                                                       count * dtype.itemsize))
        pixels = np.frombuffer(content, dtype=dtype, count=count, offset=IMAGE_HEADER.size)
        pixels = pixels.astype(dtype.newbyteorder("="), copy=False)
        shape = (sub[2], sub[1], sub[0]) + ((nc,) if nc > 1 else ())
        return cls(pixels.reshape(shape), tuple(geo[0:3]), tuple(geo[3:6]), tuple(geo[6:9]), tuple(geo[9:12]),
                   tuple(dims), coordinate, tuple(offset), endian)


# --- STATUS ---------------------------------------------------------------------------------------------

STATUS_HEADER = struct.Struct(">Hq20s")
STATUS_CODES = {0: "invalid", 1: "OK", 2: "unknown error", 3: "panic", 4: "not found", 5: "access denied",
                6: "busy", 7: "time out / connection lost", 8: "overflow", 9: "checksum error",
                10: "configuration error", 11: "not enough resource", 12: "illegal instruction",
                13: "not ready", 14: "manual mode", 15: "disabled", 16: "not present", 17: "version unknown",
                18: "hardware failure", 19: "shutting down"}
STATUS_OK = 1


@dataclasses.dataclass
class Status:
    code: int
    message: str = ""
    subcode: int = 0
    error_name: str = ""

    @property
    def ok(self):
        return self.code == STATUS_OK

    @property
    def meaning(self):
        return STATUS_CODES.get(self.code, "code %d" % self.code)

    def encode(self):
        return STATUS_HEADER.pack(self.code, self.subcode, _fixed(self.error_name, 20, "error name")) \
            + self.message.encode("latin-1") + b"\0"

    @classmethod
    def decode(cls, content):
        if len(content) < STATUS_HEADER.size:
            raise IgtlError("STATUS content shorter than 30 bytes")
        code, subcode, name = STATUS_HEADER.unpack_from(content)
        return cls(code, _unfixed(content[STATUS_HEADER.size:]), subcode, _unfixed(name))


# --- STRING ---------------------------------------------------------------------------------------------

@dataclasses.dataclass
class String:
    text: str
    encoding: int = None  # MIBenum; None picks US-ASCII or UTF-8

    def encode(self):
        if self.encoding is None:
            encoding, raw = encode_text(self.text)
        else:
            encoding, raw = self.encoding, self.text.encode(MIBENUM_CODECS[self.encoding])
        if len(raw) > 0xFFFF:
            raise IgtlError("STRING text is %d bytes; at most 65535" % len(raw))
        return struct.pack(">HH", encoding, len(raw)) + raw

    @classmethod
    def decode(cls, content):
        if len(content) < 4:
            raise IgtlError("STRING content shorter than 4 bytes")
        encoding, length = struct.unpack_from(">HH", content)
        if len(content) != 4 + length:
            raise IgtlError("STRING LENGTH %d but %d text bytes" % (length, len(content) - 4))
        return cls(decode_text(content[4:], encoding), encoding)


# --- LBMETA ---------------------------------------------------------------------------------------------

LBMETA_ELEMENT = struct.Struct(">64s20sBB4B3H20s")  # 116 bytes


@dataclasses.dataclass
class LabelMeta:
    name: str
    id: str
    label: int
    rgba: tuple = (255, 255, 255, 255)
    size: tuple = (0, 0, 0)
    owner: str = ""

    def encode(self):
        return LBMETA_ELEMENT.pack(_fixed(self.name, 64, "LBMETA name"), _fixed(self.id, 20, "LBMETA ID"),
                                   self.label, 0, *self.rgba, *self.size, _fixed(self.owner, 20, "LBMETA owner"))


def encode_lbmeta(elements):
    return b"".join(e.encode() for e in elements)


def decode_lbmeta(content):
    if len(content) % LBMETA_ELEMENT.size:
        raise IgtlError("LBMETA content of %d bytes is not a multiple of 116" % len(content))
    out = []
    for at in range(0, len(content), LBMETA_ELEMENT.size):
        f = LBMETA_ELEMENT.unpack_from(content, at)
        out.append(LabelMeta(_unfixed(f[0]), _unfixed(f[1]), f[2], tuple(f[4:8]), tuple(f[8:11]), _unfixed(f[11])))
    return out


# --- POLYDATA -------------------------------------------------------------------------------------------

POLYDATA_HEADER = struct.Struct(">10I")
ATTRIBUTE_HEADER = struct.Struct(">BBI")
#: Attribute TYPE codes (bit 4 = cell data).
POINT_SCALARS, POINT_VECTORS, POINT_NORMALS, POINT_TENSORS, POINT_RGBA = 0x00, 0x01, 0x02, 0x03, 0x04
CELL_SCALARS, CELL_VECTORS, CELL_NORMALS, CELL_TENSORS, CELL_RGBA = 0x10, 0x11, 0x12, 0x13, 0x14


@dataclasses.dataclass
class CellArray:
    """Cells in VTK's legacy layout: ``data`` = (n, i1 .. in) per cell, uint32; ``count`` cells."""
    count: int = 0
    data: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.uint32))

    @classmethod
    def of(cls, cells):
        """From a sequence of index sequences, or an ``(m, n)`` array of equal-sized cells."""
        if isinstance(cells, np.ndarray) and cells.ndim == 2:
            m, n = cells.shape
            data = np.hstack([np.full((m, 1), n, dtype=np.uint32), cells.astype(np.uint32)]).reshape(-1)
            return cls(m, data)
        parts = [np.concatenate([[len(c)], c]).astype(np.uint32) for c in cells]
        return cls(len(parts), np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32))

    def cells(self):
        """The cells as a list of index arrays."""
        out, at, data = [], 0, self.data
        for _ in range(self.count):
            n = int(data[at])
            out.append(data[at + 1:at + 1 + n])
            at += 1 + n
        return out


@dataclasses.dataclass
class Attribute:
    type: int
    name: str
    data: np.ndarray  # (N, NCOMPONENTS) float32


@dataclasses.dataclass
class PolyData:
    points: np.ndarray  # (NPOINTS, 3) float32
    vertices: CellArray = dataclasses.field(default_factory=CellArray)
    lines: CellArray = dataclasses.field(default_factory=CellArray)
    polygons: CellArray = dataclasses.field(default_factory=CellArray)
    strips: CellArray = dataclasses.field(default_factory=CellArray)
    attributes: list = dataclasses.field(default_factory=list)

    def encode(self):
        points = np.asarray(self.points, dtype=">f4").reshape(-1, 3)
        sections = (self.vertices, self.lines, self.polygons, self.strips)
        counts = [len(points)]
        for c in sections:
            counts += [c.count, 4 * len(c.data)]
        counts.append(len(self.attributes))
        out = [POLYDATA_HEADER.pack(*counts), points.tobytes()]
        out += [np.asarray(c.data, dtype=">u4").tobytes() for c in sections]
        names = b""
        for a in self.attributes:
            data = np.asarray(a.data, dtype=np.float32)
            data = data.reshape(len(data), -1)
            out.append(ATTRIBUTE_HEADER.pack(a.type, data.shape[1], data.shape[0]))
            names += a.name.encode("latin-1") + b"\0"
        out.append(names + (b"\0" if len(names) % 2 else b""))
        out += [np.asarray(a.data, dtype=">f4").tobytes() for a in self.attributes]
        return b"".join(out)

    @classmethod
    def decode(cls, content):
        if len(content) < POLYDATA_HEADER.size:
            raise IgtlError("POLYDATA content shorter than 40 bytes")
        counts = POLYDATA_HEADER.unpack_from(content)
        npoints, nattributes = counts[0], counts[9]
        at = POLYDATA_HEADER.size
        if at + 12 * npoints > len(content):
            raise IgtlError("POLYDATA: %d points do not fit" % npoints)
        points = np.frombuffer(content, ">f4", 3 * npoints, at).astype(np.float32).reshape(npoints, 3)
        at += 12 * npoints
        sections = []
        for s in range(4):
            count, size = counts[1 + 2 * s], counts[2 + 2 * s]
            if size % 4 or at + size > len(content):
                raise IgtlError("POLYDATA: cell section %d of %d bytes does not fit" % (s, size))
            data = np.frombuffer(content, ">u4", size // 4, at).astype(np.uint32)
            _check_cells(data, count, s)
            sections.append(CellArray(count, data))
            at += size
        heads = []
        for _ in range(nattributes):
            if at + ATTRIBUTE_HEADER.size > len(content):
                raise IgtlError("POLYDATA: attribute headers run past the content")
            heads.append(ATTRIBUTE_HEADER.unpack_from(content, at))
            at += ATTRIBUTE_HEADER.size
        names = []
        start = at
        for _ in range(nattributes):
            end = content.find(b"\0", at)
            if end < 0:
                raise IgtlError("POLYDATA: attribute name without NUL")
            names.append(content[at:end].decode("latin-1"))
            at = end + 1
        if (at - start) % 2:
            at += 1
        attributes = []
        for (atype, ncomp, n), name in zip(heads, names):
            if ncomp == 0 or at + 4 * n * ncomp > len(content):
                raise IgtlError("POLYDATA: attribute %r does not fit" % name)
            data = np.frombuffer(content, ">f4", n * ncomp, at).astype(np.float32).reshape(n, ncomp)
            attributes.append(Attribute(atype, name, data))
            at += 4 * n * ncomp
        if at != len(content):
            raise IgtlError("POLYDATA: %d trailing bytes" % (len(content) - at))
        return cls(points, *sections, attributes)


def _check_cells(data, count, section):
    at = 0
    for _ in range(count):
        if at >= len(data):
            at = -1
            break
        at += 1 + int(data[at])
    if at != len(data):
        raise IgtlError("POLYDATA: cell section %d does not hold exactly %d cells" % (section, count))


# --- COMMAND / RTS_COMMAND ------------------------------------------------------------------------------

COMMAND_HEADER = struct.Struct(">I128sHI")  # 138 bytes


@dataclasses.dataclass
class Command:
    """COMMAND or RTS_COMMAND content (the two share one layout)."""
    command_id: int
    name: str
    text: str = ""
    encoding: int = None

    def encode(self):
        if self.encoding is None:
            encoding, raw = encode_text(self.text)
        else:
            encoding, raw = self.encoding, self.text.encode(MIBENUM_CODECS[self.encoding])
        return COMMAND_HEADER.pack(self.command_id, _fixed(self.name, 128, "COMMAND_NAME"), encoding, len(raw)) + raw

    @classmethod
    def decode(cls, content):
        if len(content) < COMMAND_HEADER.size:
            raise IgtlError("COMMAND content shorter than 138 bytes")
        command_id, name, encoding, length = COMMAND_HEADER.unpack_from(content)
        if len(content) != COMMAND_HEADER.size + length:
            raise IgtlError("COMMAND LENGTH %d but %d text bytes" % (length, len(content) - COMMAND_HEADER.size))
        return cls(command_id, _unfixed(name), decode_text(content[COMMAND_HEADER.size:], encoding), encoding)


#: Message type -> content decoder.
DECODERS = {"IMAGE": Image.decode, "STATUS": Status.decode, "STRING": String.decode, "LBMETA": decode_lbmeta,
            "POLYDATA": PolyData.decode, "COMMAND": Command.decode, "RTS_COMMAND": Command.decode}


def decode_content(message):
    """The typed content of a message (:class:`Image`, :class:`Status`, ...), or None for other types."""
    decoder = DECODERS.get(message.type)
    return decoder(message.content) if decoder else None


# --- connection -----------------------------------------------------------------------------------------

class IgtlConnection:
    """A blocking TCP connection to an OpenIGTLink server.

    A background thread reads whole messages and puts them on :attr:`messages` (a ``queue.Queue`` of
    :class:`Message`); when the connection ends it puts ``None`` and keeps the reason in :attr:`error`.
    Sending is thread-safe. Messages go out in ``header_version`` (1 unless configured for protocol v3).
    Empty-named ``STATUS`` OK keep-alives are not queued unless ``keep_alives`` is set.
    """

    def __init__(self, host="localhost", port=18944, *, header_version=1, connect_timeout=5.0,
                 io_timeout=60.0, max_body=DEFAULT_MAX_BODY, keep_alives=False):
        if header_version not in (1, 2):
            raise ValueError("header_version is 1 (protocol v1/v2) or 2 (protocol v3)")
        self.host, self.port = host, int(port)
        self.header_version = header_version
        self.connect_timeout, self.io_timeout = connect_timeout, io_timeout
        self.max_body = max_body
        self.keep_alives = keep_alives
        self.messages = queue.Queue()
        self.error = None
        self._sock = None
        self._reader = None
        self._send_lock = threading.Lock()
        self._closing = False
        self._msg_id = 0

    @property
    def address(self):
        return "%s:%d" % (self.host, self.port)

    @property
    def connected(self):
        return self._sock is not None and self.error is None

    def connect(self):
        """Opens the connection and starts the reader. Raises ``ConnectionError`` with the address."""
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as e:
            raise ConnectionError("cannot connect to OpenIGTLink server %s: %s" % (self.address, e)) from e
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(self.io_timeout)
        self._sock, self.error, self._closing = sock, None, False
        self.messages = queue.Queue()
        self._reader = threading.Thread(target=self._read_loop, args=(sock, self.messages),
                                        name="igtl-reader-%s" % self.address, daemon=True)
        self._reader.start()

    def reconnect(self, attempts=3, delay=0.5):
        """Closes and connects again, trying ``attempts`` times ``delay`` seconds apart."""
        for attempt in range(attempts):
            try:
                self.connect()
                return
            except ConnectionError:
                if attempt == attempts - 1:
                    raise
                time.sleep(delay)

    def close(self):
        sock, self._sock = self._sock, None
        if sock is None:
            return
        self._closing = True
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout=5)
        self._reader = None

    def __enter__(self):
        if self._sock is None:
            self.connect()
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, mtype, device, content, metadata=None, timestamp=0):
        """Sends one message in this connection's header version; metadata needs header version 2."""
        version = self.header_version
        msg_id = 0
        if version == 2:
            self._msg_id = (self._msg_id + 1) & 0xFFFFFFFF
            msg_id = self._msg_id
        elif metadata:
            raise IgtlError("metadata needs header version 2 (protocol v3); this connection sends version 1")
        data = Message(mtype, device, content, timestamp, version, dict(metadata or {}), msg_id).pack()
        self.send_raw(data)

    def send_raw(self, data):
        if self._sock is None:
            raise ConnectionLost("not connected to %s" % self.address)
        if self.error is not None:
            raise ConnectionLost("connection to %s lost: %s" % (self.address, self.error))
        with self._send_lock:
            try:
                self._sock.sendall(data)
            except socket.timeout as e:
                raise ConnectionLost("sending to %s timed out after %.0f s" % (self.address, self.io_timeout)) from e
            except OSError as e:
                raise ConnectionLost("sending to %s failed: %s" % (self.address, e)) from e

    def receive(self, timeout):
        """The next message; raises ``TimeoutError`` after ``timeout`` s, :class:`ConnectionLost` at the end."""
        try:
            msg = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError("no message from %s within %.1f s" % (self.address, timeout)) from None
        if msg is None:
            self.messages.put(None)  # stay at the end for later calls
            raise ConnectionLost("connection to %s lost: %s" % (self.address, self.error))
        return msg

    def _read_exact(self, sock, n):
        buf = bytearray(n)
        view, got = memoryview(buf), 0
        while got < n:
            try:
                r = sock.recv_into(view[got:], min(n - got, 1 << 20))
            except socket.timeout:
                continue  # idle server: keep waiting (a closed socket ends the loop with OSError)
            if r == 0:
                raise ConnectionLost("closed by peer")
            got += r
        return buf

    def _read_loop(self, sock, inbox):
        try:
            while True:
                version, mtype, device, timestamp, size, crc = unpack_header(self._read_exact(sock, HEADER_SIZE))
                if size > self.max_body:
                    raise IgtlError("%s %r: BODY_SIZE %d over the limit %d" % (mtype, device, size, self.max_body))
                body = self._read_exact(sock, size)
                if version not in (1, 2):
                    continue  # unknown header version: skipped by its size
                try:
                    msg = unpack_body(version, mtype, device, timestamp, body, crc)
                except IgtlError as e:
                    msg = Message(mtype, device, b"", timestamp, version, {"error": str(e)}, crc_ok=False)
                if not self.keep_alives and mtype == "STATUS" and not device and msg.crc_ok and msg.content[:2] == b"\0\1":
                    continue
                inbox.put(msg)
        except (ConnectionLost, OSError, IgtlError) as e:
            self.error = "closed" if self._closing else (str(e) or type(e).__name__)
        except Exception as e:  # never die silently
            self.error = repr(e)
        finally:
            if self.error is None:
                self.error = "closed"
            inbox.put(None)
