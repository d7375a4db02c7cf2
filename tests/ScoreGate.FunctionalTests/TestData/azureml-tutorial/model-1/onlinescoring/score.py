"""Scoring script in the tutorial's shape: load the pickled regression once, predict per request."""
import json
import logging
import os

import joblib
import numpy


def init():
    global model
    # AZUREML_MODEL_DIR holds the registered folder under its own name (model/).
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "sklearn_regression_model.pkl")
    model = joblib.load(path)
    logging.info("model 1 loaded from %s", path)


def run(raw_data):
    logging.info("model 1: request received")
    rows = numpy.array(json.loads(raw_data)["data"])
    return model.predict(rows).tolist()
