"""An inference_schema script: numpy input, GlobalParameters, numpy output."""
import numpy as np
from inference_schema.schema_decorators import input_schema, output_schema
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType


def init():
    pass


@input_schema("data", NumpyParameterType(np.array([[1.0, 2.0, 3.0]], dtype=np.float64)))
@input_schema("GlobalParameters", StandardPythonParameterType({"method": "sum"}))
@output_schema(NumpyParameterType(np.array([6.0])))
def run(data, GlobalParameters={"method": "sum"}):
    if GlobalParameters.get("method") == "mean":
        result = data.mean(axis=1)
    else:
        result = data.sum(axis=1)
    return {"result": result, "type": type(data).__name__, "dtype": str(data.dtype), "shape": list(data.shape)}
