"""scikit-learn on the exact rows bench/task-trees.ts exported, for `npm run bench:task-trees`.

Usage: /usr/bin/python3 bench/task_trees_sklearn.py <config.json>
The config lists datasets (a CSV of features, `is_test` and `outcome`, and the task) and the matched
settings. Prints one JSON object: per dataset and model, the primary test metric (mean over seeds)
and every fit's CPU and wall seconds.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
config = json.load(open(sys.argv[1]))


def primary(task, y, predicted):
    """Log loss (binary, multiclass), RPS (ordinal), RMSE, or mean Poisson deviance."""
    if task == "ordinal":
        k = predicted.shape[1]
        observed = np.eye(k)[y.astype(int)]
        gaps = np.cumsum(predicted, axis=1)[:, :-1] - np.cumsum(observed, axis=1)[:, :-1]
        return float(np.mean(np.sum(gaps**2, axis=1) / (k - 1)))
    if task in ("binary", "multiclass"):
        p = np.clip(predicted[np.arange(len(y)), y.astype(int)], 1e-15, 1)
        return float(np.mean(-np.log(p)))
    if task == "regression":
        return float(np.sqrt(np.mean((predicted - y) ** 2)))
    mu = np.maximum(predicted, 1e-6)
    term = np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0.0)
    return float(np.mean(2 * (term - (y - mu))))


def hgb(task, p, seed):
    common = dict(
        max_iter=p["rounds"],
        learning_rate=p["learningRate"],
        max_leaf_nodes=p["maxLeaves"],
        max_depth=p["maxDepth"],
        min_samples_leaf=p["minLeafRows"],
        max_bins=p["bins"],
        l2_regularization=p["l2"],
        early_stopping=False,
        random_state=seed,
    )
    if task in ("binary", "multiclass", "ordinal"):
        return HistGradientBoostingClassifier(**common)
    return HistGradientBoostingRegressor(loss="poisson" if task == "count" else "squared_error", **common)


def mlp(task, p, seed):
    common = dict(
        hidden_layer_sizes=tuple(p["hidden"]),
        alpha=p["l2"],
        batch_size=p["batchSize"],
        learning_rate_init=p["learningRate"],
        max_iter=p["epochs"],
        # Exactly `epochs` epochs, as ours: no stopping on a stalled training loss.
        n_iter_no_change=p["epochs"] + 1,
        random_state=seed,
    )
    if task in ("binary", "multiclass", "ordinal"):
        return make_pipeline(StandardScaler(), MLPClassifier(**common))
    # Targets standardised, as ours does for regression (and the nearest sklearn has to a count head).
    return TransformedTargetRegressor(
        regressor=make_pipeline(StandardScaler(), MLPRegressor(**common)), transformer=StandardScaler()
    )


def predict(model, task, X):
    if task in ("binary", "multiclass", "ordinal"):
        return model.predict_proba(X)
    return model.predict(X)


result = {}
for dataset in config["datasets"]:
    with open(dataset["csv"]) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(dataset["csv"], delimiter=",", skiprows=1)
    is_test = data[:, header.index("is_test")] == 1
    y = data[:, header.index("outcome")]
    X = data[:, [i for i, name in enumerate(header) if name not in ("is_test", "outcome")]]
    X_train, y_train, X_test, y_test = X[~is_test], y[~is_test], X[is_test], y[is_test]
    if dataset["task"] in ("binary", "multiclass", "ordinal"):
        y_train = y_train.astype(int)
    task = dataset["task"]
    out = {}
    for name, make, params, seeds in (
        ("trees", hgb, config["trees"], [42] * config["treeFits"]),
        ("mlp", mlp, dataset["mlp"], config["mlpSeeds"]),
    ):
        metrics, cpu, wall = [], [], []
        for seed in seeds:
            model = make(task, params, seed)
            c0, w0 = time.process_time(), time.perf_counter()
            model.fit(X_train, y_train)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            metrics.append(primary(task, y_test, predict(model, task, X_test)))
        entry = {"metric": float(np.mean(metrics)), "metrics": metrics, "cpu_s": cpu, "wall_s": wall}
        if task == "regression":
            # The same work as mlfolio's Gaussian forecast: fit without the latest rows, measure the
            # residuals there, refit on every row.
            n = len(y_train)
            head = n - int(np.floor(n * config["heldBackFraction"] + 0.5))
            same = []
            for seed in seeds:
                c0 = time.process_time()
                first = make(task, params, seed).fit(X_train[:head], y_train[:head])
                np.sqrt(np.mean((first.predict(X_train[head:]) - y_train[head:]) ** 2))
                make(task, params, seed).fit(X_train, y_train)
                same.append(time.process_time() - c0)
            entry["cpu_s_with_sd"] = same
        out[name] = entry
    result[dataset["name"]] = out
print(json.dumps(result))
