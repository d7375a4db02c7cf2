"""PandasParameterType: JSON records become a DataFrame shaped like the sample.

Input: a list of records (``[{"col": v, ...}, ...]``, the default ``orient="records"``),
or an object: column -> list of values, or pandas' ``split`` form
(``{"columns": [...], "data": [[...], ...]}``). With ``enforce_column_type`` (default True)
the sample's columns must be present and are cast to the sample's dtypes; with
``enforce_shape`` (default True) no other columns may appear. The result has the
sample's column order. pandas is imported only when a PandasParameterType is used, so this
module imports without pandas.
"""

import json

from .abstract_parameter_type import AbstractParameterType


def _pandas():
    try:
        import pandas
    except ImportError as ex:
        raise ImportError("PandasParameterType needs pandas, which is not installed in this Python "
                          "environment: %s" % ex) from None
    return pandas


def _dtype_swagger(dtype):
    kind = getattr(dtype, "kind", "O")
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
    return {"type": "string"} if kind in "OSU" else {"type": "object"}


class PandasParameterType(AbstractParameterType):
    def __init__(self, sample_input, enforce_column_type=True, enforce_shape=True, apply_column_names=False,
                 orient="records"):
        pd = _pandas()
        if not isinstance(sample_input, pd.DataFrame):
            raise Exception("Invalid sample input provided, must provide a sample Pandas Dataframe.")
        super().__init__(sample_input)
        self.enforce_column_type = enforce_column_type
        self.enforce_shape = enforce_shape
        self.apply_column_names = apply_column_names
        self.orient = orient

    def deserialize_input(self, input_data):
        pd = _pandas()
        if isinstance(input_data, pd.DataFrame):
            return input_data
        sample = self.sample_input
        columns = [str(c) for c in sample.columns]
        try:
            if isinstance(input_data, list):
                if input_data and not isinstance(input_data[0], dict):
                    # Rows given as lists: they follow the sample's column order.
                    frame = pd.DataFrame(input_data, columns=list(sample.columns) if self.apply_column_names or
                                         len(input_data[0]) == len(columns) else None)
                else:
                    frame = pd.DataFrame.from_records(input_data) if input_data else pd.DataFrame(columns=sample.columns)
            elif isinstance(input_data, dict):
                if "columns" in input_data and "data" in input_data:
                    frame = pd.DataFrame(input_data["data"], columns=input_data["columns"],
                                         index=input_data.get("index"))
                else:
                    frame = pd.DataFrame(input_data)
            else:
                raise ValueError("Invalid input format: expected a list of records or an object, got %s."
                                 % type(input_data).__name__)
        except ValueError as ex:
            raise ValueError("Invalid input data: cannot make a DataFrame of it: %s" % ex) from None
        by_name = {str(c): c for c in frame.columns}
        if self.enforce_column_type or self.enforce_shape:
            missing = [c for c in columns if c not in by_name]
            if missing:
                raise ValueError("Invalid input data: missing columns %s (expected columns %s)." % (missing, columns))
        if self.enforce_shape:
            extra = [c for c in by_name if c not in columns]
            if extra:
                raise ValueError("Invalid input data: unexpected columns %s (expected columns %s)." % (extra, columns))
        if self.enforce_column_type:
            frame = frame[[by_name[c] for c in columns]]
            frame.columns = list(sample.columns)
            for column in sample.columns:
                try:
                    frame[column] = frame[column].astype(sample[column].dtype)
                except (ValueError, TypeError) as ex:
                    raise ValueError("Invalid input data: column %r cannot be converted to %s: %s"
                                     % (column, sample[column].dtype, ex)) from None
        return frame

    def input_to_swagger(self):
        sample = self.sample_input
        properties = {str(c): _dtype_swagger(sample[c].dtype) for c in sample.columns}
        example = json.loads(sample.to_json(orient="records", date_format="iso"))
        return {"type": "array", "items": {"type": "object", "required": list(properties), "properties": properties},
                "example": example}
