"""Fits the tutorial's two regressions on generated data and pickles them (nothing is downloaded)."""
import os
import sys

import joblib
import numpy
from sklearn.linear_model import LinearRegression

here = os.path.dirname(os.path.abspath(sys.argv[0]))
features = numpy.random.default_rng(7).uniform(0, 10, size=(200, 10))
for folder, factor in (("model-1", 1.0), ("model-2", 2.0)):
    model = LinearRegression().fit(features, factor * features.sum(axis=1))
    target = os.path.join(here, folder, "model")
    os.makedirs(target, exist_ok=True)
    joblib.dump(model, os.path.join(target, "sklearn_regression_model.pkl"))
    print(f"wrote {folder}/model/sklearn_regression_model.pkl")
