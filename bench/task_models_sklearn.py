"""scikit-learn's equivalents of mlfolio's task models, on the rows bench/task-models.ts exported.

Usage: /usr/bin/python3 bench/task_models_sklearn.py <spec.json>
spec.json: {"files": {dataset: csv}, "l2": λ, "repeats": r}; each CSV has the feature columns,
is_test and outcome. Prints one JSON object keyed "<task>:<model>" with the test metric and the
median fit time in ms over r fits after one untimed warm-up fit (StandardScaler included where the model standardises).

Penalties match mlfolio's λ·Σw² on the mean loss: LogisticRegression C = 1/(2λn), Ridge
alpha = 2λn, PoissonRegressor alpha = 2λ. Regressors give point forecasts only: for CRPS they get a
Gaussian with the training residuals' sd, √(RSS/(n − p − 1)) (the dummies: the sd around their
constant, n − 1), as mlfolio's do.
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
from scipy import stats
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression, PoissonRegressor, Ridge
from sklearn.metrics import log_loss, mean_poisson_deviance
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
spec = json.load(open(sys.argv[1]))
l2, repeats = spec["l2"], spec["repeats"]


def load(name):
    path = spec["files"][name]
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    test = data[:, header.index("is_test")] == 1
    y = data[:, header.index("outcome")]
    X = data[:, [i for i, h in enumerate(header) if h not in ("is_test", "outcome")]]
    return X[~test], y[~test], X[test], y[test]


def timed(make, X, y):
    make().fit(X, y)  # one untimed warm-up fit, as on the mlfolio side
    times = []
    for _ in range(repeats):
        model = make()
        t0 = time.perf_counter()
        model.fit(X, y)
        times.append((time.perf_counter() - t0) * 1000)
    return model, statistics.median(times)


def crps(mean, sd, y):
    z = (y - mean) / sd
    return float(np.mean(sd * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))))


def rps(p, y):
    onehot = np.eye(p.shape[1])[y]
    cumulative = np.cumsum(p, axis=1)[:, :-1] - np.cumsum(onehot, axis=1)[:, :-1]
    return float(np.mean(np.sum(cumulative**2, axis=1) / (p.shape[1] - 1)))


result = {}

X, y, Xt, yt = load("mlb-wins")
n, p = X.shape
for name, strategy, lost in [("DummyRegressor(mean)", "mean", 1), ("DummyRegressor(median)", "median", 1)]:
    model, ms = timed(lambda: DummyRegressor(strategy=strategy), X, y)
    sd = np.sqrt(np.sum((y - model.predict(X)) ** 2) / (n - lost))
    result[f"regression:{name}"] = {"metric": crps(model.predict(Xt), sd, yt), "fit_ms": ms}
model, ms = timed(lambda: make_pipeline(StandardScaler(), Ridge(alpha=2 * l2 * n)), X, y)
sd = np.sqrt(np.sum((y - model.predict(X)) ** 2) / (n - p - 1))
result["regression:Ridge"] = {"metric": crps(model.predict(Xt), sd, yt), "fit_ms": ms}

X, y, Xt, yt = load("mlb-home-runs")
model, ms = timed(lambda: DummyRegressor(strategy="mean"), X, y)
result["count:DummyRegressor(mean)"] = {"metric": mean_poisson_deviance(yt, model.predict(Xt)), "fit_ms": ms}
model, ms = timed(lambda: make_pipeline(StandardScaler(), PoissonRegressor(alpha=2 * l2, max_iter=1000)), X, y)
result["count:PoissonRegressor"] = {"metric": mean_poisson_deviance(yt, model.predict(Xt)), "fit_ms": ms}

X, y, Xt, yt = load("international")
y, yt = y.astype(int), yt.astype(int)
n = len(y)
yb, ybt = (y == 2).astype(int), (yt == 2).astype(int)
model, ms = timed(lambda: DummyClassifier(strategy="prior"), X, yb)
result["binary:DummyClassifier(prior)"] = {"metric": log_loss(ybt, model.predict_proba(Xt)), "fit_ms": ms}
model, ms = timed(lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1 / (2 * l2 * n), max_iter=1000)), X, yb)
result["binary:LogisticRegression"] = {"metric": log_loss(ybt, model.predict_proba(Xt)), "fit_ms": ms}

model, ms = timed(lambda: DummyClassifier(strategy="prior"), X, y)
proba = model.predict_proba(Xt)
result["multiclass:DummyClassifier(prior)"] = {"metric": log_loss(yt, proba), "fit_ms": ms}
result["ordinal:DummyClassifier(prior)"] = {"metric": rps(proba, yt), "fit_ms": ms}
model, ms = timed(
    lambda: make_pipeline(
        StandardScaler(), LogisticRegression(C=1 / (2 * l2 * n), multi_class="multinomial", max_iter=1000)
    ),
    X,
    y,
)
proba = model.predict_proba(Xt)
result["multiclass:LogisticRegression(multinomial)"] = {"metric": log_loss(yt, proba), "fit_ms": ms}
result["ordinal:LogisticRegression(multinomial)"] = {"metric": rps(proba, yt), "fit_ms": ms}

print(json.dumps(result))
