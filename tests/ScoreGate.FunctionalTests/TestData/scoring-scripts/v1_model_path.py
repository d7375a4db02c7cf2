"""A version 1 web service script: finds its model with Model.get_model_path."""
import json
import os

from azureml.core.model import Model


def init():
    global weights
    folder = Model.get_model_path("iris-v1")
    with open(os.path.join(folder, "weights.json"), encoding="utf-8") as f:
        weights = json.load(f)


def run(raw_data):
    features = json.loads(raw_data)["data"]
    return {
        "scores": [sum(w * x for w, x in zip(weights, row)) for row in features],
        "greeting": os.environ.get("GREETING"),
        "scoregate_variables": sorted(k for k in os.environ if k.startswith("SCOREGATE_")),
    }
