"""A plain scoring script (run receives the body as a str) in a subfolder of its code folder."""
import json
import os
import time

import numpy as np

from helper import double          # a sibling of this script
from shared.units import unit_name  # a package at the code folder's root

model = None


def init():
    global model
    model = {"factor": 2, "model_dir": os.environ.get("AZUREML_MODEL_DIR")}


def run(raw_data):
    if raw_data == "":
        return {"empty": True}
    data = json.loads(raw_data)
    if isinstance(data, dict) and "sleep" in data:
        time.sleep(float(data["sleep"]))
        return {"slept": data["sleep"]}
    if isinstance(data, dict) and data.get("kind") == "numpy":
        return {"array": np.arange(6).reshape(2, 3), "scalar": np.float32(1.5), "int": np.int64(7),
                "bytes": b"\x00\xff"}
    if isinstance(data, dict) and data.get("kind") == "string":
        return json.dumps({"pre": "encoded"})
    if isinstance(data, dict) and data.get("kind") == "env":
        return {"setting": os.environ.get("USER_SETTING"), "model_dir": model["model_dir"],
                "cwd": os.getcwd(), "module": __name__}
    return {"result": [double(x) for x in data["data"]], "unit": unit_name(), "raw": raw_data}
