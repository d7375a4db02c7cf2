"""HTTP/1.1 server for the scoring script (standard library only).

Routes:
  GET /             liveness: 200 "Healthy" while the process runs, whatever init() did.
  GET /readyz       readiness: 200 once init() succeeded; 503 {"message": ...} while it runs
                    or after it (or the import of the script) failed.
  GET /swagger.json the OpenAPI 2.0 document (see swagger.py).
  /score            POST (and GET/OPTIONS, as on Azure) -> run(); see script.py.
  anything else     404 {"message": ...}.

The listener starts before init() runs, so liveness and readiness answer during a long
init(); /score answers 503 until init() has succeeded. A failed init() does not end the
process (the router would only restart it into the same failure): the process stays up
and reports the failure on /readyz and /score.

Every response carries Content-Length and connections are kept alive (HTTP/1.1); each
connection has its own thread, so as many run() calls proceed at once as the router
lets in (it enforces max_concurrent_requests_per_instance).
"""

import http.server
import json
import logging
import os
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
import urllib.parse
import uuid

from . import aml, serialize, swagger
from .http_types import Headers
from .script import FAILED, READY, ClientError, RunFailed, ScoringScript

SERVER_NAME = "scoregate-inference-host"
_NOT_READY = {
    False: "The scoring script is still starting (init() has not finished).",
    True: "The scoring script did not start: its deployment's logs say why.",
}
MAX_HEADER_ID = 100  # Azure's limit on x-request-id and friends


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True  # a stuck run() must not keep the process from exiting
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, script):
        self.script = script
        super().__init__(address, _Handler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name (getfqdn), which can stall on a
        # machine with slow DNS; the name is not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """The router's way in (SCOREGATE_SOCKET): a socket in a folder only its user can enter, so no
    other local user can call the host past the router's keys or take its address over."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, path, script):
        self.script = script
        if os.path.exists(path):
            os.unlink(path)  # left by a previous run in the router's own folder
        super().__init__(path, _UnixHandler)
        self.server_name, self.server_port = "localhost", 80


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = SERVER_NAME
    sys_version = ""

    # ---- plumbing ----
    def version_string(self):
        return SERVER_NAME

    def log_request(self, code="-", size="-"):
        pass  # _send writes the access line (without the query string)

    def log_message(self, fmt, *args):
        # Only malformed requests reach this (our own access lines are written in _send).
        sys.stderr.write("%s: %s %s\n" % (SERVER_NAME, self.address_string(), fmt % args))

    def _read_body(self):
        """The request body (Content-Length or chunked); None if it cannot be read."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    return None
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    return None
                if size == 0:
                    while True:  # trailers, up to the blank line
                        trailer = self.rfile.readline(65537)
                        if trailer in (b"\r\n", b"\n", b""):
                            break
                    return b"".join(chunks)
                chunk = self.rfile.read(size)
                if len(chunk) != size:
                    return None
                chunks.append(chunk)
                self.rfile.readline(3)  # the CRLF after the chunk
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            n = int(length)
        except ValueError:
            return None
        if n < 0:
            return None
        data = self.rfile.read(n)
        return data if len(data) == n else None

    def _send(self, status, body=b"", content_type="application/json", headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        if status < 200 or status in (204, 304):
            body = b""  # these statuses have no body; bytes sent anyway would corrupt the next response
        # A header value HTTP cannot carry (outside Latin-1) is dropped before anything is written,
        # so a bad header never leaves a half-written response on the connection.
        headers = [(k, v) for k, v in (headers or []) if _encodable(k) and _encodable(v)]
        self.send_response(status)
        sent = set()
        for name, value in (headers or []):
            # A CR or LF from a script's header would split the response: replace them.
            name, value = _clean(name), _clean(value)
            lname = name.lower()
            if not name or lname in ("content-length", "transfer-encoding", "connection", "date", "server"):
                continue  # framing belongs to the host
            self.send_header(name, value)
            sent.add(lname)
        if "content-type" not in sent and content_type:
            self.send_header("Content-Type", content_type)
        for name, value in self._request_ids:
            if name.lower() not in sent:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        # Headers and body leave in one write: two small writes on a kept-alive connection
        # meet Nagle's algorithm and delayed ACKs (about 40 ms per request).
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD" and body:
            self._headers_buffer.append(body)
        self.flush_headers()
        # Access line: method, path without the query (it may carry data), status, time.
        elapsed = (time.monotonic() - self._started) * 1000
        path = self.path.split("?", 1)[0]
        if path != "/" and path != "/readyz":  # probes are frequent and say nothing
            sys.stdout.write("%s: %s %s %d %.1fms %d\n" % (SERVER_NAME, self.command, path, status, elapsed, len(body)))

    def _json(self, status, obj, headers=None):
        self._send(status, json.dumps(obj), "application/json", headers)

    def _ids(self):
        """Echo Azure's request-id headers so logs on both sides can be matched."""
        request_id = self.headers.get("x-request-id") or str(uuid.uuid4())
        ids = [("x-request-id", request_id[:MAX_HEADER_ID])]
        client_id = self.headers.get("x-ms-client-request-id")
        legacy_id = self.headers.get("x-ms-request-id") or client_id or request_id
        ids.append(("x-ms-request-id", legacy_id[:MAX_HEADER_ID]))
        if client_id:
            ids.append(("x-ms-client-request-id", client_id[:MAX_HEADER_ID]))
        return ids

    # ---- dispatch ----
    def _handle(self):
        self._started = time.monotonic()
        self._request_ids = self._ids()
        body = self._read_body()
        if body is None:
            self.close_connection = True
            self._json(400, {"message": "The request body could not be read (bad Content-Length or chunking)."})
            return
        split = urllib.parse.urlsplit(self.path)
        path = split.path or "/"
        method = self.command
        try:
            if path == "/":
                if method in ("GET", "HEAD"):
                    self._send(200, "Healthy", "text/plain; charset=utf-8")
                else:
                    self._json(405, {"message": "Method not allowed"}, [("Allow", "GET, HEAD")])
            elif path == "/readyz":
                self._readyz(method)
            elif path == "/swagger.json":
                self._swagger(method, split.query)
            elif path == "/score":
                self._score(method, path, split.query, body)
            else:
                self._json(404, {"message": "Not found: %s" % path})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as ex:  # a bug here must not kill the connection thread silently
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            try:
                self._json(500, {"message": "scoregate-inference-host internal error: %s" % ex})
            except OSError:
                pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle

    def _readyz(self, method):
        if method not in ("GET", "HEAD"):
            self._json(405, {"message": "Method not allowed"}, [("Allow", "GET, HEAD")])
            return
        state, message = self.server.script.snapshot()
        if state == READY:
            self._json(200, {"message": "ready"})
        else:
            self._json(503, {"message": message})

    def _swagger(self, method, query):
        if method not in ("GET", "HEAD"):
            self._json(405, {"message": "Method not allowed"}, [("Allow", "GET, HEAD")])
            return
        version = urllib.parse.parse_qs(query).get("version", ["2"])[0]
        if version not in ("2", "2.0"):
            self._json(404, {"message": "Swagger version [%s] is not supported. Supported versions: [2]." % version})
            return
        script = self.server.script
        state, message = script.snapshot()
        if script.run_function is None and state == FAILED:
            doc = swagger.user_swagger(script.app_root)
            if doc is None:
                self._json(503, {"message": _NOT_READY[True]})
                return
        else:
            doc = swagger.build(script)
        self._send(200, serialize.dumps(doc), "application/json")

    def _score(self, method, path, query, body):
        script = self.server.script
        state, message = script.snapshot()
        if state != READY:
            # The reason (a traceback's last line may hold paths or secrets) is for the operator: /readyz and the log.
            self._json(503, {"message": _NOT_READY[state == FAILED]})
            return
        slots = self.server.slots
        if slots is not None and not slots.acquire(blocking=False):
            # The router holds each instance to max_concurrent_requests_per_instance, but a run() it
            # gave up on (its timeout) still runs here: refuse rather than pile them up.
            self._json(503, {"message": "busy: max_concurrent_requests_per_instance run() calls are still running"})
            return
        try:
            self._score_ready(method, path, query, body, script)
        finally:
            if slots is not None:
                slots.release()

    def _score_ready(self, method, path, query, body, script):
        headers = Headers(self.headers.items())
        request = aml.AMLRequest(method, path, query, headers, body,
                                 remote_addr=self.client_address[0] if isinstance(self.client_address, tuple) else "127.0.0.1",
                                 scheme=(self.headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip(),
                                 server=(self.server.server_name, self.server.server_port))
        try:
            kwargs = script.build_arguments(request)
        except ClientError as ex:
            if ex.status == 200:  # OPTIONS to a non-rawhttp run(), as Azure answers
                self._send(200, b"", None)
            elif ex.status == 405:
                allow = "GET, POST, OPTIONS"
                self._json(405, {"message": ex.message}, [("Allow", allow)])
            else:
                self._json(ex.status, {"message": ex.message})
            return
        started = time.monotonic()
        try:
            result = script.invoke(kwargs)
        except RunFailed as ex:
            # Whatever run() raised, even a Werkzeug-style 4xx from reading the request, is a
            # run failure, as on Azure; the router reports it as 424.
            sys.stderr.write("%s: run() raised %s\n" % (SERVER_NAME, ex.message))
            traceback.print_exception(type(ex.original), ex.original, ex.original.__traceback__, file=sys.stderr)
            sys.stderr.flush()
            self._json(500, {"message": ex.message}, [("x-ms-run-function-failed", "True")])
            return
        elapsed = "%.3f" % ((time.monotonic() - started) * 1000)
        self._respond_with_result(result, elapsed)

    def _respond_with_result(self, result, elapsed):
        if _looks_like_response(result):
            status = int(getattr(result, "status_code", 200))
            headers = _response_headers(result)
            headers.append(("x-ms-run-fn-exec-ms", elapsed))
            if status >= 500 and not any(k.lower() == "x-ms-run-function-failed" for k, _ in headers):
                headers.append(("x-ms-run-function-failed", "True"))
            elif status >= 500:
                headers = [(k, "True") if k.lower() == "x-ms-run-function-failed" else (k, v) for k, v in headers]
            data = result.get_data()
            self._send(status, data if isinstance(data, bytes) else str(data).encode("utf-8"), None, headers)
            return
        try:
            payload = serialize.dumps(result)
        except (TypeError, ValueError) as ex:
            message = "run() returned a value that cannot be sent as JSON: %s: %s" % (type(ex).__name__, ex)
            sys.stderr.write("%s: %s\n" % (SERVER_NAME, message))
            self._json(500, {"message": message}, [("x-ms-run-function-failed", "True")])
            return
        self._send(200, payload, "application/json",
                   [("x-ms-run-function-failed", "False"), ("x-ms-run-fn-exec-ms", elapsed)])


class _UnixHandler(_Handler):
    disable_nagle_algorithm = False  # no TCP here

    def address_string(self):
        return "router"


def _encodable(text):
    try:
        str(text).encode("latin-1")
        return True
    except UnicodeEncodeError:
        return False


def _clean(text):
    return str(text).replace("\r", " ").replace("\n", " ").strip()


def _looks_like_response(obj):
    """Our AMLResponse, or a Flask/Werkzeug response a real azureml package built."""
    if isinstance(obj, aml.AMLResponse):
        return True
    return hasattr(obj, "status_code") and hasattr(obj, "headers") and callable(getattr(obj, "get_data", None))


def _response_headers(result):
    headers = result.headers
    if hasattr(headers, "to_wsgi_list"):
        return [(str(k), str(v)) for k, v in headers.to_wsgi_list()]
    if hasattr(headers, "items"):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def _line_buffered():
    """Logs must reach the router as they happen, whether or not python ran with -u."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)
        except (AttributeError, ValueError):
            pass


def _script_logging():
    """A script's logging.info() reaches `deployment logs`, as on Azure, whose server logs at INFO.

    Only when the root logger has no handler yet: a script (or a package) that sets up logging keeps its own.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _exit_with_parent():
    """Started by the router: when it dies without stopping us (SIGKILL, a crash), go too, rather
    than serve on as an orphan that a restarted router would start a second copy beside."""
    if not os.environ.get("SCOREGATE_SOCKET"):
        return
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        print("%s: the router is gone; stopping" % SERVER_NAME, file=sys.stderr, flush=True)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main():
    _line_buffered()
    _script_logging()
    port_text = os.environ.get("PORT", "")
    socket_path = os.environ.get("SCOREGATE_SOCKET", "")
    try:
        port = int(port_text) if not socket_path else 0
    except ValueError:
        print("%s: PORT must be a port number (got %r)" % (SERVER_NAME, port_text), file=sys.stderr)
        return 2
    app_root = os.environ.get("AML_APP_ROOT") or os.getcwd()
    entry = os.environ.get("AZUREML_ENTRY_SCRIPT") or os.environ.get("AML_ENTRY_SCRIPT") or "score.py"
    model_dir = os.environ.get("AZUREML_MODEL_DIR", "")
    print("%s: entry script %s (code folder %s), AZUREML_MODEL_DIR=%s, port %d, Python %s at %s"
          % (SERVER_NAME, entry, app_root, model_dir or "(not set)", port, sys.version.split()[0], sys.executable), flush=True)

    script = ScoringScript(app_root, entry)
    where = ("unix:" + socket_path) if socket_path else ("http://127.0.0.1:%d" % port)
    try:
        httpd = _UnixServer(socket_path, script) if socket_path else _Server(("127.0.0.1", port), script)
    except OSError as ex:
        print("%s: cannot listen on %s: %s" % (SERVER_NAME, where, ex), file=sys.stderr)
        return 1
    limit = os.environ.get("SCOREGATE_MAX_CONCURRENT_REQUESTS", "")
    httpd.slots = threading.BoundedSemaphore(int(limit)) if limit.isdigit() and int(limit) > 0 else None
    serving = threading.Thread(target=httpd.serve_forever, name="http", daemon=True)
    serving.start()
    print("%s: listening on %s" % (SERVER_NAME, where), flush=True)
    _exit_with_parent()

    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()
        raise KeyboardInterrupt  # also interrupts a long init()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        # init() runs on the main thread (some libraries insist on it) while the listener serves probes.
        script.start()
        while not stop.wait(3600):
            pass
    except KeyboardInterrupt:
        pass
    print("%s: stopping" % SERVER_NAME, flush=True)
    httpd.shutdown()
    httpd.server_close()
    return 0
