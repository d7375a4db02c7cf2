"""ScoreGate's AMLRequest, AMLResponse and @rawhttp.

Azure ML's server hands a @rawhttp ``run`` a Flask request and accepts a Flask response
back. Scripts only use a small part of that surface, so these classes provide that
part (listed in README.md) over the raw bytes the host received. The shims under
``shims/azureml/...`` re-export these names so ``from azureml.contrib.services.aml_request
import AMLRequest, rawhttp`` works without Flask.
"""

import email.parser
import email.policy
import io
import json
import urllib.parse
from http.cookies import SimpleCookie

from .http_types import FileStorage, Headers, MultiDict
from .serialize import dumps

# Marks a run() as wanting the raw request. A function attribute (not only a module
# flag as Azure's server keeps) so the host can tell which function asked for it.
RAWHTTP_ATTR = "__scoregate_rawhttp__"
_rawHttpRequested = False


def rawhttp(func):
    """Decorator: ``run`` receives the AMLRequest instead of the body as a string."""
    global _rawHttpRequested
    _rawHttpRequested = True
    try:
        setattr(func, RAWHTTP_ATTR, True)
    except (AttributeError, TypeError):
        pass  # a callable that refuses attributes; the module flag still records it
    return func


class RequestError(Exception):
    """Raised, like Werkzeug's HTTP errors, when the script reads the request in a way it cannot
    be read. It is a run() failure for the host (500), as it is on Azure."""

    code = 400

    def __init__(self, description):
        super().__init__(description)
        self.description = description


class BadRequest(RequestError):
    code = 400


class UnsupportedMediaType(RequestError):
    code = 415


def _mimetype(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def _is_json_mimetype(mimetype):
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


class AMLRequest:
    """The request a @rawhttp run() receives: the Flask/Werkzeug attributes scripts use."""

    def __init__(self, method="GET", path="/", query_string=b"", headers=None, body=b"",
                 remote_addr=None, scheme="http", server=None):
        self.method = method.upper()
        self.path = path
        if isinstance(query_string, str):
            query_string = query_string.encode("latin-1")
        self.query_string = query_string
        self.headers = headers if isinstance(headers, Headers) else Headers(headers or [])
        self._body = bytes(body or b"")
        self.remote_addr = remote_addr
        self.scheme = scheme
        self._server = server
        self._json_cache = None
        self._json_parsed = False
        self._form = None
        self._files = None
        self.args = MultiDict(urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))

    # ---- URL pieces (Werkzeug names) ----
    @property
    def host(self):
        return self.headers.get("Host") or (("%s:%s" % self._server) if self._server else "localhost")

    @property
    def full_path(self):
        return "%s?%s" % (self.path, self.query_string.decode("latin-1"))

    @property
    def host_url(self):
        return "%s://%s/" % (self.scheme, self.host)

    @property
    def base_url(self):
        return "%s://%s%s" % (self.scheme, self.host, self.path)

    @property
    def url(self):
        qs = self.query_string.decode("latin-1")
        return self.base_url + ("?" + qs if qs else "")

    @property
    def url_root(self):
        return self.host_url

    @property
    def environ(self):
        env = {
            "REQUEST_METHOD": self.method,
            "PATH_INFO": self.path,
            "QUERY_STRING": self.query_string.decode("latin-1"),
            "REMOTE_ADDR": self.remote_addr or "",
            "wsgi.url_scheme": self.scheme,
            "CONTENT_TYPE": self.content_type or "",
            "CONTENT_LENGTH": str(len(self._body)),
        }
        for name, value in self.headers:
            key = "HTTP_" + name.upper().replace("-", "_")
            env[key] = value if key not in env else env[key] + "," + value
        return env

    # ---- body ----
    @property
    def content_type(self):
        return self.headers.get("Content-Type")

    @property
    def mimetype(self):
        return _mimetype(self.content_type)

    @property
    def content_length(self):
        return len(self._body)

    @property
    def content_encoding(self):
        return self.headers.get("Content-Encoding")

    @property
    def is_json(self):
        return _is_json_mimetype(self.mimetype)

    @property
    def user_agent(self):
        return self.headers.get("User-Agent", "")

    @property
    def cookies(self):
        jar = SimpleCookie()
        for value in self.headers.getlist("Cookie"):
            try:
                jar.load(value)
            except Exception:  # a malformed cookie header is not the script's problem
                pass
        return MultiDict((k, m.value) for k, m in jar.items())

    def get_data(self, cache=True, as_text=False, parse_form_data=False):
        """The raw body; ``as_text`` decodes it as UTF-8 (invalid bytes replaced, as Werkzeug does)."""
        if as_text:
            return self._body.decode("utf-8", "replace")
        return self._body

    @property
    def data(self):
        return self._body

    @property
    def stream(self):
        return io.BytesIO(self._body)

    def get_json(self, force=False, silent=False, cache=True):
        """The body parsed as JSON; like Flask 2+, refuses a non-JSON Content-Type unless ``force``."""
        if self._json_parsed:
            return self._json_cache
        if not (force or self.is_json):
            if silent:
                return None
            raise UnsupportedMediaType("Did not attempt to load JSON data because the request "
                                       "Content-Type was not 'application/json'.")
        try:
            value = json.loads(self._body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as ex:
            if silent:
                return None
            raise BadRequest("The request body is not valid JSON: %s" % ex) from None
        self._json_cache, self._json_parsed = value, True
        return value

    @property
    def json(self):
        return self.get_json()

    # ---- forms (parsed on first use only) ----
    def _parse_form(self):
        form, files = MultiDict(), MultiDict()
        mimetype = self.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            for k, v in urllib.parse.parse_qsl(self._body.decode("utf-8", "replace"), keep_blank_values=True):
                form.add(k, v)
        elif mimetype == "multipart/form-data":
            head = ("Content-Type: %s\r\nMIME-Version: 1.0\r\n\r\n" % self.content_type).encode("latin-1")
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self._body)
            if message.is_multipart():
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    filename = part.get_filename()
                    payload = part.get_payload(decode=True) or b""
                    if filename is not None:
                        part_headers = Headers(list(part.items()))
                        files.add(name, FileStorage(payload, filename, name, part.get_content_type(), part_headers))
                    else:
                        charset = part.get_content_charset() or "utf-8"
                        form.add(name, payload.decode(charset, "replace"))
        self._form, self._files = form, files

    @property
    def form(self):
        if self._form is None:
            self._parse_form()
        return self._form

    @property
    def files(self):
        if self._files is None:
            self._parse_form()
        return self._files

    @property
    def values(self):
        merged = MultiDict(self.args.items(multi=True))
        for k, v in self.form.items(multi=True):
            merged.add(k, v)
        return merged

    def __repr__(self):
        return "<AMLRequest %s %r>" % (self.method, self.url)


class AMLResponse:
    """A response built by run(): its body, its status and its headers go to the client as they are.

    ``AMLResponse(message, status_code, response_headers=None, json_str=False)``:
    ``None`` sends ``{}``; ``json_str=True`` sends ``message`` as JSON; ``str``/``bytes`` are
    sent as they are (Flask's default Content-Type ``text/html; charset=utf-8`` unless the
    headers name one); any other value is sent as JSON. As on Azure, a header value with
    commas becomes one header line per comma-separated item.
    """

    default_mimetype = "text/html"

    def __init__(self, message, status_code=200, response_headers=None, json_str=False, run_function_failed=False):
        self.status_code = int(status_code)
        self.headers = Headers()
        response_headers = response_headers or {}
        if message is None:
            body, content_type = b"{}", "application/json"
        elif json_str:
            body, content_type = dumps(message).encode("utf-8"), "application/json"
        elif isinstance(message, (bytes, bytearray, memoryview)):
            body, content_type = bytes(message), "text/html; charset=utf-8"
        elif isinstance(message, str):
            body, content_type = message.encode("utf-8"), "text/html; charset=utf-8"
        else:
            body, content_type = dumps(message).encode("utf-8"), "application/json"
        self._body = body
        names = [str(k).lower() for k in response_headers]
        if "content-type" not in names:
            self.headers.set("Content-Type", content_type)
        self.headers.set("x-ms-run-function-failed", str(bool(run_function_failed)))
        for name, value in response_headers.items():
            for item in str(value).split(","):
                self.headers.add(str(name), item.strip())

    @property
    def status(self):
        return str(self.status_code)

    def get_data(self, as_text=False):
        return self._body.decode("utf-8", "replace") if as_text else self._body

    def set_data(self, value):
        self._body = value.encode("utf-8") if isinstance(value, str) else bytes(value)

    data = property(get_data, set_data)

    @property
    def content_type(self):
        return self.headers.get("Content-Type")

    @content_type.setter
    def content_type(self, value):
        self.headers.set("Content-Type", value)

    @property
    def mimetype(self):
        return _mimetype(self.content_type)

    @mimetype.setter
    def mimetype(self, value):
        self.headers.set("Content-Type", value)

    def __repr__(self):
        return "<AMLResponse %d, %d bytes>" % (self.status_code, len(self._body))
