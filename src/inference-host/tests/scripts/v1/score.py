"""An SDK v1 script: finds its model with Model.get_model_path and loads it with joblib."""
import json

import joblib
import numpy as np
from azureml.core.model import Model

model = None


def init():
    global model
    model_path = Model.get_model_path("sklearn_regression_model.pkl")
    model = joblib.load(model_path)
    print("loaded model from", model_path)


def run(raw_data):
    data = np.array(json.loads(raw_data)["data"])
    return model.predict(data).tolist()
