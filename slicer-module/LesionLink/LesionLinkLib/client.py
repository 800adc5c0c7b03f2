"""LesionLinkClient: the segmentation conversation of protocols/openigtlink/server-conventions.md.

- Images go out as one IMAGE per model channel, the device name being the channel name (section 2).
- Commands (section 5) go out as STRING ``CMD_<id>`` with text ``Name {json}`` and are answered by STRING
  ``ACK_<id>`` (protocol v1/v2, the default), or as COMMAND / RTS_COMMAND when the client is configured
  for protocol v3 (``use_v3=True``, which also sends header version 2 and metadata).
- Results (section 4), for the reference channel's device ``REF``: IMAGE ``REF_seg`` (uint8 labelmap),
  LBMETA ``REF_seg``, POLYDATA ``REF_seg_<label>``, STRING ``REF_report`` (JSON), then STATUS ``REF_seg``.

numpy and the standard library only; no Slicer.
"""
import collections
import dataclasses
import itertools
import json
import queue
import random
import time

import numpy as np

from . import igtl
from . import report as report_module

DEFAULT_PORT = 18944
DEVICE_NAME_SIZE = 20


class LesionLinkError(Exception):
    """Something the user should read: what went wrong, with whom, and what to check."""


class LesionLinkTimeout(LesionLinkError, TimeoutError):
    pass


class ServerError(LesionLinkError):
    """The server answered with an error STATUS."""

    def __init__(self, device, status):
        self.device, self.status = device, status
        super().__init__("server reported %s (STATUS %d%s) for %r: %s" % (
            status.meaning, status.code, ", " + status.error_name if status.error_name else "", device,
            status.message or "no message"))


class CommandFailed(LesionLinkError):
    def __init__(self, command, reply):
        self.command, self.reply = command, reply
        detail = reply.get("error") or reply.get("message") or json.dumps(reply)
        super().__init__("command %s failed: %s" % (command, detail))


# --- models and labels ----------------------------------------------------------------------------------

def parse_color(value, default=(0.5, 0.5, 0.5)):
    """An (r, g, b) in 0..1 from ``"#rrggbb"``, ``[r, g, b(, a)]`` in 0..255, or floats in 0..1."""
    if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
        try:
            return tuple(int(value[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
        except ValueError:
            return default
    if isinstance(value, (list, tuple)) and len(value) >= 3:
        rgb = [float(c) for c in value[:3]]
        return tuple(c / 255.0 for c in rgb) if max(rgb) > 1 else tuple(rgb)
    return default


@dataclasses.dataclass
class Label:
    value: int
    name: str
    color: tuple = (0.5, 0.5, 0.5)  # r, g, b in 0..1


#: Names and colours used when the server gives none: BraTS-METS for the brain, the spine model's three.
DEFAULT_LABELS = {
    "brain": [Label(1, "NETC", (0.90, 0.10, 0.29)), Label(2, "SNFH", (0.24, 0.71, 0.29)),
              Label(3, "ET", (0.26, 0.39, 0.85))],
    "spine": [Label(1, "lesion", (0.90, 0.10, 0.29)), Label(2, "vertebra", (0.95, 0.85, 0.60)),
              Label(3, "canal", (0.26, 0.39, 0.85))],
}


def default_labels(task):
    """The default labels for a model task ("brain-metastases", "spine-mets", ...), else []."""
    task = (task or "").lower()
    for key, labels in DEFAULT_LABELS.items():
        if key in task:
            return [dataclasses.replace(label) for label in labels]
    return []


@dataclasses.dataclass
class ModelInfo:
    name: str
    version: str
    task: str
    channels: list  # the first is the reference channel
    labels: list  # Label

    @classmethod
    def from_json(cls, obj):
        labels = [Label(int(e["value"]), str(e.get("name", "label %s" % e["value"])),
                        parse_color(e.get("color", e.get("colour"))))
                  for e in obj.get("labels") or [] if "value" in e]
        return cls(str(obj.get("name", "")), str(obj.get("version", "")), str(obj.get("task", "")),
                   [str(c) for c in obj.get("channels") or []], labels or default_labels(obj.get("task")))


# --- results --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Surface:
    name: str
    points: np.ndarray  # (n, 3) float32, RAS mm
    polygons: igtl.CellArray


@dataclasses.dataclass
class SegmentationResult:
    device: str
    labelmap: np.ndarray  # uint8, [k, j, i]
    ijk_to_ras: np.ndarray  # 4x4
    labels: list  # Label
    surfaces: dict  # label name -> Surface
    report: dict  # the parsed JSON report ({} when none came)
    message: str  # the final STATUS message, e.g. "done: 2 lesions in 812 ms"
    timestamp: int = 0  # the source IMAGE's timestamp, as sent back

    def lesion_report(self):
        return report_module.parse_report(self.report)


class ResultCollector:
    """Assembles one result from the messages of section 4; :meth:`feed` returns it when the final STATUS
    arrives, raises :class:`ServerError` for an error STATUS about the output or one of ``watched`` (the
    devices of the IMAGEs sent), and ignores everything else."""

    def __init__(self, output, report_device, watched=(), fallback_labels=()):
        self.output, self.report_device = output, report_device
        self.watched = set(watched) | {output}
        self.fallback_labels = list(fallback_labels)
        self.reset()

    def reset(self):
        self.image, self.labels, self.surfaces, self.report = None, None, {}, {}

    def feed(self, msg):
        if not msg.crc_ok:
            return None
        if msg.type == "IMAGE" and msg.device == self.output:
            self.image = (igtl.Image.decode(msg.content), msg.timestamp)
        elif msg.type == "LBMETA" and msg.device == self.output:
            self.labels = [Label(e.label, e.name, tuple(c / 255.0 for c in e.rgba[:3])) for e in igtl.decode_lbmeta(msg.content)]
        elif msg.type == "POLYDATA" and msg.device.startswith(self.output + "_"):
            poly = igtl.PolyData.decode(msg.content)
            name = msg.device[len(self.output) + 1:]
            self.surfaces[name] = Surface(name, poly.points, poly.polygons)
        elif msg.type == "STRING" and msg.device == self.report_device:
            text = igtl.String.decode(msg.content).text
            try:
                self.report = json.loads(text)
            except ValueError as e:
                raise LesionLinkError("the report %r is not JSON: %s" % (msg.device, e)) from e
        elif msg.type == "STATUS" and msg.device in self.watched:
            status = igtl.Status.decode(msg.content)
            if not status.ok:
                self.reset()
                raise ServerError(msg.device, status)
            if msg.device == self.output:
                return self._finish(status)
        return None

    def _finish(self, status):
        if self.image is None:
            raise LesionLinkError("STATUS OK for %r but no labelmap IMAGE came before it" % self.output)
        image, timestamp = self.image
        labelmap = image.pixels
        if labelmap.ndim != 3:
            raise LesionLinkError("labelmap %r has %d components; expected 1" % (self.output, image.components))
        if tuple(image.offset) != (0, 0, 0) or labelmap.shape[::-1] != tuple(image.dims):
            full = np.zeros(tuple(image.dims)[::-1], dtype=labelmap.dtype)
            (i, j, k), (nk, nj, ni) = image.offset, labelmap.shape
            full[k:k + nk, j:j + nj, i:i + ni] = labelmap
            labelmap = full
        labels = self.labels if self.labels else self.fallback_labels
        result = SegmentationResult(self.output, labelmap, image.ijk_to_ras(), labels, self.surfaces,
                                    self.report, status.message, timestamp)
        self.reset()
        return result


# --- the client -----------------------------------------------------------------------------------------

class LesionLinkClient:
    """A connection to ``lesionlink serve``. Not thread-safe: one caller at a time (the GUI thread)."""

    def __init__(self, host="localhost", port=DEFAULT_PORT, *, timeout=30.0, segment_timeout=900.0,
                 use_v3=False, connect_timeout=5.0):
        self.timeout, self.segment_timeout, self.use_v3 = timeout, segment_timeout, use_v3
        self.connection = igtl.IgtlConnection(host, port, header_version=2 if use_v3 else 1,
                                              connect_timeout=connect_timeout)
        self._stash = collections.deque(maxlen=4096)  # messages received while waiting for something else
        self._ids = itertools.count(1)
        self._prefix = "%04x" % random.getrandbits(16)
        self._models = None
        self.capabilities = set()  # from GetModels; "ablation" enables the ablation panel (not yet specified)
        self._auto_off = False
        self._abandoned = False

    # connection

    @property
    def address(self):
        return self.connection.address

    @property
    def connected(self):
        return self.connection.connected

    def connect(self):
        self.connection.connect()
        self._stash.clear()
        self._models, self._auto_off, self._abandoned = None, False, False

    def reconnect(self, attempts=3, delay=0.5):
        self.connection.reconnect(attempts, delay)
        self._stash.clear()
        self._auto_off, self._abandoned = False, False

    def close(self):
        self.connection.close()

    def __enter__(self):
        if not self.connected:
            self.connect()
        return self

    def __exit__(self, *exc):
        self.close()

    # receiving

    def _wait(self, match, timeout, what, tick=None):
        """The first non-None ``match(message)``: stashed messages first, then new ones. ``tick()`` is
        called about every 0.1 s while waiting (a GUI keeps itself alive there; it may raise to cancel)."""
        for msg in list(self._stash):
            value = match(msg)
            if value is not None:
                self._stash.remove(msg)
                return value
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LesionLinkTimeout("no %s from %s within %g s" % (what, self.address, timeout))
            try:
                msg = self.connection.receive(min(left, 0.1) if tick else left)
            except TimeoutError:
                if tick:
                    tick()
                continue
            except igtl.ConnectionLost as e:
                raise LesionLinkError("lost the connection while waiting for %s: %s" % (what, e)) from e
            value = match(msg)
            if value is not None:
                return value
            self._stash.append(msg)

    def poll(self):
        """Every message received so far that nobody waited for (non-blocking)."""
        out = list(self._stash)
        self._stash.clear()
        while True:
            try:
                msg = self.connection.messages.get_nowait()
            except queue.Empty:
                return out
            if msg is None:
                self.connection.messages.put(None)
                return out
            out.append(msg)

    def ping(self, timeout=None):
        """GET_STATUS, answered by STATUS OK under the same name (server.md): is the server alive?"""
        device = "LesionLinkPing"
        self.connection.send("GET_STATUS", device, b"")
        self._wait(lambda m: True if m.type == "STATUS" and m.device == device else None,
                   timeout or self.timeout, "answer to GET_STATUS")
        return True

    # commands

    def command(self, name, args=None, timeout=None, tick=None):
        """Runs a section-5 command and returns the reply's JSON object; raises :class:`CommandFailed`
        when its ``status`` is not ``SUCCESS``."""
        text = json.dumps(args, separators=(",", ":")) if args else ""
        seq = next(self._ids)
        what = "reply to command %s" % name
        if self.use_v3:
            self.connection.send("COMMAND", "LesionLink", igtl.Command(seq, name, text).encode())

            def match(m):
                if m.type == "RTS_COMMAND" and m.crc_ok:
                    cmd = igtl.Command.decode(m.content)
                    if cmd.command_id == seq:
                        return cmd.text, m.metadata.get("Status")
                return None
            reply_text, status = self._wait(match, timeout or self.timeout, what, tick)
        else:
            cmd_id = "%s%d" % (self._prefix, seq)
            self.connection.send("STRING", "CMD_" + cmd_id, igtl.String(name + (" " + text if text else "")).encode())

            def match(m):
                if m.type == "STRING" and m.device == "ACK_" + cmd_id and m.crc_ok:
                    return igtl.String.decode(m.content).text, None
                if m.type == "STATUS" and m.device == "CMD_" + cmd_id and m.crc_ok:
                    status = igtl.Status.decode(m.content)
                    if not status.ok:
                        raise ServerError(m.device, status)
                return None
            reply_text, status = self._wait(match, timeout or self.timeout, what, tick)
        try:
            reply = json.loads(reply_text) if reply_text.strip() else {}
        except ValueError as e:
            raise LesionLinkError("reply to %s is not JSON: %r" % (name, reply_text[:200])) from e
        if not isinstance(reply, dict):
            raise LesionLinkError("reply to %s is not a JSON object: %r" % (name, reply_text[:200]))
        if (reply.get("status") or status) != "SUCCESS":
            raise CommandFailed(name, reply)
        return reply

    def get_models(self, refresh=False):
        """The server's models (``GetModels``), cached per connection."""
        if self._models is None or refresh:
            reply = self.command("GetModels")
            self._models = [ModelInfo.from_json(m) for m in reply.get("models") or []]
            self.capabilities = set(reply.get("capabilities") or [])
        return self._models

    def model_info(self, name=None, channels=None):
        """The named model, or (``name`` None) the first whose channel set equals ``channels``."""
        models = self.get_models()
        if name is not None:
            for m in models:
                if m.name == name:
                    return m
            raise LesionLinkError("the server at %s has no model %r (it has: %s)"
                                  % (self.address, name, ", ".join(m.name for m in models) or "none"))
        wanted = {c.lower() for c in channels or ()}
        for m in models:
            if {c.lower() for c in m.channels} == wanted:
                return m
        raise LesionLinkError("no model on %s takes exactly the channels %s" % (self.address, sorted(wanted)))

    def set_model(self, name):
        return self.command("Model", {"model": name})

    def set_auto(self, enabled):
        return self.command("Auto", {"enabled": bool(enabled)})

    def set_stream(self, enabled):
        return self.command("Stream", {"enabled": bool(enabled)})

    def get_job(self, job):
        return self.command("GetJob", {"job": job})

    # images

    def send_volume(self, array, ijk_to_ras, device, metadata=None, timestamp=0):
        """One IMAGE: ``array`` indexed [k, j, i] (as slicer.util.arrayFromVolume), RAS, little-endian."""
        if len(device) > DEVICE_NAME_SIZE:
            raise LesionLinkError("device name %r is longer than %d characters" % (device, DEVICE_NAME_SIZE))
        content = igtl.Image.from_volume(array, ijk_to_ras).encode()
        self.connection.send("IMAGE", device, content, metadata if self.use_v3 else None, timestamp)

    def segment(self, channels, model=None, output=None, tta=None, progress=None, timeout=None):
        """Sends one volume per channel, runs ``Segment`` and waits for the results.

        ``channels`` maps channel name -> ``(array [k, j, i], ijk_to_ras)``; ``model`` defaults to the model
        whose channels are exactly these. ``progress(text)`` is called with each step, and with None about
        every 0.1 s while waiting (a GUI processes its events there); it may raise to cancel.
        """
        info = self.model_info(model, channels.keys())
        given = {c.lower(): c for c in channels}
        missing = [c for c in info.channels if c.lower() not in given]
        extra = sorted(set(given) - {c.lower() for c in info.channels})
        if missing or extra:
            raise LesionLinkError("model %s takes channels %s; missing %s, unexpected %s"
                                  % (info.name, info.channels, missing or "none", extra or "none"))
        reference = info.channels[0]
        output = output or reference + "_seg"
        report_device = reference + "_report"
        for name in (output, report_device):
            if len(name) > DEVICE_NAME_SIZE:
                raise LesionLinkError("device name %r is longer than %d characters" % (name, DEVICE_NAME_SIZE))
        say = progress or (lambda text: None)
        if self._abandoned:
            # results of an abandoned run may still come; a fresh connection cannot mistake them for ours
            say("reconnecting")
            self.reconnect()
        if not self._auto_off:
            self.set_auto(False)  # this connection starts runs itself; no second, automatic one
            self._auto_off = True
        for channel in info.channels:
            say("sending %s" % channel)
            array, ijk_to_ras = channels[given[channel.lower()]]
            meta = {"lesionlink.channel": channel, "lesionlink.model": info.name, "lesionlink.auto": "false"}
            self.send_volume(array, ijk_to_ras, channel, meta)
        args = {"model": info.name, "output": output}
        if tta is not None:
            args["tta"] = bool(tta)
        tick = (lambda: say(None)) if progress else None
        job = self.command("Segment", args, tick=tick).get("job")
        say("segmenting (job %s)" % job if job is not None else "segmenting")
        collector = ResultCollector(output, report_device, info.channels, info.labels)
        try:
            return self._wait(collector.feed, timeout or self.segment_timeout, "segmentation result %s" % output, tick)
        except ServerError:
            raise  # the run ended (with an error): nothing more will come for it
        except BaseException:
            self._abandoned = True  # timed out or cancelled: its results may still arrive
            raise

    def stream(self, channel, model):
        """A :class:`StreamSession` for live frames of ``channel`` (the model's other channels must have
        been sent with :meth:`send_volume`)."""
        return StreamSession(self, channel, self.model_info(model))


class StreamSession:
    """Latest-frame streaming (section 6) with at most one frame in flight.

    :meth:`offer` sends a frame at once when none is in flight; otherwise it keeps it as the next one,
    replacing (dropping) an older waiting frame. :meth:`poll` (call it from a timer) collects results and
    then sends the waiting frame. A frame without a result after ``stale_after`` s is given up.
    """

    def __init__(self, client, channel, info, stale_after=60.0):
        self.client, self.channel, self.info = client, channel, info
        reference = info.channels[0]
        self.collector = ResultCollector(reference + "_seg", reference + "_report", info.channels, info.labels)
        self.stale_after = stale_after
        self.in_flight_since = None
        self.waiting = None
        self.sent = self.dropped = self.completed = self.failed = 0
        self.last_error = None

    def start(self):
        self.client.set_stream(True)

    def stop(self):
        self.waiting = None
        self.client.set_stream(False)

    def offer(self, array, ijk_to_ras, timestamp=0):
        """Returns True when the frame went out now."""
        if self.in_flight_since is None:
            self._send((array, ijk_to_ras, timestamp))
            return True
        if self.waiting is not None:
            self.dropped += 1
        self.waiting = (array, ijk_to_ras, timestamp)
        return False

    def _send(self, frame):
        array, ijk_to_ras, timestamp = frame
        meta = {"lesionlink.channel": self.channel, "lesionlink.stream": "true"}
        self.client.send_volume(array, ijk_to_ras, self.channel, meta, timestamp)
        self.in_flight_since = time.monotonic()
        self.sent += 1

    def poll(self):
        """The results that arrived (oldest first); sends the waiting frame when the one in flight is done."""
        results = []
        for msg in self.client.poll():
            try:
                result = self.collector.feed(msg)
            except LesionLinkError as e:
                self.failed += 1
                self.last_error = str(e)
                self.in_flight_since = None
                continue
            if result is not None:
                results.append(result)
                self.completed += 1
                self.in_flight_since = None
        if self.in_flight_since is not None and time.monotonic() - self.in_flight_since > self.stale_after:
            self.failed += 1
            self.last_error = "no result within %.0f s; frame given up" % self.stale_after
            self.in_flight_since = None
        if self.in_flight_since is None and self.waiting is not None:
            frame, self.waiting = self.waiting, None
            self._send(frame)
        return results
