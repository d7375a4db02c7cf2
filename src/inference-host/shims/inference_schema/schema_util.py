"""Where the decorators record schemas, and how the host reads them back (inference-schema's API)."""

import inspect
import threading

_lock = threading.Lock()
# base function -> {"input": {param: swagger}, "input_types": {param: type}, "output": swagger}
_schemas = {}

SUPPORTED_VERSIONS = ["2.0", "3.0", "3.1"]


def base_function(func):
    """The undecorated function under any functools.wraps-style decorators."""
    seen = set()
    while hasattr(func, "__wrapped__") and id(func) not in seen:
        seen.add(id(func))
        func = func.__wrapped__
    return func


def _entry(func):
    base = base_function(func)
    with _lock:
        return _schemas.setdefault(base, {"input": {}, "input_types": {}, "output": None})


def register_input(func, param_name, param_type):
    entry = _entry(func)
    entry["input"][param_name] = param_type.input_to_swagger()
    entry["input_types"][param_name] = param_type


def register_output(func, param_type):
    entry = _entry(func)
    if entry["output"] is not None:
        raise Exception("Error, output schema already defined for function: %s." % base_function(func).__qualname__)
    entry["output"] = param_type.input_to_swagger()


def is_schema_decorated(func):
    entry = _schemas.get(base_function(func))
    return bool(entry and (entry["input"] or entry["output"] is not None))


def get_input_schema(func):
    """{"type": "object", "properties": {...}, "example": {...}} over run()'s parameters."""
    base = base_function(func)
    entry = _schemas.get(base) or {"input": {}}
    schema = {"type": "object", "properties": {}, "example": {}}
    names = [p.name for p in inspect.signature(base).parameters.values() if p.name != "request_headers"]
    for name in names:
        swagger = dict(entry["input"].get(name) or {})
        example = swagger.pop("example", "")
        schema["properties"][name] = swagger
        schema["example"][name] = example
    return schema


def get_output_schema(func):
    entry = _schemas.get(base_function(func))
    return dict(entry["output"]) if entry and entry["output"] is not None else {}


def get_supported_versions(func):
    return list(SUPPORTED_VERSIONS)


def get_schemas_dict():
    return {base.__qualname__: {"input": get_input_schema(base), "output": get_output_schema(base)}
            for base in list(_schemas)}
