"""scikit-learn's nearest equivalent of each model a project declares, on the rows the engine used.

Usage: /usr/bin/python3 bench/sklearn_pipeline.py <spec.json> <predictions.json>
spec.json (written by bench/pipeline.ts): the CSV of the engine's training and test rows (feature
columns, `is_test`, `outcome`), the task, the number of timed fits, and the project's models with
their params (defaults filled in). Writes, per model, the equivalent's name, what differs, the test
predictions (class probabilities; or a Gaussian's mean and sd; or a Poisson mean) and the CPU and
wall seconds of each timed fit. Scores are not computed here: the TypeScript side scores these
predictions with the same code that scores its own.

Conventions, as in mlfolio's linear models (`pipelines/tasks/models/linear.ts`): they minimise the
mean negative log-likelihood plus l2·Σw² on standardised features, which is scikit-learn's
LogisticRegression with C = 1/(2·l2·n), Ridge with alpha = 2·l2·n, PoissonRegressor with
alpha = 2·l2, each after a StandardScaler. Regressors give point forecasts; the Gaussian sd is
computed as mlfolio computes it for the same kind of model.
"""
import json
import platform
import statistics
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.compose import TransformedTargetRegressor
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, PoissonRegressor, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
spec = json.load(open(sys.argv[1]))
out_path = sys.argv[2]
task, repeats = spec["task"], spec["repeats"]
classification = task in ("binary", "multiclass", "ordinal")

with open(spec["csv"]) as f:
    header = f.readline().strip().split(",")
data = np.loadtxt(spec["csv"], delimiter=",", skiprows=1, ndmin=2)
is_test = data[:, header.index("is_test")] == 1
y_all = data[:, header.index("outcome")]
if classification:
    y_all = y_all.astype(int)


def columns(names):
    return data[:, [header.index(name) for name in names]]


def logistic(C, multinomial):
    # penalty=None for an unpenalised fit (mlfolio's rating baseline: l2 0).
    settings = dict(max_iter=1000)
    if multinomial:
        settings["multi_class"] = "multinomial"
    if C is None:
        return LogisticRegression(penalty=None, **settings)
    return LogisticRegression(C=C, **settings)


def residual_sd(y, predicted, df):
    return float(np.sqrt(np.sum((y - predicted) ** 2) / (len(y) - df)))


def ridge_df(X, alpha):
    """1 + tr(X(XᵀX + αI)⁻¹Xᵀ) on centred standardised features: the effective degrees of freedom."""
    Z = StandardScaler().fit_transform(X)
    s = np.linalg.svd(Z - Z.mean(axis=0), compute_uv=False)
    return 1 + float(np.sum(s**2 / (s**2 + alpha)))


class ResidualGaussian:
    """A point regressor whose fit also finds the Gaussian sd from its training residuals, as ours."""

    def __init__(self, make, df):
        self.make, self.df = make, df

    def fit(self, X, y):
        self.model = self.make().fit(X, y)
        df = self.df(X) if callable(self.df) else self.df
        self.sd = residual_sd(y, self.model.predict(X), df)
        return self

    def predict(self, X):
        return self.model.predict(X)


class HeldBackGaussian:
    """mlfolio's sd for trees and MLPs: fit without the latest rows, the RMS residual there, then refit."""

    def __init__(self, make, fraction, refit):
        self.make, self.fraction, self.refit = make, fraction, refit

    def fit(self, X, y):
        n = len(y)
        head = n - int(np.floor(n * self.fraction + 0.5))
        first = self.make().fit(X[:head], y[:head])
        self.sd = float(np.sqrt(np.mean((first.predict(X[head:]) - y[head:]) ** 2)))
        self.model = self.make().fit(X, y) if self.refit else first
        return self

    def predict(self, X):
        return self.model.predict(X)


def hgb(p):
    settings = dict(
        max_iter=p["rounds"],
        learning_rate=p["learningRate"],
        max_leaf_nodes=p["maxLeaves"],
        max_depth=p["maxDepth"],
        min_samples_leaf=p["minLeafRows"],
        max_bins=p["bins"],
        l2_regularization=p["l2"],
        early_stopping=False,
        random_state=spec["seed"],
    )
    if classification:
        return lambda: HistGradientBoostingClassifier(**settings)
    loss = "poisson" if task == "count" else "squared_error"
    return lambda: HistGradientBoostingRegressor(loss=loss, **settings)


def mlp(p, seed=None):
    settings = dict(
        hidden_layer_sizes=tuple(p["hidden"]),
        alpha=p["l2"],
        batch_size=p["batchSize"],
        learning_rate_init=p["learningRate"],
        max_iter=p["epochs"],
        # Exactly `epochs` epochs, as ours: no stopping on a stalled training loss.
        n_iter_no_change=p["epochs"] + 1,
        random_state=spec["seed"] if seed is None else seed,
    )
    if classification:
        return lambda: make_pipeline(StandardScaler(), MLPClassifier(**settings))
    # A standardised target, as ours for regression (and the nearest scikit-learn has to a count head).
    return lambda: TransformedTargetRegressor(
        regressor=make_pipeline(StandardScaler(), MLPRegressor(**settings)), transformer=StandardScaler()
    )


def equivalent(model, X, y):
    """(name, notes, factory, how a regression's Gaussian sd is found) for a declared model; None without one."""
    kind, p, n = model["kind"], model["params"], len(y)
    notes = []
    if kind == "class-prior":
        if p["smoothing"] > 0:
            notes.append(f"ours adds {p['smoothing']} to each class count; DummyClassifier uses the raw frequencies")
        return "DummyClassifier(prior)", notes, lambda: DummyClassifier(strategy="prior"), None
    if kind in ("mean", "median", "mean-rate"):
        strategy = "median" if kind == "median" else "mean"
        return f"DummyRegressor({strategy})", notes, lambda: DummyRegressor(strategy=strategy), ("residual", 1)
    if kind == "persistence":
        return None
    if kind == "rating":
        C = None if p["l2"] == 0 else 1 / (2 * p["l2"] * n)
        if task == "binary":
            return "LogisticRegression on the one feature", notes, lambda: logistic(C, False), None
        if task in ("multiclass", "ordinal"):
            if task == "ordinal":
                notes.append("scikit-learn has no ordinal logit: multinomial LogisticRegression on the one feature")
            return "LogisticRegression(multinomial) on the one feature", notes, lambda: logistic(C, True), None
        if task == "regression":
            return "LinearRegression on the one feature", notes, lambda: LinearRegression(), ("residual", 2)
        return "PoissonRegressor(alpha=0) on the one feature", notes, lambda: PoissonRegressor(alpha=0, max_iter=1000), None
    if kind == "logistic-regression":
        C = 1 / (2 * p["l2"] * n)
        return f"LogisticRegression(C={C:.3g})", notes, lambda: make_pipeline(StandardScaler(), logistic(C, False)), None
    if kind in ("multinomial-logit", "ordinal-logit"):
        C = 1 / (2 * p["l2"] * n)
        if kind == "ordinal-logit":
            notes.append("scikit-learn has no ordinal logit (proportional odds): compared with multinomial LogisticRegression")
        multinomial = task != "binary"
        name = f"LogisticRegression({'multinomial, ' if multinomial else ''}C={C:.3g})"
        return name, notes, lambda: make_pipeline(StandardScaler(), logistic(C, multinomial)), None
    if kind == "ridge":
        alpha = 2 * p["l2"] * n
        return f"Ridge(alpha={alpha:.3g})", notes, lambda: make_pipeline(StandardScaler(), Ridge(alpha=alpha)), ("ridge", alpha)
    if kind == "poisson-glm":
        alpha = 2 * p["l2"]
        return f"PoissonRegressor(alpha={alpha:.3g})", notes, lambda: make_pipeline(StandardScaler(), PoissonRegressor(alpha=alpha, max_iter=1000)), None
    if kind == "gradient-boosting":
        if p["subsample"] < 1:
            notes.append(f"ours samples {p['subsample']:.0%} of the rows per round; scikit-learn 1.2's HistGradientBoosting cannot")
        if task == "ordinal" and p["ordinalLoss"] == "cumulative-logit":
            notes.append("ours uses a cumulative logit; scikit-learn's classifier a softmax that ignores the order")
        if p["earlyStoppingRounds"] > 0:
            notes.append("ours stops early on the latest rows; scikit-learn's runs every round here")
        name = "HistGradientBoostingClassifier" if classification else "HistGradientBoostingRegressor"
        sd = ("held-back", p["heldBackFraction"], p["refit"]) if task == "regression" else None
        return name, notes, hgb(p), sd
    if kind == "mlp":
        name = "MLPClassifier" if classification else "MLPRegressor"
        if task == "count":
            notes.append("scikit-learn has no Poisson MLP: MLPRegressor on the standardised count")
        sd = ("held-back", p["heldBackFraction"], p["refit"]) if task == "regression" else None
        return name, notes, mlp(p), sd
    raise ValueError(f"no scikit-learn equivalent known for model kind {kind}")


seeded_kinds = ("mlp",)


def make_for_seed(model, seed):
    p = model["params"]
    base = mlp(p, seed)
    if task == "regression":
        return HeldBackGaussian(base, p["heldBackFraction"], p["refit"])
    return base()


def predictions(fitted, X_test):
    if classification:
        return {"p": fitted.predict_proba(X_test).tolist()}
    entry = {"mean": fitted.predict(X_test).tolist()}
    if task == "regression":
        entry["sd"] = fitted.sd
    return entry


def fit_timed(make, X, y):
    """Seconds per fit, `repeats` times; a fit quicker than the clock's noise is timed in batches."""
    # Untimed warm-up fits for at least warmUpS seconds (two at least), as on the mlfolio side;
    # the last one's time sizes the batches.
    started, fits = time.perf_counter(), 0
    while fits < 2 or time.perf_counter() - started < spec["warmUpS"]:
        w0 = time.perf_counter()
        make().fit(X, y)
        last_fit_s = time.perf_counter() - w0
        fits += 1
    batch = fits_per_measurement(last_fit_s)
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(batch):
            fitted = make().fit(X, y)
        cpu.append((time.process_time() - c0) / batch)
        wall.append((time.perf_counter() - w0) / batch)
    return fitted, cpu, wall


def fits_per_measurement(warm_up_s):
    """As bench/pipeline.ts: enough fits for a measurement of at least measurementS, at most 10,000."""
    return max(1, min(10_000, int(np.ceil(spec["measurementS"] / max(warm_up_s, 1e-6)))))


result = {}
for model in spec["models"]:
    X = columns(model["features"])
    X_train, y_train, X_test = X[~is_test], y_all[~is_test], X[is_test]
    found = equivalent(model, X_train, y_train)
    if found is None:
        result[model["id"]] = {"equivalent": None}
        continue
    name, notes, make, sd_rule = found
    if task == "regression":
        # The sd is part of the fit on both sides, so it is inside the timing.
        if sd_rule[0] == "held-back":
            make = lambda base=make, rule=sd_rule: HeldBackGaussian(base, rule[1], rule[2])  # noqa: E731
        elif sd_rule[0] == "ridge":
            make = lambda base=make, alpha=sd_rule[1]: ResidualGaussian(base, lambda X: ridge_df(X, alpha))  # noqa: E731
        else:
            make = lambda base=make, df=sd_rule[1]: ResidualGaussian(base, df)  # noqa: E731
    fitted, cpu, wall = fit_timed(make, X_train, y_train)
    entry = {"equivalent": name, "notes": notes, "cpu_s": cpu, "wall_s": wall, **predictions(fitted, X_test)}
    if model["kind"] in seeded_kinds:
        # A network's score moves with its initialisation: both sides are also scored over seeds.
        entry["by_seed"] = [
            predictions(make_for_seed(model, seed).fit(X_train, y_train), X_test) for seed in spec["seeds"]
        ]
    result[model["id"]] = entry

with open(out_path, "w") as f:
    json.dump(
        {
            "versions": {
                "python": platform.python_version(),
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
            },
            "models": result,
        },
        f,
    )
