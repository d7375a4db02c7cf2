"""An inference_schema script: the JSON input arrives as a numpy array of the sample's type."""
import numpy as np
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType
from inference_schema.schema_decorators import input_schema, output_schema


def init():
    pass


@input_schema("data", NumpyParameterType(np.array([[1.0, 2.0, 3.0]])))
@output_schema(NumpyParameterType(np.array([6.0])))
def run(data):
    if not isinstance(data, np.ndarray):
        raise TypeError(f"expected a numpy array, got {type(data).__name__}")
    return {"sums": data.sum(axis=1), "dtype": str(data.dtype)}
