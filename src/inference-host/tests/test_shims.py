"""In-process tests of the shims and helpers (the decorators called directly, model lookup, JSON)."""

import datetime
import decimal
import os
import shutil
import sys
import tempfile
import unittest

from host_process import HOST_DIR

if HOST_DIR not in sys.path:
    sys.path.insert(0, HOST_DIR)
if os.path.join(HOST_DIR, "shims") not in sys.path:
    sys.path.append(os.path.join(HOST_DIR, "shims"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from azureml.core.model import Model, ModelNotFoundException, WebserviceException  # noqa: E402
from azureml.contrib.services.aml_request import AMLRequest, rawhttp  # noqa: E402
from azureml.contrib.services.aml_response import AMLResponse  # noqa: E402
from azureml_inference_server_http.api.aml_response import AMLResponse as ServerAMLResponse  # noqa: E402
from inference_schema import schema_util  # noqa: E402
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType  # noqa: E402
from inference_schema.parameter_types.pandas_parameter_type import PandasParameterType  # noqa: E402
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType  # noqa: E402
from inference_schema.schema_decorators import input_schema, output_schema  # noqa: E402
from scoregate_host import serialize  # noqa: E402
from scoregate_host.aml import RequestError  # noqa: E402


@input_schema("data", NumpyParameterType(np.array([[1, 2]], dtype=np.int32)))
@input_schema("options", StandardPythonParameterType({"scale": 1.0}))
@output_schema(StandardPythonParameterType([1]))
def decorated(data, options=None):
    return data, options


class DecoratorTests(unittest.TestCase):
    def test_keyword_call_converts(self):
        data, options = decorated(data=[[1, 2], [3, 4]], options={"scale": 2.0})
        self.assertIsInstance(data, np.ndarray)
        self.assertEqual(np.int32, data.dtype)
        self.assertEqual({"scale": 2.0}, options)

    def test_positional_call_converts(self):
        data, _ = decorated([[5, 6]])
        self.assertEqual([[5, 6]], data.tolist())

    def test_an_array_passes_through(self):
        array = np.zeros((1, 2))
        self.assertIs(array, decorated(array)[0])

    def test_missing_value_raises_value_error(self):
        with self.assertRaisesRegex(ValueError, "'data'"):
            decorated(options={})

    def test_wrong_shape_raises_value_error(self):
        with self.assertRaisesRegex(ValueError, "dimension"):
            decorated([[1, 2, 3]])
        with self.assertRaisesRegex(ValueError, "2 dimensions"):
            decorated([1, 2])

    def test_schema_is_recorded(self):
        self.assertTrue(schema_util.is_schema_decorated(decorated))
        schema = schema_util.get_input_schema(decorated)
        self.assertEqual(["data", "options"], list(schema["properties"]))
        self.assertEqual({"scale": 1.0}, schema["example"]["options"])
        self.assertEqual({"type": "array", "items": {"type": "integer", "format": "int64"}, "example": [1]},
                         schema_util.get_output_schema(decorated))

    def test_undecorated_function(self):
        def plain(x):
            return x

        self.assertFalse(schema_util.is_schema_decorated(plain))

    def test_unknown_parameter_name_fails_at_decoration(self):
        with self.assertRaises(Exception):
            @input_schema("nope", StandardPythonParameterType(1))
            def f(x):
                return x


class StandardTypeTests(unittest.TestCase):
    def test_scalars(self):
        self.assertEqual(3, StandardPythonParameterType(1).deserialize_input(3))
        self.assertEqual(3.0, StandardPythonParameterType(1.5).deserialize_input(3))
        with self.assertRaises(ValueError):
            StandardPythonParameterType(1).deserialize_input("3")
        with self.assertRaises(ValueError):
            StandardPythonParameterType(1).deserialize_input(True)

    def test_bytes_and_dates(self):
        self.assertEqual(b"\x00\xff", StandardPythonParameterType(b"x").deserialize_input("AP8="))
        value = StandardPythonParameterType(datetime.datetime(2020, 1, 1)).deserialize_input("2021-02-03T04:05:06Z")
        self.assertEqual(datetime.datetime(2021, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc), value)

    def test_nested_types(self):
        t = StandardPythonParameterType({"data": NumpyParameterType(np.array([1.0])), "name": "x"})
        converted = t.deserialize_input({"data": [1, 2], "name": "y"})
        self.assertIsInstance(converted["data"], np.ndarray)
        self.assertEqual("y", converted["name"])
        swagger = t.input_to_swagger()
        self.assertEqual("array", swagger["properties"]["data"]["type"])
        self.assertEqual({"data": [1.0], "name": "x"}, swagger["example"])


class PandasTypeTests(unittest.TestCase):
    sample = pd.DataFrame({"a": [1], "b": ["x"]})

    def test_split_and_columns_forms(self):
        t = PandasParameterType(self.sample)
        split = t.deserialize_input({"columns": ["b", "a"], "data": [["y", 2]]})
        self.assertEqual(["a", "b"], list(split.columns))
        self.assertEqual(2, split["a"][0])
        columns = t.deserialize_input({"a": [3, 4], "b": ["p", "q"]})
        self.assertEqual(2, len(columns))

    def test_bad_column_type(self):
        with self.assertRaisesRegex(ValueError, "column 'a'"):
            PandasParameterType(self.sample).deserialize_input([{"a": "not a number", "b": "x"}])

    def test_extra_column_with_enforce_shape(self):
        with self.assertRaisesRegex(ValueError, "unexpected columns"):
            PandasParameterType(self.sample).deserialize_input([{"a": 1, "b": "x", "c": 0}])
        frame = PandasParameterType(self.sample, enforce_shape=False).deserialize_input([{"a": 1, "b": "x", "c": 0}])
        self.assertEqual(["a", "b"], list(frame.columns))


class ModelPathTests(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        self.cwd = os.getcwd()
        os.chdir(self.root)
        self.model_dir = os.path.join(self.root, "models")
        os.makedirs(self.model_dir)
        self.saved = os.environ.get("AZUREML_MODEL_DIR")
        os.environ["AZUREML_MODEL_DIR"] = self.model_dir

    def tearDown(self):
        os.chdir(self.cwd)
        if self.saved is None:
            os.environ.pop("AZUREML_MODEL_DIR", None)
        else:
            os.environ["AZUREML_MODEL_DIR"] = self.saved
        shutil.rmtree(self.root, ignore_errors=True)

    def touch(self, *parts):
        path = os.path.join(self.model_dir, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("x")
        return path

    def test_v1_cache_layout_picks_the_latest_version(self):
        self.touch("m", "1", "old.pkl")
        newest = self.touch("m", "10", "new.pkl")
        self.assertEqual(newest, Model.get_model_path("m"))
        self.assertEqual(os.path.join(self.model_dir, "m", "1", "old.pkl"), Model.get_model_path("m", version=1))

    def test_named_entry(self):
        path = self.touch("model.pkl")
        self.touch("other.pkl")
        self.assertEqual(path, Model.get_model_path("model.pkl"))

    def test_file_inside_the_model_folder(self):
        path = self.touch("model", "sklearn_regression_model.pkl")
        self.assertEqual(path, Model.get_model_path("sklearn_regression_model.pkl"))

    def test_single_entry_is_the_model(self):
        self.touch("only", "weights.bin")
        self.assertEqual(os.path.join(self.model_dir, "only"), Model.get_model_path("registered-name"))

    def test_not_found(self):
        self.touch("a.pkl")
        self.touch("b.pkl")
        with self.assertRaises(ModelNotFoundException) as ctx:
            Model.get_model_path("missing")
        self.assertIn("missing", str(ctx.exception))

    def test_version_must_be_int(self):
        with self.assertRaises(WebserviceException):
            Model.get_model_path("m", version="1")


class SerializeTests(unittest.TestCase):
    def test_types(self):
        frame = pd.DataFrame({"t": pd.to_datetime(["2020-01-02"]), "v": [np.int64(3)]})
        text = serialize.dumps({"frame": frame, "series": frame["v"], "dec": decimal.Decimal("1.5"),
                                "set": {1}, "date": datetime.date(2020, 1, 2), "scalar": np.float64(2.5)})
        self.assertEqual('{"frame": [{"t": "2020-01-02T00:00:00", "v": 3}], "series": [3], "dec": 1.5, '
                         '"set": [1], "date": "2020-01-02", "scalar": 2.5}', text)

    def test_unknown_type_fails(self):
        with self.assertRaises(TypeError):
            serialize.dumps(object())


class AmlObjectsTests(unittest.TestCase):
    def test_response_bodies(self):
        self.assertEqual(b"{}", AMLResponse(None, 200).get_data())
        r = AMLResponse({"a": 1}, 202, json_str=True)
        self.assertEqual((202, b'{"a": 1}', "application/json"), (r.status_code, r.data, r.content_type))
        r = AMLResponse(b"\x00", 200, {"Content-Type": "image/png", "X-Multi": "a, b"})
        self.assertEqual("image/png", r.content_type)
        self.assertEqual(["a", "b"], r.headers.getlist("x-multi"))
        self.assertIs(AMLResponse, ServerAMLResponse)

    def test_request(self):
        req = AMLRequest("POST", "/score", "a=1&a=2&b=", [("Content-Type", "text/plain"), ("X-Key", "v")], b'{"k": 1}')
        self.assertEqual(["1", "2"], req.args.getlist("a"))
        self.assertEqual("", req.args.get("b"))
        self.assertEqual(5, req.args.get("missing", 5))
        self.assertEqual("v", req.headers.get("x-key"))
        self.assertEqual("/score?a=1&a=2&b=", req.full_path)
        self.assertIsNone(req.get_json(silent=True))
        self.assertEqual({"k": 1}, req.get_json(force=True))
        with self.assertRaises(RequestError):
            AMLRequest("POST", "/score", "", [("Content-Type", "text/plain")], b"{}").get_json()
        with self.assertRaises(KeyError):
            req.args["missing"]

    def test_rawhttp_marks_the_function(self):
        @rawhttp
        def run(request):
            return request

        self.assertTrue(getattr(run, "__scoregate_rawhttp__"))


if __name__ == "__main__":
    unittest.main()
