"""Small Werkzeug-like containers (headers, query args, uploaded files).

Scoring scripts written for Azure ML's Flask-based server touch ``request.headers``,
``request.args`` and sometimes ``request.files``; these classes give them the methods
they commonly call without depending on Werkzeug.
"""


class BadRequestKeyError(KeyError):
    """Raised like Werkzeug's for a missing key in args/form/files (a run() failure for the host)."""

    code = 400

    def __init__(self, key):
        super().__init__(key)
        self.description = "The request has no value for %r." % (key,)


class MultiDict:
    """Ordered (key, value) pairs; indexing and ``get`` return the first value for a key."""

    def __init__(self, pairs=None):
        self._pairs = []
        if pairs is None:
            return
        if hasattr(pairs, "items"):
            pairs = pairs.items()
        for key, value in pairs:
            self._pairs.append((key, value))

    def _match(self, key, other):
        return key == other

    def __getitem__(self, key):
        for k, v in self._pairs:
            if self._match(key, k):
                return v
        raise BadRequestKeyError(key)

    def __contains__(self, key):
        return any(self._match(key, k) for k, _ in self._pairs)

    def __len__(self):
        return len(self.keys())

    def __iter__(self):
        return iter(self.keys())

    def __bool__(self):
        return bool(self._pairs)

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self._pairs)

    def get(self, key, default=None, type=None):  # noqa: A002 - Werkzeug's parameter name
        try:
            value = self[key]
        except KeyError:
            return default
        if type is None:
            return value
        try:
            return type(value)
        except (ValueError, TypeError):
            return default

    def getlist(self, key, type=None):  # noqa: A002
        values = [v for k, v in self._pairs if self._match(key, k)]
        if type is None:
            return values
        converted = []
        for value in values:
            try:
                converted.append(type(value))
            except (ValueError, TypeError):
                pass
        return converted

    def keys(self):
        seen = []
        for k, _ in self._pairs:
            if not any(self._match(k, s) for s in seen):
                seen.append(k)
        return seen

    def values(self):
        return [self[k] for k in self.keys()]

    def items(self, multi=False):
        if multi:
            return list(self._pairs)
        return [(k, self[k]) for k in self.keys()]

    def lists(self):
        return [(k, self.getlist(k)) for k in self.keys()]

    def to_dict(self, flat=True):
        if flat:
            return dict(self.items())
        return dict(self.lists())

    def add(self, key, value):
        self._pairs.append((key, value))

    def __setitem__(self, key, value):
        self.set(key, value)

    def set(self, key, value):
        self._pairs = [(k, v) for k, v in self._pairs if not self._match(key, k)]
        self._pairs.append((key, value))

    def remove(self, key):
        self._pairs = [(k, v) for k, v in self._pairs if not self._match(key, k)]

    def __delitem__(self, key):
        if key not in self:
            raise KeyError(key)
        self.remove(key)


class Headers(MultiDict):
    """HTTP headers: names compare case-insensitively; iteration yields (name, value) like Werkzeug."""

    def _match(self, key, other):
        return str(key).lower() == str(other).lower()

    def __iter__(self):
        return iter(list(self._pairs))

    def __len__(self):
        return len(self._pairs)

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except BadRequestKeyError:
            raise KeyError(key) from None

    def get_all(self, key):
        return self.getlist(key)

    def add_header(self, key, value):
        self.add(key, value)

    def to_wsgi_list(self):
        return list(self._pairs)

    def __eq__(self, other):
        if isinstance(other, Headers):
            return self._pairs == other._pairs
        return NotImplemented


class FileStorage:
    """One uploaded file of a multipart/form-data body (the parts scripts use of Werkzeug's)."""

    def __init__(self, data, filename=None, name=None, content_type=None, headers=None):
        import io

        self.stream = io.BytesIO(data)
        self.filename = filename
        self.name = name
        self.content_type = content_type
        self.mimetype = (content_type or "").split(";")[0].strip().lower()
        self.headers = headers if headers is not None else Headers()

    def read(self, *args):
        return self.stream.read(*args)

    def save(self, dst):
        self.stream.seek(0)
        if hasattr(dst, "write"):
            dst.write(self.stream.read())
            return
        with open(dst, "wb") as f:
            f.write(self.stream.read())

    def __repr__(self):
        return "<FileStorage: %r (%r)>" % (self.filename, self.content_type)
