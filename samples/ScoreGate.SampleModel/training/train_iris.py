"""Trains the sample model's multinomial logistic regression offline.

No data set can be downloaded where ScoreGate is built, so the training set is drawn
(fixed seed) from the per-class means and standard deviations that Fisher (1936)
published for the Iris data: 50 flowers per class, features drawn independently.
The weights land in ../iris-weights.json, which the sample model loads at start.
Pure Python on purpose: run it anywhere with `python3 train_iris.py`.
"""
import json
import math
import random

CLASSES = ["setosa", "versicolor", "virginica"]
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
MEANS = [[5.006, 3.428, 1.462, 0.246], [5.936, 2.770, 4.260, 1.326], [6.588, 2.974, 5.552, 2.026]]
STDS = [[0.352, 0.379, 0.174, 0.105], [0.516, 0.314, 0.470, 0.198], [0.636, 0.322, 0.552, 0.275]]


def sample(rng):
    rows = []
    for label, (mean, std) in enumerate(zip(MEANS, STDS)):
        for _ in range(50):
            rows.append(([max(0.1, rng.gauss(m, s)) for m, s in zip(mean, std)], label))
    return rows


def softmax(z):
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    return [v / total for v in e]


def train(rows, epochs=3000, rate=0.05, l2=1e-3):
    w = [[0.0] * len(FEATURES) for _ in CLASSES]
    b = [0.0] * len(CLASSES)
    for _ in range(epochs):
        gw = [[0.0] * len(FEATURES) for _ in CLASSES]
        gb = [0.0] * len(CLASSES)
        for x, y in rows:
            p = softmax([sum(wi * xi for wi, xi in zip(w[k], x)) + b[k] for k in range(len(CLASSES))])
            for k in range(len(CLASSES)):
                d = p[k] - (1.0 if k == y else 0.0)
                gb[k] += d
                for j, xj in enumerate(x):
                    gw[k][j] += d * xj
        n = len(rows)
        for k in range(len(CLASSES)):
            b[k] -= rate * gb[k] / n
            for j in range(len(FEATURES)):
                w[k][j] -= rate * (gw[k][j] / n + l2 * w[k][j])
    return w, b


def accuracy(rows, w, b):
    hits = 0
    for x, y in rows:
        z = [sum(wi * xi for wi, xi in zip(w[k], x)) + b[k] for k in range(len(CLASSES))]
        hits += z.index(max(z)) == y
    return hits / len(rows)


if __name__ == "__main__":
    rng = random.Random(1936)
    train_rows, test_rows = sample(rng), sample(rng)
    w, b = train(train_rows)
    model = {
        "model": "multinomial logistic regression",
        "classes": CLASSES,
        "features": FEATURES,
        "coefficients": [[round(v, 6) for v in row] for row in w],
        "intercepts": [round(v, 6) for v in b],
        "trainingAccuracy": round(accuracy(train_rows, w, b), 4),
        "heldOutAccuracy": round(accuracy(test_rows, w, b), 4),
    }
    with open("../iris-weights.json", "w") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    print(json.dumps({k: model[k] for k in ("trainingAccuracy", "heldOutAccuracy")}))
