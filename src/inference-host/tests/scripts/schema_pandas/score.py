"""An AutoML-style inference_schema script: Inputs holding a DataFrame, optional GlobalParameters."""
import pandas as pd
from inference_schema.schema_decorators import input_schema, output_schema
from inference_schema.parameter_types.pandas_parameter_type import PandasParameterType
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType

sample = pd.DataFrame({"age": [25, 40], "income": [1000.5, 2000.0], "city": ["Oslo", "Lima"]})


@input_schema("Inputs", StandardPythonParameterType({"data": PandasParameterType(sample)}))
@input_schema("GlobalParameters", StandardPythonParameterType(1.0), convert_to_provided_type=False)
@output_schema(StandardPythonParameterType({"Results": [1.0, 2.0]}))
def run(Inputs, GlobalParameters=1.0):
    df = Inputs["data"]
    return {"Results": (df["income"] * GlobalParameters).tolist(), "columns": list(df.columns),
            "age_dtype": str(df["age"].dtype), "type": type(df).__name__, "frame": df}
