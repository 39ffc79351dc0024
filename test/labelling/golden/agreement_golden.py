"""Golden agreement values for test/labelling/agreement.test.ts.

Cohen's kappa comes from scikit-learn. Krippendorff's alpha is recomputed here with numpy from the
coincidence-matrix definition, following the structure of the `krippendorff` package (Castro,
pln-fing-udelar/fast-krippendorff), which is not installed here. Fleiss' kappa follows Fleiss (1971).
Reads the datasets as JSON on stdin, prints the values as JSON. Run with /usr/bin/python3.
"""
import json
import sys

import numpy as np
from sklearn.metrics import cohen_kappa_score


def alpha(data, level, order=None):
    data = [[v for v in unit] for unit in data]
    domain = order or sorted({v for unit in data for v in unit if v is not None},
                             key=(float if level == "interval" else str))
    counts = np.array([[sum(1 for v in unit if v == d) for d in domain] for unit in data], dtype=float)
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    o = np.zeros((len(domain), len(domain)))
    for unit, mu in zip(counts, m):
        o += (np.outer(unit, unit) - np.diag(unit)) / (mu - 1)
    n_v = o.sum(axis=1)
    n = n_v.sum()
    e = (np.outer(n_v, n_v) - np.diag(n_v)) / (n - 1)
    idx = np.arange(len(domain))
    if level == "nominal":
        d = (idx[:, None] != idx[None, :]).astype(float)
    elif level == "interval":
        x = np.array([float(v) for v in domain])
        d = (x[:, None] - x[None, :]) ** 2
    else:
        d = np.zeros_like(o)
        for c in idx:
            for k in idx:
                lo, hi = min(c, k), max(c, k)
                d[c, k] = (n_v[lo:hi + 1].sum() - (n_v[lo] + n_v[hi]) / 2) ** 2
    return float(1 - (o * d).sum() / (e * d).sum())


def fleiss(data):
    cats = sorted({v for unit in data for v in unit if v is not None})
    counts = np.array([[sum(1 for v in unit if v == c) for c in cats] for unit in data], dtype=float)
    n = counts.sum(axis=1)[0]
    p_i = ((counts * (counts - 1)).sum(axis=1)) / (n * (n - 1))
    p_j = counts.sum(axis=0) / counts.sum()
    p_bar, p_e = p_i.mean(), (p_j ** 2).sum()
    return float((p_bar - p_e) / (1 - p_e))


def main():
    cases = json.load(sys.stdin)
    out = {}
    for name, case in cases.items():
        units = case["units"]
        result = {}
        if case.get("cohen"):
            a = [u[0] for u in units if u[0] is not None and u[1] is not None]
            b = [u[1] for u in units if u[0] is not None and u[1] is not None]
            result["cohen"] = float(cohen_kappa_score(a, b))
            if case.get("order"):
                labels = case["order"]
                result["cohen_linear"] = float(cohen_kappa_score(a, b, labels=labels, weights="linear"))
                result["cohen_quadratic"] = float(cohen_kappa_score(a, b, labels=labels, weights="quadratic"))
        result["alpha_nominal"] = alpha(units, "nominal")
        if case.get("order"):
            result["alpha_ordinal"] = alpha(units, "ordinal", case["order"])
        if case.get("interval"):
            result["alpha_interval"] = alpha(units, "interval")
        if case.get("fleiss"):
            result["fleiss"] = fleiss(units)
        out[name] = result
    json.dump(out, sys.stdout)


main()
