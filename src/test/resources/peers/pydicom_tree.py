"""Dumps DICOM files as pydicom 2.x sees them, as one JSON object {path: tree} on stdout.

A tree is {"ts": transfer syntax UID or null, "meta": [elements], "dataset": [elements]} or {"error": message}.
Each element: {"tag": "GGGGEEEE", "vr": VR after pydicom's conversion, "length": raw value length (or null for
undefined), then one of
  "items": [[elements], ...]                          for SQ,
  "fragments": [{"length": n, "sha256": h}, ...]      for encapsulated (undefined-length) pixel data,
  "size": n, "hex": h (up to 1024 bytes) or "sha256": h  otherwise: the raw value bytes in little-endian order
                                                      (pydicom keeps big-endian files' bytes as read, so they are
                                                      swapped here by VR), and
  "strings": [...] for text VRs (decoded with the data set's Specific Character Set by pydicom) /
  "numbers": [...] for binary numeric VRs (at most 16 values).
Usage: /usr/bin/python3 pydicom_tree.py FILE...
"""
import hashlib
import json
import sys

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.encaps import generate_pixel_data_fragment
from pydicom.filebase import DicomBytesIO

TEXT = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
SWAP = {"US": 2, "SS": 2, "AT": 2, "OW": 2, "UL": 4, "SL": 4, "FL": 4, "OF": 4, "OL": 4,
        "FD": 8, "OD": 8, "SV": 8, "UV": 8, "OV": 8}
NUMERIC = {"US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT"}


def le_bytes(b, vr, little):
    n = SWAP.get(vr)
    if little or not n or not b:
        return b
    out = bytearray(len(b))
    whole = len(b) - len(b) % n
    for i in range(0, whole, n):
        out[i:i + n] = b[i:i + n][::-1]
    out[whole:] = b[whole:]
    return bytes(out)


def number(v):
    if isinstance(v, float) and v != v:
        return "NaN"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return v if isinstance(v, (int, float)) else int(v)


def elements(ds, little):
    out = []
    for tag in sorted(ds.keys()):
        raw = ds.get_item(tag)
        try:
            elem = ds[tag]
        except Exception as e:  # pydicom cannot convert the value; report the raw bytes only
            elem = None
            err = str(e)
        vr = elem.VR if elem is not None else (raw.VR if isinstance(raw, RawDataElement) else None)
        e = {"tag": "%08X" % int(tag), "vr": vr}
        length = raw.length if isinstance(raw, RawDataElement) else None
        e["length"] = None if length == 0xFFFFFFFF else length
        if elem is not None and vr == "SQ":
            e["items"] = [elements(item, little) for item in elem.value]
        elif length == 0xFFFFFFFF and int(tag) == 0x7FE00010:
            fp = DicomBytesIO(raw.value)
            fp.is_little_endian = True
            e["fragments"] = [{"length": len(f), "sha256": hashlib.sha256(f).hexdigest()}
                              for f in generate_pixel_data_fragment(fp)]
        else:
            value = raw.value if isinstance(raw, RawDataElement) else None
            if value is None and elem is not None and isinstance(elem.value, (bytes, bytearray)):
                value = bytes(elem.value)
            if value is not None:
                b = le_bytes(bytes(value), vr, little)
                e["size"] = len(b)
                if len(b) <= 1024:
                    e["hex"] = b.hex()
                else:
                    e["sha256"] = hashlib.sha256(b).hexdigest()
            if elem is not None and vr in TEXT and elem.value is not None and elem.VM > 0:
                vals = elem.value if elem.VM > 1 else [elem.value]
                e["strings"] = [str(v) for v in vals]
            elif elem is not None and vr in NUMERIC and elem.value is not None and 0 < elem.VM <= 16:
                vals = elem.value if elem.VM > 1 else [elem.value]
                e["numbers"] = [number(v) for v in vals]
        out.append(e)
    return out


result = {}
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True)
        little = ds.is_little_endian
        meta = getattr(ds, "file_meta", None)
        ts = str(meta.TransferSyntaxUID) if meta is not None and "TransferSyntaxUID" in meta else None
        result[path] = {"ts": ts,
                        "meta": elements(meta, True) if meta is not None else [],
                        "dataset": elements(ds, little)}
    except Exception as e:
        result[path] = {"error": "%s: %s" % (type(e).__name__, e)}
json.dump(result, sys.stdout)
