"""NumpyParameterType: a JSON array becomes a numpy array with the sample's dtype and shape.

``enforce_column_type`` (default True) converts to the sample's dtype; ``enforce_shape``
(default True) requires the same number of dimensions and the same size on every
dimension but the first (the number of rows may differ). Structured dtypes take rows as
lists or as objects keyed by field name.
"""

import numpy as np

from .abstract_parameter_type import AbstractParameterType


def _dtype_swagger(dtype):
    if dtype.names:
        return {"type": "object",
                "properties": {name: _dtype_swagger(dtype.fields[name][0]) for name in dtype.names}}
    kind = dtype.kind
    if kind == "b":
        return {"type": "boolean"}
    if kind in "iu":
        return {"type": "integer", "format": "int64" if dtype.itemsize > 4 else "int32"}
    if kind == "f":
        return {"type": "number", "format": "double" if dtype.itemsize > 4 else "float"}
    if kind == "M":
        return {"type": "string", "format": "date-time"}
    if kind == "m":
        return {"type": "string", "format": "timedelta"}
    if kind in "USO":
        return {"type": "string"}
    return {"type": "object"}


def _row(item, dtype):
    """One JSON row of a structured array -> the tuple numpy expects."""
    if isinstance(item, dict):
        return tuple(item.get(name) for name in dtype.names)
    return tuple(item)


def _example(sample):
    if sample.dtype.names:
        return [{name: (row[name].item() if hasattr(row[name], "item") else row[name]) for name in sample.dtype.names}
                for row in sample.reshape(-1)]
    if sample.dtype.kind in "Mm":
        return np.asarray(sample, dtype=str).tolist()
    return sample.tolist()


class NumpyParameterType(AbstractParameterType):
    def __init__(self, sample_input, enforce_column_type=True, enforce_shape=True):
        if not isinstance(sample_input, np.ndarray):
            raise Exception("Invalid sample input provided, must provide a sample Numpy array.")
        super().__init__(sample_input)
        self.enforce_column_type = enforce_column_type
        self.enforce_shape = enforce_shape

    def deserialize_input(self, input_data):
        if isinstance(input_data, np.ndarray):
            return input_data
        if not isinstance(input_data, list):
            raise ValueError("Invalid input format: expected an array of items, got %s." % type(input_data).__name__)
        dtype = self.sample_input.dtype
        try:
            if self.enforce_column_type and dtype.names:
                array = np.array([_row(item, dtype) for item in input_data], dtype=dtype)
            elif self.enforce_column_type:
                array = np.array(input_data, dtype=dtype)
            else:
                array = np.array(input_data)
        except (ValueError, TypeError) as ex:
            raise ValueError("Invalid input array: cannot convert it to dtype %s: %s" % (dtype, ex)) from None
        if self.enforce_shape:
            expected = self.sample_input.shape
            if array.ndim != len(expected):
                raise ValueError("Invalid input array: an array with %d dimensions is expected; input has %d "
                                 "[shape %s]" % (len(expected), array.ndim, array.shape))
            for dim in range(1, len(expected)):
                if array.shape[dim] != expected[dim]:
                    raise ValueError("Invalid input array: array has size %d on dimension #%d, while expected "
                                     "value is %d" % (array.shape[dim], dim, expected[dim]))
        return array

    def input_to_swagger(self):
        sample = self.sample_input
        schema = _dtype_swagger(sample.dtype)
        # One array level per dimension; the fixed sizes of the inner dimensions are the shape.
        for dim in reversed(range(sample.ndim)):
            level = {"type": "array", "items": schema}
            if dim > 0 and self.enforce_shape:
                level["minItems"] = level["maxItems"] = int(sample.shape[dim])
            schema = level
        if sample.ndim == 0:
            schema = dict(schema)
        schema["example"] = _example(sample)
        return schema
