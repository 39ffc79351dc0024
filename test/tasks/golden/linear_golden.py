"""Golden values for test/tasks/linear.test.ts, from scikit-learn and scipy.

Usage: /usr/bin/python3 test/tasks/golden/linear_golden.py > test/tasks/golden/linear.json
(then `npx biome check --write test/tasks/golden` formats the JSON as committed)
(Debian's python3-sklearn 1.2.1, scipy 1.10.1, numpy 1.24.2 produced the committed file.)
The rows are drawn here with a fixed seed and written out with the fitted coefficients, which are
on the standardised scale (StandardScaler, population sd) like mlfolio's. The penalty is
l2·Σw² on the mean negative log-likelihood, i.e. LogisticRegression C = 1/(2·l2·n), Ridge
alpha = 2·l2·n, PoissonRegressor alpha = 2·l2. scikit-learn has no ordinal logit: that one is
minimised here with scipy's BFGS on the same penalised likelihood.
"""
import json

import numpy as np
from scipy import optimize, special
from sklearn.linear_model import LogisticRegression, PoissonRegressor, Ridge
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(2026)
n, l2 = 300, 0.01
raw = np.column_stack([rng.normal(1500, 200, n), rng.uniform(0, 1, n), rng.poisson(3, n)]).astype(float)
X = StandardScaler().fit_transform(raw)
eta = X @ np.array([0.8, -0.5, 0.3])

binary_y = (rng.uniform(size=n) < special.expit(eta - 0.2)).astype(int)
logit = np.column_stack([eta, 0.3 * np.ones(n), -eta])
multi_y = np.array([rng.choice(3, p=special.softmax(row)) for row in logit])
ordinal_y = np.digitize(eta + rng.logistic(size=n), [-0.6, 0.5])
regression_y = 80 + 6 * eta + rng.normal(0, 4, n)
count_y = rng.poisson(np.exp(1.2 + 0.4 * eta))

# newton-cg: lbfgs stops at a gradient near 1e-6 here even with tol=1e-12. newton-cg warns that it
# did not converge only because tol=1e-12 is below what its line search can measure; its gradient
# at the result is below 1e-9.
tight = dict(tol=1e-12, max_iter=100000, solver="newton-cg")
logistic = LogisticRegression(C=1 / (2 * l2 * n), **tight).fit(X, binary_y)
multinomial = LogisticRegression(C=1 / (2 * l2 * n), multi_class="multinomial", **tight).fit(X, multi_y)
ridge = Ridge(alpha=2 * l2 * n).fit(X, regression_y)
poisson = PoissonRegressor(alpha=2 * l2, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(X, count_y)

# Ridge's predictive sd: RSS / (n − df), df the trace of the hat matrix with an unpenalised intercept.
X1 = np.column_stack([X, np.ones(n)])
penalty = np.diag([2 * l2 * n] * X.shape[1] + [0.0])
hat = X1 @ np.linalg.solve(X1.T @ X1 + penalty, X1.T)
rss = np.sum((regression_y - ridge.predict(X)) ** 2)
ridge_sd = float(np.sqrt(rss / (n - np.trace(hat))))


def ordinal_objective(params):
    w, cuts = params[:3], params[3:]
    if cuts[1] <= cuts[0]:
        return np.inf
    lin = X @ w
    upper = np.where(ordinal_y < 2, np.take(np.append(cuts, np.inf), ordinal_y) - lin, np.inf)
    lower = np.where(ordinal_y > 0, np.take(np.insert(cuts, 0, -np.inf), ordinal_y) - lin, -np.inf)
    p = special.expit(upper) - special.expit(lower)
    return -np.mean(np.log(p)) + l2 * np.sum(w**2)


ordinal = optimize.minimize(ordinal_objective, np.array([0, 0, 0, -0.5, 0.5]), method="BFGS", options={"gtol": 1e-11})

print(
    json.dumps(
        {
            "l2": l2,
            "rows": raw.tolist(),
            "binary": {"y": binary_y.tolist(), "weights": logistic.coef_[0].tolist(), "intercept": float(logistic.intercept_[0])},
            "multinomial": {
                "y": multi_y.tolist(),
                "weights": multinomial.coef_.tolist(),
                "probabilities": multinomial.predict_proba(X[:5]).tolist(),
            },
            "ordinal": {"y": ordinal_y.tolist(), "weights": ordinal.x[:3].tolist(), "thresholds": ordinal.x[3:].tolist()},
            "ridge": {
                "y": regression_y.tolist(),
                "weights": ridge.coef_.tolist(),
                "intercept": float(ridge.intercept_),
                "sd": ridge_sd,
            },
            "poisson": {"y": count_y.tolist(), "weights": poisson.coef_.tolist(), "intercept": float(poisson.intercept_)},
        }
    )
)
