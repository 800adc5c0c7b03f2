"""A scripted stand-in for ``lesionlink serve``, written from protocols/openigtlink/server-conventions.md,
to test the client's side of the conversation (commands, results, errors, streaming) before the real
server exists. It is *not* evidence that the real server agrees: test_live_server.py is.

Its "model" labels every voxel above 100 as ET (3) and above 50 as SNFH (2) on the reference channel.
"""
import json
import socket
import struct
import threading
import time

import numpy as np

from LesionLinkLib import igtl

MODELS = [
    {"name": "brain-mets-demo", "version": "1.0", "task": "brain-metastases", "channels": ["t1c", "t1", "t2", "flair"],
     "labels": [{"value": 1, "name": "NETC", "color": "#e6194b"}, {"value": 2, "name": "SNFH", "color": "#3cb44b"},
                {"value": 3, "name": "ET", "color": "#4363d8"}]},
    {"name": "spine-mets-demo", "version": "1.0", "task": "spine-metastases", "channels": ["t1", "t2"],
     "labels": [{"value": 1, "name": "lesion", "color": [230, 25, 75]}]},
]


class ScriptedServer:
    def __init__(self, result_delay=0.0, fail_segment=None, silent=False):
        self.result_delay, self.fail_segment, self.silent = result_delay, fail_segment, silent
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.received = []  # every message, in order
        self.stream_frames = []
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self):
        self.listener.close()

    # --- plumbing

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self._session(conn)

    def _session(self, conn):
        self.conn, self.version, self.images, self.model, self.stream = conn, 1, {}, None, False
        with conn:
            self._send("STATUS", "", igtl.Status(1).encode())  # a keep-alive: the client must ignore it
            try:
                while True:
                    head = self._read(58)
                    version, mtype, device, ts, size, crc = igtl.unpack_header(head)
                    msg = igtl.unpack_body(version, mtype, device, ts, self._read(size), crc)
                    assert msg.crc_ok
                    self.received.append(msg)
                    self.version = max(self.version, version)
                    if not self.silent:
                        self._handle(msg)
            except (EOFError, OSError):
                pass

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.conn.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def _send(self, mtype, device, content, metadata=None, timestamp=0):
        v = getattr(self, "version", 1)
        msg = igtl.Message(mtype, device, content, timestamp, v, dict(metadata or {}) if v == 2 else {})
        self.conn.sendall(msg.pack())

    # --- the conventions

    def _handle(self, msg):
        if msg.type == "IMAGE":
            self.images[msg.device.lower()] = (igtl.Image.decode(msg.content), msg.timestamp)
            if self.stream:
                self.stream_frames.append(self.images[msg.device.lower()][0].pixels.copy())
                self._results(msg.device)
        elif msg.type == "STRING" and msg.device.startswith("CMD_"):
            text = igtl.String.decode(msg.content).text
            name, _, args = text.partition(" ")
            reply = self._command(name, json.loads(args) if args else {})
            self._send("STRING", "ACK_" + msg.device[4:], igtl.String(json.dumps(reply)).encode())
            self._after(name, reply)
        elif msg.type == "COMMAND":
            cmd = igtl.Command.decode(msg.content)
            reply = self._command(cmd.name, json.loads(cmd.text) if cmd.text else {})
            self._send("RTS_COMMAND", msg.device, igtl.Command(cmd.command_id, cmd.name, json.dumps(reply)).encode(),
                       {"Status": reply["status"]})
            self._after(cmd.name, reply)

    def _command(self, name, args):
        ok = {"status": "SUCCESS", "command": name}
        if name == "GetModels":
            return dict(ok, models=MODELS, capabilities=["segmentation"])
        if name in ("Auto", "Stream"):
            if name == "Stream":
                self.stream = bool(args.get("enabled"))
            return dict(ok, enabled=bool(args.get("enabled")))
        if name == "Segment":
            self.model = args.get("model")
            return dict(ok, job=7)
        return {"status": "FAIL", "command": name, "error": "unknown command " + name}

    def _after(self, name, reply):
        if name == "Segment":
            if self.fail_segment:
                self._send("STATUS", "t1c_seg", igtl.Status(13, self.fail_segment, 0, "NOT_READY").encode())
            else:
                self._results("t1c")

    def _results(self, trigger):
        time.sleep(self.result_delay)
        model = next(m for m in MODELS if m["name"] == (self.model or "brain-mets-demo"))
        ref = model["channels"][0]
        image, timestamp = self.images[ref]
        px = image.pixels
        labels = np.where(px > 100, 3, np.where(px > 50, 2, 0)).astype(np.uint8)
        out = ref + "_seg"
        seg = igtl.Image(labels, image.t, image.s, image.n, image.p, image.dims, image.coordinate)
        self._send("IMAGE", out, seg.encode(), {"lesionlink.model": model["name"]}, timestamp)
        meta = [igtl.LabelMeta(l["name"], out, l["value"], (60, 180, 75, 255) if l["value"] == 2 else (67, 99, 216, 255),
                               image.dims, out) for l in model["labels"]]
        self._send("LBMETA", out, igtl.encode_lbmeta(meta))
        for value, name in ((2, "SNFH"), (3, "ET")):
            if np.any(labels == value):
                tri = igtl.PolyData(np.array([[0, 0, 0], [1, 0, 0], [0, 1, float(value)]], np.float32),
                                    polygons=igtl.CellArray.of(np.array([[0, 1, 2]])))
                self._send("POLYDATA", "%s_%s" % (out, name), tri.encode())
        rep = {"model": {"name": model["name"], "version": "1.0"}, "lesionCount": 1,
               "lesions": [{"id": 1, "volumeMl": float(np.count_nonzero(labels)) / 1000,
                            "labelVolumesMl": {"SNFH": float(np.sum(labels == 2)) / 1000,
                                               "ET": float(np.sum(labels == 3)) / 1000},
                            "longestDiameterMm": 5.0, "centroidRas": [1, 2, 3]}]}
        self._send("STRING", ref + "_report", igtl.String(json.dumps(rep)).encode())
        self._send("STATUS", out, igtl.Status(1, "done: 1 lesions in 1 ms").encode())
