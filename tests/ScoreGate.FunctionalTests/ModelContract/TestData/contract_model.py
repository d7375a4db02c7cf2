#!/usr/bin/python3
"""A model server for ScoreGate's model contract tests, standard library only.

Usage: contract_model.py PORT. Prints "listening PORT" once it accepts connections.
The behaviour is chosen by the query parameter `case` (the router forwards the query string);
every answer is HTTP/1.1 with keep-alive unless the case says otherwise.
"""
import hashlib
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = bytearray()
            while True:
                line = self.rfile.readline()
                size = int(line.split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length else b""

    def send_raw(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def answer(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.send_raw(body)

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        case = query.get("case", ["echo"])[0]
        body = self.read_body()
        if case == "echo":
            answer = {
                "method": self.command,
                "path": url.path,
                "query": url.query,
                "headers": [[name, value] for name, value in self.headers.items()],
                "length": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
                "body": body.decode("utf-8", "replace") if len(body) <= 4096 else None,
                "peer_port": self.client_address[1],
            }
            self.answer(200, json.dumps(answer).encode())
        elif case == "close-delimited":
            # HTTP/1.0 style: no Content-Length, no chunked; the end of the body is the close.
            payload = b"".join(b"line %05d of a close-delimited body\n" % i for i in range(2000))
            self.send_raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
            for start in range(0, len(payload), 7000):
                self.send_raw(payload[start:start + 7000])
            self.close_connection = True
        elif case == "chunked":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
            out = bytearray(head)
            for i in range(500):
                piece = b"chunk-%03d;" % i
                out += b"%x;ext=%d;quoted=\"a b\"\r\n%s\r\n" % (len(piece), i, piece)
                if len(out) > 4000:
                    self.send_raw(bytes(out))
                    out = bytearray()
            out += b"0;last=yes\r\nX-Checksum: abc123\r\nX-Other-Trailer: 1\r\n\r\n"
            self.send_raw(bytes(out))
        elif case == "slow":
            time.sleep(float(query.get("seconds", ["30"])[0]))
            self.answer(200, b'{"slow": true}')
        elif case == "interim":
            # Interim responses before the final one: the router must skip them.
            self.send_raw(b"HTTP/1.1 100 Continue\r\n\r\n"
                          b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n")
            self.answer(200, b'{"after": "interim"}')
        elif case == "headers":
            self.send_raw(b"HTTP/1.1 200 OK\r\n"
                          b"Content-Type: application/json\r\n"
                          b"Set-Cookie: a=1; Path=/\r\n"
                          b"Set-Cookie: b=2; Path=/; HttpOnly\r\n"
                          b"X-Empty:\r\n"
                          b"X-Padded:    padded value   \r\n"
                          b"X-Latin: caf\xe9\r\n"
                          b"X-Multi: one\r\n"
                          b"X-Multi: two\r\n"
                          b"Content-Length: 14\r\n\r\n"
                          b'{"headers": 1}')
        elif case == "204":
            self.send_raw(b"HTTP/1.1 204 No Content\r\nX-Case: 204\r\n\r\n")
        elif case == "304":
            # A 304 describes a representation: its Content-Length is the representation's, no body follows.
            self.send_raw(b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 50\r\n\r\n")
        elif case == "500":
            self.answer(500, b'{"error": "model exploded", "detail": "on purpose"}', extra=[("X-Model", "python")])
        else:
            self.answer(400, json.dumps({"unknown case": case}).encode())


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("listening %d" % port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
