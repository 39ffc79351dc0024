"""scikit-learn on the exact features and split mlfolio used (exported by bench/pipeline.ts).

Usage: /usr/bin/python3 bench/sklearn_pipeline.py <features.csv> <params.json>
Prints one JSON object: per model, test RPS, log loss, Brier, accuracy and fit seconds, and the
script's own wall time (CSV read + scaling + three fits + scoring).
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

path, params_path = sys.argv[1], sys.argv[2]
params = json.load(open(params_path))
with open(path) as f:
    header = f.readline().strip().split(",")
data = np.loadtxt(path, delimiter=",", skiprows=1)
is_test = data[:, header.index("is_test")] == 1
y = data[:, header.index("outcome")].astype(int)
X = data[:, [i for i, name in enumerate(header) if name not in ("is_test", "outcome")]]
X_train, y_train, X_test, y_test = X[~is_test], y[~is_test], X[is_test], y[is_test]


def scores(p, y):
    onehot = np.eye(3)[y]
    cumulative = np.cumsum(p, axis=1)[:, :2] - np.cumsum(onehot, axis=1)[:, :2]
    return {
        "rps": float(np.mean(np.sum(cumulative**2, axis=1) / 2)),
        "log_loss": float(np.mean(-np.log(np.clip(p[np.arange(len(y)), y], 1e-15, 1)))),
        "brier": float(np.mean(np.sum((p - onehot) ** 2, axis=1))),
        "accuracy": float(np.mean(np.argmax(p, axis=1) == y)),
    }


logreg, mlp, gb = params["logreg"], params["mlp"], params["boosting"]
n = len(y_train)
models = {
    # L2 penalty λ·Σw² on the mean loss ⇔ C = 1 / (2·λ·n) on sklearn's summed loss.
    "LogisticRegression": make_pipeline(
        StandardScaler(), LogisticRegression(C=1 / (2 * logreg["l2"] * n), max_iter=1000)
    ),
    "HistGradientBoostingClassifier": HistGradientBoostingClassifier(
        max_iter=gb["rounds"],
        learning_rate=gb["learningRate"],
        max_depth=gb["maxDepth"],  # both count edges from the root to the deepest leaf
        min_samples_leaf=gb["minLeafRows"],
        max_bins=gb["bins"],
        l2_regularization=gb["l2"],
        early_stopping=False,
        random_state=42,
    ),
    "MLPClassifier": make_pipeline(
        StandardScaler(),
        MLPClassifier(
            hidden_layer_sizes=tuple(mlp["hidden"]),
            alpha=mlp["l2"],
            batch_size=mlp["batchSize"],
            learning_rate_init=mlp["learningRate"],
            max_iter=mlp["epochs"],
            random_state=42,
        ),
    ),
}
result = {}
import warnings  # noqa: E402

warnings.filterwarnings("ignore")
for name, model in models.items():
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    fit_s = time.perf_counter() - t0
    result[name] = {**scores(model.predict_proba(X_test), y_test), "fit_s": fit_s}
result["wall_s"] = time.perf_counter() - t_start
print(json.dumps(result))
