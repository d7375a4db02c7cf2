"""Loading the user's scoring script and calling its init() and run().

How run() is called follows Azure ML's inference server:

* ``@rawhttp`` run: gets an AMLRequest (any of GET, POST, OPTIONS reach it).
* run decorated with ``@input_schema``: the POST body must be a JSON object; each of
  run's parameters is taken from the key of the same name (a parameter with a default
  may be left out) and run is called with keyword arguments, so the decorators convert
  the values. A missing parameter, a body that is not a JSON object, or invalid JSON is
  the client's error: 400 (as on Azure). An explicit non-JSON Content-Type is 415 (Azure
  also refuses a missing one; ScoreGate accepts a missing one). A value the decorator
  cannot convert (wrong shape, wrong type) raises ValueError inside run: 500, as on Azure,
  which the router reports to the client as 424.
* otherwise: run gets the body decoded as UTF-8 (invalid UTF-8: 400).
* GET without @rawhttp: the query arguments stand for the JSON body (each value parsed
  as JSON when it is JSON, repeated names become lists), as on Azure. OPTIONS: 200.
* a run() parameter named ``request_headers`` receives the request headers as a dict.
"""

import importlib
import importlib.util
import inspect
import json
import os
import sys
import threading
import time
import traceback

from . import aml

STARTING, READY, FAILED = "starting", "ready", "failed"


class ClientError(Exception):
    """The request cannot be given to run(): answered with ``status`` and ``message``."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class RunFailed(Exception):
    """run() raised; ``message`` is "<ExceptionType>: <message>"."""

    def __init__(self, message, original):
        super().__init__(message)
        self.message = message
        self.original = original


def describe(ex):
    text = str(ex)
    described = "%s: %s" % (type(ex).__name__, text) if text else type(ex).__name__
    if isinstance(ex, ImportError):
        # The usual cause: the interpreter the router runs lacks the model's packages.
        described += (" (the interpreter is %s: install the package into it, or set the router's"
                      " pythonCommand setting to an interpreter that has it)" % sys.executable)
    return described


def _parse_query_value(value):
    try:
        return json.loads(value)
    except ValueError:
        return value


def _is_json_mimetype(content_type):
    mimetype = (content_type or "").split(";")[0].strip().lower()
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


class ScoringScript:
    """The user's script and its state: starting, ready, or failed (with the reason)."""

    def __init__(self, app_root, entry_script):
        self.app_root = os.path.abspath(app_root)
        self.entry_script = entry_script
        self.path = os.path.join(self.app_root, entry_script) if not os.path.isabs(entry_script) else entry_script
        self.state = STARTING
        self.message = "init() is still running"
        self.module = None
        self.run_function = None
        self.mode = None  # "raw", "schema" or "string"
        self.run_params = []
        self.wants_headers = False
        self._lock = threading.Lock()

    # ---- start-up ----
    def start(self):
        """Import the script and run init(); on failure, record why and print the traceback."""
        if not self._step("the scoring script could not be loaded: ", self._load):
            return
        init = getattr(self.module, "init", None)
        started = time.monotonic()
        if callable(init):
            print("scoregate-inference-host: calling init()", flush=True)
            if not self._step("init() failed: ", init):
                return
        self._set(READY, "ready")
        print("scoregate-inference-host: init() succeeded in %.0f ms; ready"
              % ((time.monotonic() - started) * 1000) if callable(init)
              else "scoregate-inference-host: the script has no init(); ready", flush=True)

    def _step(self, failure, action):
        """Runs one start-up step; anything it raises (SyntaxError, ImportError, SystemExit...) fails the start, with its traceback."""
        try:
            action()
            return True
        except BaseException as ex:
            if isinstance(ex, KeyboardInterrupt):
                raise
            traceback.print_exc(file=sys.stderr)
            self._set(FAILED, failure + describe(ex))
            print("scoregate-inference-host: %s" % self.message, file=sys.stderr, flush=True)
            return False

    def _set(self, state, message):
        with self._lock:
            self.state, self.message = state, message

    def snapshot(self):
        with self._lock:
            return self.state, self.message

    def _load(self):
        script_dir = os.path.dirname(os.path.abspath(self.path))
        # The script's sibling modules and the code folder's packages must import as they do on Azure.
        for folder in (self.app_root, script_dir):
            if folder in sys.path:
                sys.path.remove(folder)
            sys.path.insert(0, folder)
        if not os.path.isfile(self.path):
            raise FileNotFoundError("no scoring script at %s" % self.path)
        name = os.path.splitext(os.path.basename(self.path))[0]
        if not name.isidentifier() or name in sys.modules:
            name = "entry_module"
        spec = importlib.util.spec_from_file_location(name, self.path)
        module = importlib.util.module_from_spec(spec)
        # Registered under its file name so pickles naming the script's classes find them.
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        run = getattr(module, "run", None)
        if not callable(run):
            raise AttributeError("the scoring script %s defines no run() function" % self.entry_script)
        self.module = module
        self.run_function = run
        self._analyze_run()

    def _analyze_run(self):
        run = self.run_function
        params = [p for p in inspect.signature(run).parameters.values()
                  if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        self.wants_headers = any(p.name == "request_headers" for p in params)
        params = [p for p in params if p.name != "request_headers"]
        if not params:
            raise TypeError("run() must accept an argument for the input data")
        raw = self._is_rawhttp(run)
        schema = self._is_schema_decorated(run)
        if raw and schema:
            raise TypeError("run() cannot be decorated with both @rawhttp and @input_schema")
        self.run_params = params
        if raw:
            self.mode = "raw"
        elif schema:
            self.mode = "schema"
        else:
            self.mode = "string"
        print("scoregate-inference-host: run() takes %s" % {
            "raw": "the raw request (@rawhttp)",
            "schema": "keyword arguments %s (@input_schema)" % ", ".join(p.name for p in params),
            "string": "the request body as a string",
        }[self.mode], flush=True)

    @staticmethod
    def _is_rawhttp(run):
        if getattr(run, aml.RAWHTTP_ATTR, False):
            return True
        # A real azureml package (found before the shims) keeps only a module-level flag.
        for name in ("azureml.contrib.services.aml_request", "azureml_inference_server_http.api.aml_request"):
            module = sys.modules.get(name)
            if module is not None and getattr(module, "_rawHttpRequested", False):
                return True
        return False

    @staticmethod
    def _is_schema_decorated(run):
        schema_util = sys.modules.get("inference_schema.schema_util")
        if schema_util is None:
            return False
        try:
            return bool(schema_util.is_schema_decorated(run))
        except Exception:
            return False

    def schemas(self):
        """(input schema, output schema) from inference_schema, or (None, None)."""
        if self.mode != "schema":
            return None, None
        schema_util = sys.modules.get("inference_schema.schema_util")
        try:
            return schema_util.get_input_schema(self.run_function), schema_util.get_output_schema(self.run_function)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return None, None

    # ---- per request ----
    def build_arguments(self, request):
        """The keyword arguments for run() from an AMLRequest, or ClientError."""
        first = self.run_params[0].name
        method = request.method
        if self.mode == "raw":
            if method not in ("GET", "POST", "OPTIONS"):
                raise ClientError(405, "Method not allowed")
            kwargs = {first: request}
        elif method not in ("GET", "POST"):
            raise ClientError(200 if method == "OPTIONS" else 405, "" if method == "OPTIONS" else "Method not allowed")
        elif self.mode == "string":
            if method == "GET":
                kwargs = {first: json.dumps(self._query_as_body(request))}
            else:
                try:
                    kwargs = {first: request.get_data().decode("utf-8")}
                except UnicodeDecodeError as ex:
                    raise ClientError(400, "The request body is not valid UTF-8: %s" % ex) from None
        else:
            body = self._query_as_body(request) if method == "GET" else self._json_object_body(request)
            kwargs = {}
            for param in self.run_params:
                if param.name in body:
                    kwargs[param.name] = body[param.name]
                elif param.default is inspect.Parameter.empty:
                    raise ClientError(400, "A value is not provided for the %r parameter." % param.name)
        if self.wants_headers:
            kwargs["request_headers"] = {k: v for k, v in request.headers.items()}
        return kwargs

    @staticmethod
    def _query_as_body(request):
        body = {}
        for key in request.args.keys():
            values = [_parse_query_value(v) for v in request.args.getlist(key)]
            body[key] = values[0] if len(values) == 1 else values
        return body

    @staticmethod
    def _json_object_body(request):
        content_type = request.content_type
        if content_type and not _is_json_mimetype(content_type):
            raise ClientError(415, "Expects Content-Type to be application/json")
        raw = request.get_data()
        if not raw.strip():
            raise ClientError(400, "The request body is empty. Expecting a JSON object.")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as ex:
            raise ClientError(400, "The request body could not be decoded as JSON: %s" % ex) from None
        if not isinstance(body, dict):
            raise ClientError(400, "The request body should be a JSON object.")
        return body

    def invoke(self, kwargs):
        try:
            return self.run_function(**kwargs)
        except BaseException as ex:
            if isinstance(ex, KeyboardInterrupt):
                raise
            raise RunFailed(describe(ex), ex) from ex
