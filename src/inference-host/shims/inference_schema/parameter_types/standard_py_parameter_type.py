"""StandardPythonParameterType: int, float, str, bool, bytes, dates, lists, dicts.

A dict or list sample may hold other parameter types as values, e.g.
``StandardPythonParameterType({"data": NumpyParameterType(arr), "method": "predict"})``:
those entries are converted with their own type; plain entries pass through.
"""

import base64
import datetime

from .abstract_parameter_type import AbstractParameterType


def _nested(sample):
    if isinstance(sample, dict):
        return any(isinstance(v, AbstractParameterType) for v in sample.values())
    if isinstance(sample, (list, tuple)):
        return any(isinstance(v, AbstractParameterType) for v in sample)
    return False


def _parse_datetime(text):
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text)


def _scalar_swagger(value):
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer", "format": "int64"}
    if isinstance(value, float):
        return {"type": "number", "format": "double"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, (bytes, bytearray)):
        return {"type": "string", "format": "byte"}
    if isinstance(value, datetime.datetime):
        return {"type": "string", "format": "date-time"}
    if isinstance(value, datetime.date):
        return {"type": "string", "format": "date"}
    if isinstance(value, datetime.time):
        return {"type": "string", "format": "time"}
    if isinstance(value, (list, tuple)):
        return {"type": "array", "items": _scalar_swagger(value[0]) if value else {"type": "object"}}
    return {"type": "object"}


def _example(value):
    if isinstance(value, AbstractParameterType):
        return value.input_to_swagger().get("example")
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _example(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_example(v) for v in value]
    return value


class StandardPythonParameterType(AbstractParameterType):
    def __init__(self, sample_input):
        super().__init__(sample_input)

    def needs_conversion(self, value):
        # Nested types must be converted even when the container already has the right type.
        return _nested(self.sample_input) or super().needs_conversion(value)

    def deserialize_input(self, input_data):
        sample, expected = self.sample_input, self.sample_data_type
        if isinstance(sample, dict) and _nested(sample):
            if not isinstance(input_data, dict):
                raise ValueError("Invalid input data type to parse. Expected: dict but got %s"
                                 % type(input_data).__name__)
            converted = dict(input_data)
            for key, item_type in sample.items():
                if isinstance(item_type, AbstractParameterType) and key in converted:
                    if item_type.needs_conversion(converted[key]):
                        converted[key] = item_type.deserialize_input(converted[key])
            return converted
        if isinstance(sample, (list, tuple)) and _nested(sample):
            if not isinstance(input_data, (list, tuple)):
                raise ValueError("Invalid input data type to parse. Expected: list but got %s"
                                 % type(input_data).__name__)
            converted = list(input_data)
            for i, item_type in enumerate(sample):
                if isinstance(item_type, AbstractParameterType) and i < len(converted):
                    if item_type.needs_conversion(converted[i]):
                        converted[i] = item_type.deserialize_input(converted[i])
            return converted if expected is list else tuple(converted)
        try:
            if expected is float and isinstance(input_data, int) and not isinstance(input_data, bool):
                return float(input_data)
            if expected is tuple and isinstance(input_data, list):
                return tuple(input_data)
            if expected in (bytes, bytearray) and isinstance(input_data, str):
                return expected(base64.b64decode(input_data.encode("ascii"), validate=True))
            if expected is datetime.datetime and isinstance(input_data, str):
                return _parse_datetime(input_data)
            if expected is datetime.date and isinstance(input_data, str):
                return datetime.date.fromisoformat(input_data)
            if expected is datetime.time and isinstance(input_data, str):
                return datetime.time.fromisoformat(input_data)
        except ValueError as ex:
            raise ValueError("Invalid input data for %s: %s" % (expected.__name__, ex)) from None
        # bool is an int to Python, not to JSON: true is no answer to an integer parameter.
        wrong_bool = isinstance(input_data, bool) and expected is not bool
        if wrong_bool or not isinstance(input_data, expected):
            raise ValueError("Invalid input data type to parse. Expected: %s but got %s"
                             % (expected.__name__, type(input_data).__name__))
        return input_data

    def input_to_swagger(self):
        sample = self.sample_input
        if sample is None:
            raise ValueError("Python data cannot be None")
        if isinstance(sample, dict):
            if _nested(sample):
                properties = {}
                for key, value in sample.items():
                    if isinstance(value, AbstractParameterType):
                        swagger = dict(value.input_to_swagger())
                        swagger.pop("example", None)
                    else:
                        swagger = _scalar_swagger(value)
                    properties[key] = swagger
                return {"type": "object", "required": list(sample.keys()), "properties": properties,
                        "example": _example(sample)}
            return {"type": "object", "additionalProperties": {"type": "object"}, "example": _example(sample)}
        if isinstance(sample, (list, tuple)):
            if _nested(sample):
                first = sample[0]
                items = dict(first.input_to_swagger()) if isinstance(first, AbstractParameterType) else _scalar_swagger(first)
                items.pop("example", None)
            else:
                items = _scalar_swagger(sample[0]) if sample else {"type": "object"}
            return {"type": "array", "items": items, "example": _example(sample)}
        schema = _scalar_swagger(sample)
        schema["example"] = _example(sample)
        return schema
