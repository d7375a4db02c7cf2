"""Runs the real host as a subprocess on a free port, for the tests to talk HTTP/1.1 to."""

import http.client
import json
import os
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST_DIR = os.path.dirname(HERE)
HOST = os.path.join(HOST_DIR, "scoregate_inference_host.py")
SCRIPTS = os.path.join(HERE, "scripts")
# Debian's interpreter: it has numpy, pandas, scikit-learn and joblib (the pyenv one on PATH does not).
PYTHON = "/usr/bin/python3"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def read(conn_response):
    body = conn_response.read()
    return Response(conn_response.status, conn_response.getheaders(), body)


class Host:
    def __init__(self, code_dir, entry, model_dir=None, env=None):
        self.code_dir = code_dir
        self.entry = entry
        self.model_dir = model_dir
        self.extra_env = env or {}
        self.port = None
        self.process = None
        self._out = self._err = None

    def start(self, wait_ready=True, timeout=60):
        self.port = free_port()
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        env.update({
            "PORT": str(self.port),
            "AZUREML_ENTRY_SCRIPT": self.entry,
            "AML_APP_ROOT": self.code_dir,
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        if self.model_dir:
            env["AZUREML_MODEL_DIR"] = self.model_dir
        env.update(self.extra_env)
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self.process = subprocess.Popen([PYTHON, HOST], cwd=self.code_dir, env=env,
                                        stdout=self._out, stderr=self._err)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError("host exited with %s\n%s" % (self.process.returncode, self.logs()))
            try:
                if self.request("GET", "/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("host did not answer GET /\n%s" % self.logs())
            time.sleep(0.05)
        if wait_ready:
            self.wait_ready(deadline - time.monotonic())
        return self

    def wait_ready(self, timeout=60):
        """Until /readyz says anything but "still running" (ready, or a failure)."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.request("GET", "/readyz")
            if r.status == 200 or "still running" not in r.json().get("message", ""):
                return r
            if time.monotonic() > deadline:
                raise AssertionError("init() did not finish\n%s" % self.logs())
            time.sleep(0.05)

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            return read(conn.getresponse())
        finally:
            conn.close()

    def post_json(self, path, obj, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", path, json.dumps(obj).encode("utf-8"), h)

    def logs(self):
        out = []
        for name, f in (("stdout", self._out), ("stderr", self._err)):
            if f is not None:
                f.flush()
                f.seek(0)
                out.append("--- %s ---\n%s" % (name, f.read().decode("utf-8", "replace")))
        return "\n".join(out)

    def stdout(self):
        self._out.seek(0)
        return self._out.read().decode("utf-8", "replace")

    def stderr(self):
        self._err.seek(0)
        return self._err.read().decode("utf-8", "replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        for f in (self._out, self._err):
            if f is not None:
                f.close()
