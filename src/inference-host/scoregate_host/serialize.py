"""JSON for whatever run() returns.

Azure ML's server sends ``json.dumps(run_output)``; this does the same and also accepts
what scoring scripts typically return without converting first:

* numpy arrays -> nested lists (``tolist()``); numpy scalars -> Python numbers;
* pandas DataFrame -> list of records (one object per row); Series -> list;
* datetime/date/time -> ISO 8601 strings; Decimal -> number; set/frozenset -> list;
* bytes/bytearray -> base64 string (the encoding inference_schema uses for bytes).

A ``str`` is sent as a JSON string, so a script that returns ``json.dumps(x)`` gets a
JSON string back, as it does on Azure. NaN/Infinity are written as Python writes them
(``NaN``), also as on Azure. numpy and pandas are never imported here: an object of
those types can only exist if the script already imported them.
"""

import base64
import datetime
import decimal
import json


def _type_module(obj):
    return type(obj).__module__.split(".")[0]


def default(obj):
    module = _type_module(obj)
    if module == "numpy":
        if hasattr(obj, "tolist"):
            return obj.tolist()  # ndarray -> list; numpy scalar -> Python scalar
    if module == "pandas":
        name = type(obj).__name__
        if name == "DataFrame":
            return obj.to_dict(orient="records")
        if name in ("Series", "Index") or hasattr(obj, "tolist"):
            return obj.tolist()
        if hasattr(obj, "isoformat"):  # Timestamp
            return obj.isoformat()
        if name in ("NaTType", "NAType"):
            return None
    if isinstance(obj, (datetime.datetime, datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, datetime.timedelta):
        return obj.total_seconds()
    if isinstance(obj, decimal.Decimal):
        return float(obj)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def dumps(obj):
    return json.dumps(obj, default=default)
