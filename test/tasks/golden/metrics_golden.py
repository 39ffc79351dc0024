"""Golden values for test/tasks/metrics.test.ts, from scikit-learn and scipy.

Usage: /usr/bin/python3 test/tasks/golden/metrics_golden.py > test/tasks/golden/metrics.json
(then `npx biome check --write test/tasks/golden` formats the JSON as committed)
(Debian's python3-sklearn 1.2.1, scipy 1.10.1, numpy 1.24.2 produced the committed file.)
Inputs are drawn here with a fixed seed and written out with the expected values, so the test
scores exactly these rows. CRPS is integrated numerically (scipy.integrate.quad) rather than from
the closed form the code uses, and DeLong's variance is computed from its O(n²) definition.
"""
import json

import numpy as np
from scipy import integrate, stats
from sklearn import metrics

rng = np.random.default_rng(11)


def rounded(a):
    return [float(v) for v in np.round(a, 6)]


# Binary: scores with some ties (rounded to 0.05) so that the rank AUC's tie rule is exercised.
n = 40
binary_p = np.clip(np.round(rng.uniform(0.02, 0.98, n) / 0.05) * 0.05, 0.05, 0.95)
binary_y = (rng.uniform(size=n) < binary_p).astype(int)
pos, neg = binary_p[binary_y == 1], binary_p[binary_y == 0]
psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
delong_var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
binary = {
    "p1": rounded(binary_p),
    "y": binary_y.tolist(),
    "log_loss": metrics.log_loss(binary_y, binary_p),
    "brier": metrics.brier_score_loss(binary_y, binary_p),
    "accuracy": metrics.accuracy_score(binary_y, (binary_p > 0.5).astype(int)),
    "auc": metrics.roc_auc_score(binary_y, binary_p),
    "auc_delong_variance": float(delong_var),
}

# Three ordered classes.
k = 3
raw = rng.dirichlet([2, 1.5, 2], size=30)
multi_p = np.round(raw, 6)
multi_p[:, 2] = 1 - multi_p[:, 0] - multi_p[:, 1]
multi_y = np.array([rng.choice(k, p=row) for row in multi_p])
onehot = np.eye(k)[multi_y]
cumulative = np.cumsum(multi_p, axis=1)[:, : k - 1] - np.cumsum(onehot, axis=1)[:, : k - 1]
multiclass = {
    "p": [rounded(row) for row in multi_p],
    "y": multi_y.tolist(),
    "log_loss": metrics.log_loss(multi_y, multi_p, labels=[0, 1, 2]),
    "brier": float(np.mean(np.sum((multi_p - onehot) ** 2, axis=1))),
    "rps": float(np.mean(np.sum(cumulative**2, axis=1) / (k - 1))),
    "accuracy": metrics.accuracy_score(multi_y, np.argmax(multi_p, axis=1)),
}

# Regression: Gaussian forecasts.
m = 25
mean = np.round(rng.normal(80, 10, m), 3)
sd = np.round(rng.uniform(3, 12, m), 3)
y = np.round(mean + rng.normal(0, 1, m) * sd * 1.3, 1)


def crps_by_integration(mu, s, obs):
    below, _ = integrate.quad(lambda x: stats.norm.cdf(x, mu, s) ** 2, mu - 40 * s, obs, epsabs=1e-13, epsrel=1e-13, limit=200)
    above, _ = integrate.quad(lambda x: stats.norm.sf(x, mu, s) ** 2, obs, mu + 40 * s, epsabs=1e-13, epsrel=1e-13, limit=200)
    return below + above


levels = [0.1, 0.5, 0.9]
pinball = np.mean(
    [metrics.mean_pinball_loss(y, stats.norm.ppf(q, mean, sd), alpha=q) for q in levels]
)


def coverage(lo, hi, obs):
    return float(np.mean((obs >= lo) & (obs <= hi)))


regression = {
    "mean": rounded(mean),
    "sd": rounded(sd),
    "y": rounded(y),
    "mae": metrics.mean_absolute_error(y, mean),
    "rmse": float(np.sqrt(metrics.mean_squared_error(y, mean))),
    "crps": float(np.mean([crps_by_integration(a, b, c) for a, b, c in zip(mean, sd, y)])),
    "pinball": float(pinball),
    "coverage_80": coverage(stats.norm.ppf(0.1, mean, sd), stats.norm.ppf(0.9, mean, sd), y),
    "coverage_95": coverage(stats.norm.ppf(0.025, mean, sd), stats.norm.ppf(0.975, mean, sd), y),
}

# Count: Poisson forecasts, small and large means.
c = 25
rate = np.round(np.concatenate([rng.uniform(0.2, 5, 15), rng.uniform(60, 160, 10)]), 4)
counts = rng.poisson(rate * rng.uniform(0.7, 1.3, c))


def poisson_crps(mu, obs):
    top = int(max(obs, stats.poisson.ppf(1 - 1e-15, mu))) + 5
    ks = np.arange(0, top + 1)
    return float(np.sum((stats.poisson.cdf(ks, mu) - (obs <= ks)) ** 2))


count = {
    "mean": rounded(rate),
    "y": counts.tolist(),
    "poisson_deviance": metrics.mean_poisson_deviance(counts, rate),
    "mae": metrics.mean_absolute_error(counts, rate),
    "rmse": float(np.sqrt(metrics.mean_squared_error(counts, rate))),
    "crps": float(np.mean([poisson_crps(a, b) for a, b in zip(rate, counts)])),
    "pinball": float(
        np.mean([metrics.mean_pinball_loss(counts, stats.poisson.ppf(q, rate), alpha=q) for q in levels])
    ),
    "coverage_80": coverage(stats.poisson.ppf(0.1, rate), stats.poisson.ppf(0.9, rate), counts),
    "coverage_95": coverage(stats.poisson.ppf(0.025, rate), stats.poisson.ppf(0.975, rate), counts),
}

zs = [-8.5, -4.2, -2.5, -1.3, -0.2, 0, 0.7, 1.9, 2.6, 5.1]
ps = [1e-10, 1e-4, 0.025, 0.1, 0.3, 0.5, 0.8, 0.9, 0.975, 0.999]
poisson_points = [[0, 0.3], [2, 1.7], [7, 4.4], [95, 100.5], [130, 110.25], [700, 680.0]]
distributions = {
    "normal_cdf": [[z, float(stats.norm.cdf(z))] for z in zs],
    "normal_quantile": [[p, float(stats.norm.ppf(p))] for p in ps],
    "poisson_cdf": [[k_, mu, float(stats.poisson.cdf(k_, mu))] for k_, mu in poisson_points],
    "poisson_quantile": [
        [p, mu, int(stats.poisson.ppf(p, mu))] for p in [0.025, 0.1, 0.5, 0.9, 0.975] for mu in [0.3, 4.4, 100.5]
    ],
}

print(
    json.dumps(
        {
            "binary": binary,
            "multiclass": multiclass,
            "regression": regression,
            "count": count,
            "distributions": distributions,
        },
        indent=1,
    )
)
