"""Ablation monitoring: the conversation of server-conventions.md section 7, on a :class:`LesionLinkClient`.

- The plan goes out as the command ``AblationPlan`` (device, power and time, or an explicit zone; thresholds;
  the probe's device name), the target lesion and critical structure as label IMAGEs ``AblationLesion`` and
  ``AblationCritical`` (or the connection's latest segmentation is the target).
- Probe poses go out as TRANSFORM (``NeedleToReference`` by default, tip at the tool origin, insertion along +z),
  or as the command ``AblationPose`` (tip and direction in RAS) for a one-off query.
- Each pose is answered by IMAGE ``AblationZone`` (uint8), POLYDATA ``AblationZoneSurface``, STRING
  ``AblationReport`` (JSON) and STATUS ``Ablation`` (OK / WARN / STOP), collected into one :class:`AblationUpdate`.
- Thermometry: phase IMAGEs ``ThermPhase`` in; IMAGEs ``ThermTemperature``, ``ThermDose`` (CEM43),
  ``ThermDamage``, POLYDATA ``ThermIsodose240``, STRING ``ThermReport`` and STATUS ``Thermometry`` out, collected
  into one :class:`ThermalUpdate`.

Decision support only, not a treatment planning system: every report carries the server's disclaimer.
numpy and the standard library only; no Slicer.
"""
import dataclasses
import json
import struct

import numpy as np

from . import igtl
from .client import LesionLinkError

PROBE = "NeedleToReference"
LESION = "AblationLesion"
CRITICAL = "AblationCritical"
ZONE = "AblationZone"
SURFACE = "AblationZoneSurface"
REPORT = "AblationReport"
STATUS = "Ablation"
PHASE = "ThermPhase"
THERMAL_IMAGES = {"ThermTemperature": "temperature", "ThermDose": "cem43", "ThermDamage": "damage"}
ISODOSE = "ThermIsodose240"
THERMAL_REPORT = "ThermReport"
THERMAL_STATUS = "Thermometry"
DISCLAIMER = "Decision support only, not a treatment planning system."


def encode_transform(matrix):
    """TRANSFORM content (transform.md): the upper 3x4 of a 4x4 matrix, float32 big-endian, column-major."""
    m = np.asarray(matrix, dtype=float)
    if m.shape not in ((4, 4), (3, 4)) or not np.all(np.isfinite(m)):
        raise LesionLinkError("a probe pose is a finite 4x4 (or 3x4) matrix, got shape %s" % (m.shape,))
    return struct.pack(">12f", *[m[r, c] for c in range(4) for r in range(3)])


def decode_transform(content):
    """The 4x4 matrix of a TRANSFORM content."""
    if len(content) != 48:
        raise igtl.IgtlError("TRANSFORM content has %d bytes, expected 48" % len(content))
    v = struct.unpack(">12f", content)
    m = np.eye(4)
    for c in range(4):
        for r in range(3):
            m[r, c] = v[c * 3 + r]
    return m


def pose_matrix(tip, direction, axis="+z"):
    """A tool-to-RAS matrix whose origin is ``tip`` and whose ``axis`` (``+z`` by default) is ``direction``."""
    d = np.asarray(direction, dtype=float)
    n = np.linalg.norm(d)
    if not np.isfinite(n) or n == 0:
        raise LesionLinkError("the probe direction must be a non-zero vector, got %s" % (list(direction),))
    d = d / n
    helper = np.eye(3)[int(np.argmin(np.abs(d)))]
    x = helper - d * helper.dot(d)
    x /= np.linalg.norm(x)
    y = np.cross(d, x)
    if len(axis) != 2 or axis[0] not in "+-" or axis[1] not in "xyz":
        raise LesionLinkError("probe axis must be one of +x, -x, +y, -y, +z, -z, got %r" % (axis,))
    sign, a = (-1.0 if axis[0] == "-" else 1.0), "xyz".index(axis[1])
    # The probe axis carries the direction, the next one (cyclically) the roll reference x; the third is
    # negated with the axis so that the matrix stays a rotation.
    m = np.eye(4)
    m[:3, a], m[:3, (a + 1) % 3], m[:3, (a + 2) % 3] = sign * d, x, sign * y
    m[:3, 3] = np.asarray(tip, dtype=float)
    return m


@dataclasses.dataclass
class AblationUpdate:
    """One pose update: the decision, the figures and (when sent) the zone labelmap and surface."""
    status: str = ""              # OK, WARN, STOP, NOT_ASSESSED; or STALE, NO_PLAN, NO_LESION, ... (errors)
    code: int = 0                 # the STATUS code: 1 OK/WARN, 3 STOP, 7 stale, 10/12/13 errors
    message: str = ""             # the STATUS text, readable as it is
    report: dict = None           # the AblationReport JSON, None for errors
    zone: object = None           # igtl.Image of the zone labelmap, or None
    surface: object = None        # igtl.PolyData of the zone surface, or None
    timestamp: int = 0            # the pose's header timestamp

    @property
    def ok(self):
        """Whether metrics were computed (the decision may still be WARN or STOP)."""
        return self.report is not None and self.status in ("OK", "WARN", "STOP", "NOT_ASSESSED")

    @property
    def result(self):
        return (self.report or {}).get("result") or {}

    @property
    def coverage_percent(self):
        return self.result.get("coverage_percent")

    @property
    def min_margin_mm(self):
        return self.result.get("min_margin_mm")

    @property
    def critical_distance_mm(self):
        return self.result.get("critical_distance_mm")

    @property
    def tip_critical_distance_mm(self):
        return self.result.get("tip_critical_distance_mm")

    @property
    def warnings(self):
        return list(self.result.get("warnings") or [])

    def summary(self):
        """The panel's text: decision, coverage, margin, distances, warnings, and the disclaimer."""
        if not self.ok:
            return "%s: %s" % (self.status or "ERROR", self.message)
        lines = ["%s  coverage %.1f %%  minimal margin %.1f mm" % (self.status, self.coverage_percent, self.min_margin_mm)]
        if self.critical_distance_mm is not None:
            lines.append("zone %.1f mm, tip %.1f mm from %s" % (self.critical_distance_mm, self.tip_critical_distance_mm,
                                                              self.result.get("critical_structure", "critical structure")))
        lines += ["warning: " + w for w in self.warnings]
        lines.append(DISCLAIMER)
        return "\n".join(lines)


@dataclasses.dataclass
class ThermalUpdate:
    """One thermometry frame: maps (igtl.Image), isodose surface, report JSON and the STATUS."""
    status: str = ""
    code: int = 0
    message: str = ""
    report: dict = None
    maps: dict = dataclasses.field(default_factory=dict)   # "temperature", "cem43", "damage" -> igtl.Image
    isodose: object = None

    @property
    def lesion_percent_cem240(self):
        return (self.report or {}).get("lesion_percent_cem240")


class AblationCollector:
    """Feeds on received messages; returns an :class:`AblationUpdate` or :class:`ThermalUpdate` at each STATUS
    ``Ablation`` / ``Thermometry`` (the last message of an update), None otherwise."""

    def __init__(self):
        self._ablation = AblationUpdate()
        self._thermal = ThermalUpdate()

    def feed(self, msg):
        if not msg.crc_ok:
            return None
        if msg.device == ZONE and msg.type == "IMAGE":
            self._ablation.zone = igtl.Image.decode(msg.content)
        elif msg.device == SURFACE and msg.type == "POLYDATA":
            self._ablation.surface = igtl.PolyData.decode(msg.content)
        elif msg.device == REPORT and msg.type == "STRING":
            self._ablation.report = _json(igtl.String.decode(msg.content).text, REPORT)
        elif msg.device == STATUS and msg.type == "STATUS":
            s = igtl.Status.decode(msg.content)
            update, self._ablation = self._ablation, AblationUpdate()
            update.status, update.code, update.message, update.timestamp = s.error_name, s.code, s.message, msg.timestamp
            if update.status not in ("OK", "WARN", "STOP", "NOT_ASSESSED"):
                update.report, update.zone, update.surface = None, None, None  # an error: nothing computed
            return update
        elif msg.device in THERMAL_IMAGES and msg.type == "IMAGE":
            self._thermal.maps[THERMAL_IMAGES[msg.device]] = igtl.Image.decode(msg.content)
        elif msg.device == ISODOSE and msg.type == "POLYDATA":
            self._thermal.isodose = igtl.PolyData.decode(msg.content)
        elif msg.device == THERMAL_REPORT and msg.type == "STRING":
            self._thermal.report = _json(igtl.String.decode(msg.content).text, THERMAL_REPORT)
        elif msg.device == THERMAL_STATUS and msg.type == "STATUS":
            s = igtl.Status.decode(msg.content)
            update, self._thermal = self._thermal, ThermalUpdate()
            update.status, update.code, update.message = s.error_name, s.code, s.message
            return update
        return None


def _json(text, device):
    try:
        return json.loads(text)
    except ValueError as e:
        raise LesionLinkError("%s is not JSON: %r" % (device, text[:200])) from e


class AblationSession:
    """Ablation monitoring on one connection of a :class:`LesionLinkClient` (not thread-safe, like the client)."""

    def __init__(self, client, probe=PROBE):
        self.client, self.probe = client, probe
        self.collector = AblationCollector()
        self.plan_reply = None

    def available(self):
        """Whether the server speaks section 7 (``GetAblation`` is known)."""
        try:
            self.client.command("GetAblation")
            return True
        except LesionLinkError as e:
            if "unknown command" in str(e):
                return False
            raise

    def plan(self, device=None, power=None, time=None, zone=None, **options):
        """``AblationPlan``: a device-table zone (``device``, ``power`` W, ``time`` s) or ``zone`` =
        (a, b, c, offset) mm, plus options such as ``warnMm``, ``stopMm``, ``criticalName``, ``labelmap``."""
        args = dict(options)
        if zone is not None:
            args["zone"] = [float(v) for v in zone]
        if device is not None:
            args.update(device=device, power=float(power), time=float(time))
        args.setdefault("probe", self.probe)
        self.plan_reply = self.client.command("AblationPlan", args)
        return self.plan_reply

    def send_lesion(self, array, ijk_to_ras, timeout=None):
        return self._send_label(LESION, array, ijk_to_ras, timeout)

    def send_critical(self, array, ijk_to_ras, timeout=None):
        return self._send_label(CRITICAL, array, ijk_to_ras, timeout)

    def _send_label(self, device, array, ijk_to_ras, timeout):
        """Sends a label IMAGE and waits for the server's STATUS ``Ablation`` acknowledging it."""
        a = np.asarray(array)
        if not np.issubdtype(a.dtype, np.integer):
            raise LesionLinkError("%s must be an integer labelmap, got %s" % (device, a.dtype))
        self.client.send_volume(a, ijk_to_ras, device)

        def match(m):
            if m.type == "STATUS" and m.device == STATUS and m.crc_ok:
                return igtl.Status.decode(m.content)
            return None
        status = self.client._wait(match, timeout or self.client.timeout, "acknowledgement of %s" % device)
        if status.code != 1:
            raise LesionLinkError("%s refused: %s" % (device, status.message))
        return status.message

    def send_pose(self, matrix, timestamp=0):
        """One probe pose (tool to reference/RAS, 4x4) as TRANSFORM; its update comes back (:meth:`poll`)."""
        self.client.connection.send("TRANSFORM", self.probe, encode_transform(matrix), None, timestamp)

    def query(self, tip, direction, roll_degrees=0.0, timeout=None):
        """``AblationPose``: evaluates one pose (RAS) and returns its :class:`AblationUpdate`."""
        self.client.command("AblationPose", {"tip": [float(v) for v in tip], "direction": [float(v) for v in direction],
                                             "roll": float(roll_degrees)}, timeout=timeout)
        return self.wait_update(timeout)

    def wait_update(self, timeout=None):
        """The next complete :class:`AblationUpdate` (errors included)."""
        def match(m):
            u = self.collector.feed(m)
            return u if isinstance(u, AblationUpdate) else None
        return self.client._wait(match, timeout or self.client.timeout, "ablation update")

    def commit(self):
        """``AblationCommit``: the live zone at the last pose joins the union; returns the count."""
        return self.client.command("AblationCommit").get("ablations")

    def reset(self, everything=False):
        return self.client.command("AblationReset", {"all": True} if everything else None)

    def state(self):
        return self.client.command("GetAblation")

    def thermometry(self, b0, te, **options):
        """``Thermometry``: B0 (T), TE (s) and options (``criticalLimitC``, ``drift``, ...)."""
        return self.client.command("Thermometry", dict(options, b0=float(b0), te=float(te)))

    def send_phase(self, array, ijk_to_ras, timestamp=0):
        """One phase frame (radians) as IMAGE ``ThermPhase``; the first after Thermometry is the baseline."""
        self.client.send_volume(np.asarray(array, dtype=np.float32), ijk_to_ras, PHASE, None, timestamp)

    def wait_thermal(self, timeout=None):
        def match(m):
            u = self.collector.feed(m)
            return u if isinstance(u, ThermalUpdate) else None
        return self.client._wait(match, timeout or self.client.timeout, "thermometry update")

    def poll(self):
        """The updates that arrived (non-blocking), oldest first, and the other messages (for other consumers)."""
        updates, others = [], []
        for msg in self.client.poll():
            u = self.collector.feed(msg)
            if u is not None:
                updates.append(u)
            elif msg.device not in (ZONE, SURFACE, REPORT, STATUS, ISODOSE, THERMAL_REPORT, THERMAL_STATUS) \
                    and msg.device not in THERMAL_IMAGES:
                others.append(msg)
        return updates, others
