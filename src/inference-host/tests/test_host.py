"""End-to-end tests: the real host in a subprocess, spoken to over HTTP/1.1.

Run: /usr/bin/python3 -m unittest discover -s src/inference-host/tests
"""

import json
import os
import shutil
import tempfile
import threading
import sys
import time
import unittest

from host_process import HOST as HOST_SCRIPT, SCRIPTS, Host, read


def script_dir(name):
    return os.path.join(SCRIPTS, name)


class PlainScriptTests(unittest.TestCase):
    """run(raw_data) gets the body as a str; the script lives in a subfolder of its code folder."""

    @classmethod
    def setUpClass(cls):
        cls.model_dir = tempfile.mkdtemp()
        cls.host = Host(script_dir("plain"), "onlinescoring/score.py", model_dir=cls.model_dir,
                        env={"USER_SETTING": "from-deployment"}).start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()
        shutil.rmtree(cls.model_dir, ignore_errors=True)

    def test_liveness_answers_healthy(self):
        r = self.host.request("GET", "/")
        self.assertEqual(200, r.status)
        self.assertEqual(b"Healthy", r.body)
        self.assertEqual("7", r.header("Content-Length"))

    def test_readiness_is_200_after_init(self):
        r = self.host.request("GET", "/readyz")
        self.assertEqual(200, r.status)

    def test_post_score_passes_the_body_as_a_string(self):
        r = self.host.request("POST", "/score", b'{"data": [1, 2]}', {"Content-Type": "application/json"})
        self.assertEqual(200, r.status, r.body)
        self.assertEqual("application/json", r.header("Content-Type"))
        self.assertEqual({"result": [2, 4], "unit": "widgets", "raw": '{"data": [1, 2]}'}, r.json())
        self.assertEqual("False", r.header("x-ms-run-function-failed"))

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = self.host.connection()
        try:
            conn.request("GET", "/")
            first = read(conn.getresponse())
            sock = conn.sock
            self.assertIsNotNone(sock)
            steps = [("POST", "/score", b'{"data": [3]}', 200), ("GET", "/readyz", None, 200),
                     ("GET", "/missing", None, 404), ("POST", "/score", b"\xff\xfe", 400),
                     ("PUT", "/score", b"x", 405), ("GET", "/swagger.json", None, 200),
                     ("POST", "/score", b'{"data": [4]}', 200)]
            self.assertEqual(200, first.status)
            for method, path, body, status in steps:
                conn.request(method, path, body=body)
                r = conn.getresponse()
                self.assertFalse(r.will_close, "%s %s closed the connection" % (method, path))
                got = read(r)
                self.assertEqual(status, got.status, (method, path, got.body))
                self.assertIs(sock, conn.sock, "the client had to reconnect after %s %s" % (method, path))
            self.assertEqual([8], got.json()["result"])
        finally:
            conn.close()

    def test_kept_alive_requests_are_not_delayed(self):
        # Headers and body written apart would wait on Nagle/delayed ACK: about 40 ms each.
        conn = self.host.connection()
        try:
            started = time.monotonic()
            for _ in range(50):
                conn.request("POST", "/score", body=b'{"data": [1]}')
                self.assertEqual(200, read(conn.getresponse()).status)
            elapsed = time.monotonic() - started
        finally:
            conn.close()
        self.assertLess(elapsed, 1.5, "50 requests on one connection took %.2f s" % elapsed)

    def test_chunked_request_body(self):
        conn = self.host.connection()
        try:
            conn.request("POST", "/score", body=iter([b'{"da', b'ta": [5', b"]}"]), encode_chunked=True,
                         headers={"Transfer-Encoding": "chunked"})
            r = read(conn.getresponse())
            self.assertEqual(200, r.status, r.body)
            self.assertEqual([10], r.json()["result"])
            conn.request("POST", "/score", body=b'{"data": [6]}')  # the connection is still in step
            self.assertEqual([12], read(conn.getresponse()).json()["result"])
        finally:
            conn.close()

    def test_requests_run_concurrently(self):
        results = []

        def call():
            results.append(self.host.post_json("/score", {"sleep": 0.8}).status)

        threads = [threading.Thread(target=call) for _ in range(4)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        elapsed = time.monotonic() - started
        self.assertEqual([200] * 4, results)
        self.assertLess(elapsed, 2.4, "4 x 0.8 s took %.2f s: requests were serialised" % elapsed)

    def test_get_score_passes_the_query_as_json(self):
        r = self.host.request("GET", "/score?data=[3,4]")
        self.assertEqual(200, r.status, r.body)
        self.assertEqual([6, 8], r.json()["result"])

    def test_options_is_200_and_other_methods_405(self):
        r = self.host.request("OPTIONS", "/score")
        self.assertEqual((200, b""), (r.status, r.body))
        r = self.host.request("DELETE", "/score")
        self.assertEqual(405, r.status)
        self.assertEqual({"message": "Method not allowed"}, r.json())
        self.assertIn("POST", r.header("Allow"))

    def test_unknown_path_is_404_json(self):
        r = self.host.request("GET", "/nothing/here")
        self.assertEqual(404, r.status)
        self.assertIn("/nothing/here", r.json()["message"])

    def test_invalid_utf8_is_400(self):
        r = self.host.request("POST", "/score", b'{"data": "\xff"}')
        self.assertEqual(400, r.status)
        self.assertIn("not valid UTF-8", r.json()["message"])

    def test_empty_body_reaches_run(self):
        r = self.host.request("POST", "/score", b"")
        self.assertEqual({"empty": True}, r.json())

    def test_numpy_values_and_bytes_are_serialised(self):
        r = self.host.post_json("/score", {"kind": "numpy"})
        self.assertEqual(200, r.status, r.body)
        self.assertEqual({"array": [[0, 1, 2], [3, 4, 5]], "scalar": 1.5, "int": 7, "bytes": "AP8="}, r.json())

    def test_a_returned_str_is_sent_as_a_json_string(self):
        r = self.host.post_json("/score", {"kind": "string"})
        self.assertEqual('{"pre": "encoded"}', r.json())

    def test_environment_working_directory_and_module_name(self):
        r = self.host.post_json("/score", {"kind": "env"}).json()
        self.assertEqual("from-deployment", r["setting"])
        self.assertEqual(self.model_dir, r["model_dir"])
        self.assertEqual(os.path.realpath(script_dir("plain")), os.path.realpath(r["cwd"]))
        self.assertEqual("score", r["module"])

    def test_swagger_without_decorators_is_a_minimal_document(self):
        r = self.host.request("GET", "/swagger.json")
        self.assertEqual(200, r.status)
        doc = r.json()
        self.assertEqual("2.0", doc["swagger"])
        self.assertIn("post", doc["paths"]["/score"])
        self.assertEqual({"type": "object", "example": {}}, doc["definitions"]["ServiceInput"])
        self.assertEqual(404, self.host.request("GET", "/swagger.json?version=3").status)

    def test_request_id_is_echoed(self):
        r = self.host.request("GET", "/", headers={"x-request-id": "req-42"})
        self.assertEqual("req-42", r.header("x-request-id"))
        self.assertEqual("req-42", r.header("x-ms-request-id"))

    def test_logs_name_the_script_and_model_dir_but_not_bodies(self):
        self.host.post_json("/score", {"data": [1], "secret": "TOPSECRET-BODY"})
        self.host.request("GET", "/score?data=[1]&secret=TOPSECRET-QUERY")
        deadline = time.monotonic() + 5
        while "GET /score" not in self.host.stdout() and time.monotonic() < deadline:
            time.sleep(0.05)
        out, err = self.host.stdout(), self.host.stderr()
        self.assertIn("entry script onlinescoring/score.py", out)
        self.assertIn("AZUREML_MODEL_DIR=%s" % self.model_dir, out)
        self.assertIn("init() succeeded", out)
        self.assertIn("POST /score 200", out)
        self.assertNotIn("TOPSECRET", out + err)


class RawHttpTests(unittest.TestCase):
    """@rawhttp: run gets the AMLRequest and answers with an AMLResponse of its own."""

    @classmethod
    def setUpClass(cls):
        cls.host = Host(script_dir("rawhttp"), "score.py").start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()

    def test_binary_body_own_status_and_headers(self):
        body = bytes(range(256)) * 4
        r = self.host.request("POST", "/score", body, {"Content-Type": "application/octet-stream"})
        self.assertEqual(201, r.status, r.body)
        self.assertEqual(bytes(reversed(body)), r.body)
        self.assertEqual("application/octet-stream", r.header("Content-Type"))
        self.assertEqual("1024", r.header("X-Body-Length"))
        self.assertEqual("1024", r.header("Content-Length"))

    def test_large_binary_body(self):
        body = os.urandom(2 * 1024 * 1024)
        r = self.host.request("POST", "/score", body, {"Content-Type": "application/octet-stream"})
        self.assertEqual(201, r.status)
        self.assertEqual(bytes(reversed(body)), r.body)

    def test_get_reaches_run_with_query_args(self):
        r = self.host.request("GET", "/score?x=1&x=2")
        self.assertEqual(200, r.status, r.body)
        self.assertEqual({"method": "GET", "x": "1", "xs": ["1", "2"]}, r.json())

    def test_request_attributes(self):
        r = self.host.request("POST", "/score?mode=json", b'{"a": 1}',
                              {"Content-Type": "application/json", "X-Custom-Header": "hello"})
        self.assertEqual(200, r.status, r.body)
        self.assertEqual({"content_type": "application/json", "header": "hello", "header_upper": "hello",
                          "json": {"a": 1}, "full_path": "/score?mode=json", "path": "/score",
                          "is_aml_request": True}, r.json())

    def test_options_reaches_run(self):
        r = self.host.request("OPTIONS", "/score")
        self.assertEqual(204, r.status)
        self.assertEqual("*", r.header("Access-Control-Allow-Origin"))

    def test_get_json_of_a_non_json_body_fails_run(self):
        # As on Azure: Flask's refusal inside run() is a run failure (500, 424 to the client).
        r = self.host.request("POST", "/score?mode=needjson", b"plain", {"Content-Type": "text/plain"})
        self.assertEqual(500, r.status, r.body)
        self.assertTrue(r.json()["message"].startswith("UnsupportedMediaType: Did not attempt to load JSON"))

    def test_multipart_form(self):
        boundary = "XyZ123"
        body = ("--{b}\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue1\r\n"
                "--{b}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.bin\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").format(b=boundary).encode() + b"\x00\x01\x02" + \
            ("\r\n--{b}--\r\n".format(b=boundary)).encode()
        r = self.host.request("POST", "/score?mode=form", body,
                              {"Content-Type": "multipart/form-data; boundary=%s" % boundary})
        self.assertEqual(200, r.status, r.body)
        self.assertEqual({"field": "value1", "filename": "a.bin", "size": 3}, r.json())

    def test_204_sends_no_body_and_header_breaks_are_removed(self):
        conn = self.host.connection()
        try:
            conn.request("POST", "/score?mode=nocontent", body=b"x")
            r = read(conn.getresponse())
            self.assertEqual((204, b""), (r.status, r.body))
            self.assertIsNone(r.header("Injected"))
            self.assertEqual("a  Injected: yes", r.header("X-Evil"))
            conn.request("GET", "/score?x=9")  # the stream is still in step
            self.assertEqual("9", read(conn.getresponse()).json()["x"])
        finally:
            conn.close()

    def test_put_is_405(self):
        self.assertEqual(405, self.host.request("PUT", "/score", b"x").status)


class NumpySchemaTests(unittest.TestCase):
    """@input_schema with NumpyParameterType and GlobalParameters."""

    @classmethod
    def setUpClass(cls):
        cls.host = Host(script_dir("schema_numpy"), "score.py").start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()

    def test_list_becomes_an_array_of_the_sample_dtype(self):
        r = self.host.post_json("/score", {"data": [[1, 2, 3], [4, 5, 6]]})
        self.assertEqual(200, r.status, r.body)
        self.assertEqual({"result": [6.0, 15.0], "type": "ndarray", "dtype": "float64", "shape": [2, 3]}, r.json())

    def test_global_parameters(self):
        r = self.host.post_json("/score", {"data": [[1, 2, 3], [4, 5, 6]], "GlobalParameters": {"method": "mean"}})
        self.assertEqual([2.0, 5.0], r.json()["result"])

    def test_wrong_shape_is_a_run_failure(self):
        r = self.host.post_json("/score", {"data": [[1, 2]]})
        self.assertEqual(500, r.status)
        self.assertTrue(r.json()["message"].startswith("ValueError: Invalid input array"), r.body)
        self.assertEqual("True", r.header("x-ms-run-function-failed"))

    def test_missing_parameter_is_400(self):
        r = self.host.post_json("/score", {"other": 1})
        self.assertEqual(400, r.status)
        self.assertEqual({"message": "A value is not provided for the 'data' parameter."}, r.json())

    def test_body_must_be_a_json_object(self):
        self.assertEqual(400, self.host.post_json("/score", [1, 2]).status)
        self.assertEqual(400, self.host.request("POST", "/score", b"{not json", {"Content-Type": "application/json"}).status)

    def test_non_json_content_type_is_415(self):
        r = self.host.request("POST", "/score", b'{"data": [[1, 2, 3]]}', {"Content-Type": "text/plain"})
        self.assertEqual(415, r.status)

    def test_missing_content_type_is_accepted(self):
        r = self.host.request("POST", "/score", b'{"data": [[1, 2, 3]]}')
        self.assertEqual(200, r.status, r.body)

    def test_swagger_is_built_from_the_samples(self):
        doc = self.host.request("GET", "/swagger.json").json()
        service_input = doc["definitions"]["ServiceInput"]
        data = service_input["properties"]["data"]
        self.assertEqual("array", data["type"])
        self.assertEqual("array", data["items"]["type"])
        self.assertEqual(3, data["items"]["maxItems"])
        self.assertEqual({"type": "number", "format": "double"}, data["items"]["items"])
        self.assertEqual([[1.0, 2.0, 3.0]], service_input["example"]["data"])
        self.assertEqual({"method": "sum"}, service_input["example"]["GlobalParameters"])
        output = doc["definitions"]["ServiceOutput"]
        self.assertEqual("array", output["type"])
        self.assertEqual([6.0], output["example"])


class PandasSchemaTests(unittest.TestCase):
    """AutoML style: Inputs = StandardPythonParameterType({"data": PandasParameterType(df)})."""

    @classmethod
    def setUpClass(cls):
        cls.host = Host(script_dir("schema_pandas"), "score.py").start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()

    def test_records_become_a_dataframe(self):
        r = self.host.post_json("/score", {"Inputs": {"data": [{"city": "Rome", "age": 30, "income": 10.0}]},
                                           "GlobalParameters": 2.0})
        self.assertEqual(200, r.status, r.body)
        self.assertEqual({"Results": [20.0], "columns": ["age", "income", "city"], "age_dtype": "int64",
                          "type": "DataFrame", "frame": [{"age": 30, "income": 10.0, "city": "Rome"}]}, r.json())

    def test_missing_column_is_a_run_failure(self):
        r = self.host.post_json("/score", {"Inputs": {"data": [{"age": 30}]}})
        self.assertEqual(500, r.status)
        self.assertIn("missing columns", r.json()["message"])

    def test_swagger(self):
        doc = self.host.request("GET", "/swagger.json").json()
        data = doc["definitions"]["ServiceInput"]["properties"]["Inputs"]["properties"]["data"]
        self.assertEqual("array", data["type"])
        self.assertEqual({"type": "integer", "format": "int64"}, data["items"]["properties"]["age"])
        self.assertEqual({"type": "string"}, data["items"]["properties"]["city"])
        example = doc["definitions"]["ServiceInput"]["example"]["Inputs"]["data"]
        self.assertEqual({"age": 25, "income": 1000.5, "city": "Oslo"}, example[0])


class ModelPathV1Tests(unittest.TestCase):
    """A v1 script: Model.get_model_path + joblib + a real scikit-learn model."""

    @classmethod
    def setUpClass(cls):
        import joblib
        import numpy as np
        from sklearn.linear_model import LinearRegression

        cls.model_dir = tempfile.mkdtemp()
        # The layout the router makes for a model folder named "model".
        os.makedirs(os.path.join(cls.model_dir, "model"))
        x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
        y = 3 * x[:, 0] + 2 * x[:, 1] + 1
        joblib.dump(LinearRegression().fit(x, y), os.path.join(cls.model_dir, "model", "sklearn_regression_model.pkl"))
        cls.host = Host(script_dir("v1"), "score.py", model_dir=cls.model_dir).start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()
        shutil.rmtree(cls.model_dir, ignore_errors=True)

    def test_predicts_with_the_model_found_by_get_model_path(self):
        self.assertEqual(200, self.host.request("GET", "/readyz").status, self.host.logs())
        r = self.host.post_json("/score", {"data": [[2, 3], [0, 0]]})
        self.assertEqual(200, r.status, r.body)
        predictions = r.json()
        self.assertAlmostEqual(13.0, predictions[0], places=6)
        self.assertAlmostEqual(1.0, predictions[1], places=6)
        self.assertIn(os.path.join(self.model_dir, "model", "sklearn_regression_model.pkl"), self.host.stdout())


class InitFailsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.host = Host(script_dir("init_fails"), "score.py").start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()

    def test_stays_up_live_but_not_ready(self):
        expected = {"message": "init() failed: RuntimeError: model file is corrupt"}
        self.assertEqual(200, self.host.request("GET", "/").status)
        r = self.host.request("GET", "/readyz")
        self.assertEqual((503, expected), (r.status, r.json()))
        # A scoring client learns only that it did not start: the reason is for /readyz (the router) and the log.
        r = self.host.post_json("/score", {"a": 1})
        self.assertEqual((503, {"message": "The scoring script did not start: its deployment's logs say why."}), (r.status, r.json()))
        self.assertIsNone(self.host.process.poll())

    def test_traceback_goes_to_stderr(self):
        err = self.host.stderr()
        self.assertIn("Traceback (most recent call last)", err)
        self.assertIn("RuntimeError: model file is corrupt", err)


class ImportFailsTests(unittest.TestCase):
    def test_missing_module(self):
        host = Host(script_dir("import_fails"), "score.py").start()
        try:
            r = host.request("GET", "/readyz")
            self.assertEqual(503, r.status)
            message = r.json()["message"]
            self.assertTrue(message.startswith("the scoring script could not be loaded: ModuleNotFoundError: No module named "
                                               "'module_that_does_not_exist_scoregate' (the interpreter is "), message)
            self.assertIn("pythonCommand", message)
            self.assertEqual(503, host.post_json("/score", {}).status)
            self.assertEqual(200, host.request("GET", "/").status)
            self.assertIn("Traceback", host.stderr())
        finally:
            host.stop()

    def test_syntax_error(self):
        code = tempfile.mkdtemp()
        try:
            with open(os.path.join(code, "score.py"), "w") as f:
                f.write("def init(:\n    pass\n")
            host = Host(code, "score.py").start()
            try:
                r = host.request("GET", "/readyz")
                self.assertEqual(503, r.status)
                self.assertTrue(r.json()["message"].startswith(
                    "the scoring script could not be loaded: SyntaxError:"), r.body)
            finally:
                host.stop()
        finally:
            shutil.rmtree(code, ignore_errors=True)

    def test_missing_script_file(self):
        host = Host(script_dir("run_fails"), "nope/score.py").start()
        try:
            r = host.request("GET", "/readyz")
            self.assertEqual(503, r.status)
            self.assertIn("FileNotFoundError", r.json()["message"])
        finally:
            host.stop()


class RunFailsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.host = Host(script_dir("run_fails"), "score.py").start()

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()

    def test_500_with_the_exception_and_the_connection_stays_usable(self):
        conn = self.host.connection()
        try:
            conn.request("POST", "/score", body=b"not ok")
            r = read(conn.getresponse())
            self.assertEqual(500, r.status)
            self.assertEqual({"message": "ValueError: bad input: expected 'ok'"}, r.json())
            self.assertEqual("True", r.header("x-ms-run-function-failed"))
            conn.request("POST", "/score", body=b"ok")
            r = read(conn.getresponse())
            self.assertEqual((200, "fine"), (r.status, r.json()))
        finally:
            conn.close()
        deadline = time.monotonic() + 5
        while "ValueError: bad input" not in self.host.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        err = self.host.stderr()
        self.assertIn("Traceback (most recent call last)", err)
        self.assertIn("ValueError: bad input: expected 'ok'", err)
        self.assertNotIn("not ok", err.replace("expected 'ok'", ""))


    def test_request_headers_parameter(self):
        r = self.host.request("POST", "/score", b"headers", {"X-Probe": "p1"})
        self.assertEqual({"probe": "p1"}, r.json())


class UserSwaggerTests(unittest.TestCase):
    def test_swagger_json_in_the_code_folder_is_served(self):
        code = tempfile.mkdtemp()
        try:
            with open(os.path.join(code, "score.py"), "w") as f:
                f.write("def run(data):\n    return data\n")
            with open(os.path.join(code, "swagger.json"), "w") as f:
                json.dump({"swagger": "2.0", "info": {"title": "mine"}}, f)
            host = Host(code, "score.py").start()
            try:
                self.assertEqual("mine", host.request("GET", "/swagger.json").json()["info"]["title"])
            finally:
                host.stop()
        finally:
            shutil.rmtree(code, ignore_errors=True)


class SlowInitTests(unittest.TestCase):
    def test_probes_answer_while_init_runs(self):
        host = Host(script_dir("slow_init"), "score.py", env={"SLOW_INIT_SECONDS": "2"}).start(wait_ready=False)
        try:
            self.assertEqual(200, host.request("GET", "/").status)
            r = host.request("GET", "/readyz")
            self.assertEqual((503, {"message": "init() is still running"}), (r.status, r.json()))
            r = host.post_json("/score", {})
            self.assertEqual(503, r.status)
            self.assertIn("still starting", r.json()["message"])
            self.assertEqual(200, host.wait_ready(30).status)
            self.assertEqual("ready", host.post_json("/score", {}).json())
        finally:
            host.stop()


class ShimPrecedenceTests(unittest.TestCase):
    """A real package on sys.path wins over the shim; the other shims still load beside it."""

    def test_real_azureml_core_wins(self):
        root = tempfile.mkdtemp()
        try:
            real = os.path.join(root, "site", "azureml", "core")
            os.makedirs(real)  # site/azureml has no __init__.py: a namespace portion, like a real install
            with open(os.path.join(real, "__init__.py"), "w") as f:
                f.write("")
            with open(os.path.join(real, "model.py"), "w") as f:
                f.write("class Model:\n    @staticmethod\n    def get_model_path(name, version=None):\n"
                        "        return 'REAL:' + name\n")
            code = os.path.join(root, "code")
            os.makedirs(code)
            with open(os.path.join(code, "score.py"), "w") as f:
                f.write("from azureml.core.model import Model\n"
                        "from azureml.contrib.services.aml_response import AMLResponse\n"
                        "def run(data):\n"
                        "    return {'path': Model.get_model_path('m'), 'response': AMLResponse.__module__}\n")
            host = Host(code, "score.py", env={"PYTHONPATH": os.path.join(root, "site")})
            host.start()
            try:
                r = host.request("POST", "/score", b"{}")
                self.assertEqual(200, r.status, host.logs())
                self.assertEqual({"path": "REAL:m", "response": "scoregate_host.aml"}, r.json())
            finally:
                host.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()


class RouterSocketTests(unittest.TestCase):
    """Started by the router: a Unix socket in its private folder, a bound on run() calls, and no life after the router."""

    def test_socket_concurrency_bound_and_parent_exit(self):
        import socket
        import subprocess
        import tempfile
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, "0.sock")
        # A parent that starts the host and is later SIGKILLed without stopping it, as a router can be.
        # It lives until killed: a parent timed to die on its own once died before a loaded
        # machine had even started the host's slow run() (CI, 2026-12-02).
        parent = subprocess.Popen(
            [sys.executable, "-c",
             "import os, subprocess, sys, time\n"
             "p = subprocess.Popen([sys.executable, sys.argv[1]], env=dict(os.environ))\n"
             "print(p.pid, flush=True)\n"
             "time.sleep(float(sys.argv[2]))\n",
             HOST_SCRIPT, "600"],
            env=dict(os.environ, SCOREGATE_SOCKET=path, SCOREGATE_MAX_CONCURRENT_REQUESTS="1",
                     AML_APP_ROOT=script_dir("slow_run"), AZUREML_ENTRY_SCRIPT="score.py"),
            cwd=script_dir("slow_run"), stdout=subprocess.PIPE, text=True)
        host_pid = int(parent.stdout.readline())

        def request(body):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(30)
            s.connect(path)
            s.sendall(b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            return s

        for _ in range(100):
            if os.path.exists(path):
                ready = request(b"{}")
                answer = ready.recv(4096)
                ready.close()
                if b" 200 " in answer.split(b"\r\n")[0]:
                    break
            time.sleep(0.1)
        marker = os.path.join(folder, "started")
        # Long enough that the busy request lands while it runs, even on a machine under heavy load.
        slow = request(json.dumps({"sleep": 10, "marker": marker}).encode())
        for _ in range(1200):  # until the slow run() holds the only slot, however loaded the machine
            if os.path.exists(marker):
                break
            time.sleep(0.05)
        self.assertTrue(os.path.exists(marker), "the slow run() never started")
        busy = request(b"{}")
        self.assertIn(b" 503 ", busy.recv(4096).split(b"\r\n")[0])
        self.assertIn(b" 200 ", slow.recv(4096).split(b"\r\n")[0])
        slow.close()
        busy.close()

        parent.kill()
        parent.wait(timeout=60)
        for _ in range(50):
            try:
                os.kill(host_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.kill(host_pid, 9)
            self.fail("the host outlived the process that started it")
