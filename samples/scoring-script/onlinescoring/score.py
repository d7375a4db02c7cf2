"""quickstart's Iris classifier as an Azure ML scoring script.

init() reads the weights (multinomial logistic regression, trained by
samples/ScoreGate.SampleModel/training) from AZUREML_MODEL_DIR; run() takes
{"data": [[sepal_length, sepal_width, petal_length, petal_width], ...]} and answers
{"predictions": [...], "probabilities": [[...]]}, as the compiled sample does.
Standard library only, so any python3 runs it.
"""
import json
import math
import os

weights = None


def init():
    global weights
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "iris-weights.json"), encoding="utf-8") as f:
        weights = json.load(f)


def probabilities(flower):
    scores = [b + sum(w * x for w, x in zip(row, flower)) for row, b in zip(weights["coefficients"], weights["intercepts"])]
    top = max(scores)  # shifted so exp() cannot overflow
    exps = [math.exp(s - top) for s in scores]
    return [e / sum(exps) for e in exps]


def run(raw_data):
    rows = json.loads(raw_data)["data"]
    if not rows or any(len(row) != 4 for row in rows):
        raise ValueError("send {\"data\": [[sepal_length, sepal_width, petal_length, petal_width], ...]} with 4 numbers per flower")
    result = [probabilities([float(x) for x in row]) for row in rows]
    return {
        "predictions": [weights["classes"][p.index(max(p))] for p in result],
        "probabilities": [[round(v, 4) for v in p] for p in result],
    }
