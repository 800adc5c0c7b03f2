#!/usr/bin/python3
"""OpenIGTLink ping over TLS (or plain TCP), with Python's ssl module: sends GET_STATUS (a version-1 header, empty
body) and waits for the STATUS reply named after the same device; keep-alive STATUS messages are skipped.

usage: igtl_tls_ping.py HOST PORT (plain | CAFILE [CERTFILE KEYFILE])
prints one JSON object: {"status": CODE, "tls": VERSION, "cipher": NAME} or {"error": WHY}
"""
import json
import socket
import ssl
import struct
import sys

HEADER = struct.Struct(">H12s20sQQQ")  # version, type, device, timestamp, body size, CRC-64 (OpenIGTLink header)


def read_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed by the server")
        data += chunk
    return data


def main():
    host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    raw = socket.create_connection((host, port), timeout=15)
    try:
        if mode == "plain":
            s = raw
        else:
            ctx = ssl.create_default_context(cafile=mode)
            ctx.check_hostname = False  # the server certificate is for localhost/127.0.0.1; chain checked, not name
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            if len(sys.argv) > 5:
                ctx.load_cert_chain(sys.argv[4], sys.argv[5])
            s = ctx.wrap_socket(raw, server_hostname=host)
        s.sendall(HEADER.pack(1, b"GET_STATUS", b"TLSPING", 0, 0, 0))
        while True:
            version, mtype, device, _, size, _ = HEADER.unpack(read_exactly(s, HEADER.size))
            body = read_exactly(s, size)
            if mtype.rstrip(b"\0") == b"STATUS" and device.rstrip(b"\0") == b"TLSPING":
                code = struct.unpack(">H", body[:2])[0]
                out = {"status": code}
                if mode != "plain":
                    out["tls"] = s.version()
                    out["cipher"] = s.cipher()[0]
                print(json.dumps(out))
                return
    except (OSError, ConnectionError) as e:
        print(json.dumps({"error": str(e)}))
    finally:
        raw.close()


if __name__ == "__main__":
    main()
