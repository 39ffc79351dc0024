"""Reference values from scipy/numpy for the experiment statistics (test/experiments/statistics.test.ts).

Run with /usr/bin/python3 test/experiments/golden/statistics.py > test/experiments/golden/statistics.json
then `npx biome check --write test/experiments/golden/statistics.json` (the committed file is formatted).
The samples are generated here with a fixed seed and stored with the expected values.
"""
import json
import numpy as np
from scipy import stats, optimize

rng = np.random.default_rng(20260301)
out = {}

# Welch t: unequal sizes and variances.
c = rng.normal(0.62, 0.30, 180)
t = rng.normal(0.58, 0.45, 140)
res = stats.ttest_ind(t, c, equal_var=False)
vc, vt = c.var(ddof=1) / len(c), t.var(ddof=1) / len(t)
df = (vc + vt) ** 2 / (vc**2 / (len(c) - 1) + vt**2 / (len(t) - 1))
half = stats.t.ppf(0.975, df) * np.sqrt(vc + vt)
d = t.mean() - c.mean()
out["welch"] = {"control": c.tolist(), "treatment": t.tolist(), "difference": d, "statistic": float(res.statistic),
                "pValue": float(res.pvalue), "degreesOfFreedom": df, "interval": [d - half, d + half]}

# Paired t (shadow design).
base = rng.normal(0.6, 0.3, 120)
c2 = base + rng.normal(0, 0.05, 120)
t2 = base - 0.01 + rng.normal(0, 0.05, 120)
res = stats.ttest_rel(t2, c2)
diff = t2 - c2
half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
out["paired"] = {"control": c2.tolist(), "treatment": t2.tolist(), "statistic": float(res.statistic),
                 "pValue": float(res.pvalue), "interval": [diff.mean() - half, diff.mean() + half]}

# Ratio metric by the delta method: numerator and denominator per unit.
def ratio_var(x, y):
    n = len(x)
    r = x.mean() / y.mean()
    sxy = np.cov(x, y, ddof=1)[0, 1]
    return r, (x.var(ddof=1) - 2 * r * sxy + r * r * y.var(ddof=1)) / (n * y.mean() ** 2)
den_c = rng.poisson(3, 300) + 1
num_c = rng.binomial(den_c, 0.30).astype(float)
den_t = rng.poisson(3, 280) + 1
num_t = rng.binomial(den_t, 0.34).astype(float)
rc, vrc = ratio_var(num_c, den_c.astype(float))
rt, vrt = ratio_var(num_t, den_t.astype(float))
se = np.sqrt(vrc + vrt)
z = (rt - rc) / se
out["ratio"] = {"control": {"numerator": num_c.tolist(), "denominator": den_c.tolist()},
                "treatment": {"numerator": num_t.tolist(), "denominator": den_t.tolist()},
                "controlRatio": rc, "controlVariance": vrc, "treatmentRatio": rt, "treatmentVariance": vrt,
                "difference": rt - rc, "pValue": float(2 * stats.norm.sf(abs(z))),
                "interval": [rt - rc - stats.norm.ppf(0.975) * se, rt - rc + stats.norm.ppf(0.975) * se]}

# CUPED: covariate correlated ~0.7 with the metric.
xc = rng.normal(0, 1, 400)
xt = rng.normal(0, 1, 400)
yc = 0.7 * xc + rng.normal(0, np.sqrt(1 - 0.49), 400)
yt = 0.7 * xt + rng.normal(0, np.sqrt(1 - 0.49), 400) + 0.1
x = np.concatenate([xc, xt]); y = np.concatenate([yc, yt])
theta = np.cov(y, x, ddof=1)[0, 1] / x.var(ddof=1)
adj_c = yc - theta * (xc - x.mean()); adj_t = yt - theta * (xt - x.mean())
res = stats.ttest_ind(adj_t, adj_c, equal_var=False)
out["cuped"] = {"control": {"y": yc.tolist(), "x": xc.tolist()}, "treatment": {"y": yt.tolist(), "x": xt.tolist()},
                "theta": theta, "correlation": float(np.corrcoef(x, y)[0, 1]),
                "varianceReduction": 1 - np.concatenate([adj_c, adj_t]).var(ddof=1) / y.var(ddof=1),
                "adjustedDifference": adj_t.mean() - adj_c.mean(), "adjustedPValue": float(res.pvalue)}

# Multiple testing: Benjamini & Hochberg (1995)'s own example of 15 p-values.
p = np.array([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
              0.6528, 0.7590, 1.000])
m = len(p); order = np.argsort(p)
holm = np.empty(m); running = 0
for rank, i in enumerate(order):
    running = max(running, min(1, (m - rank) * p[i])); holm[i] = running
bh = np.empty(m); running = 1
for rank in range(m - 1, -1, -1):
    i = order[rank]; running = min(running, m * p[i] / (rank + 1)); bh[i] = min(1, running)
shuffled = rng.permutation(m)
out["multipleTesting"] = {"pValues": p[shuffled].tolist(), "holm": holm[shuffled].tolist(), "bh": bh[shuffled].tolist()}

# Power and MDE (normal approximation), A/B and paired, with and without CUPED.
cases = []
for units, variance, alpha, design, share, rho, pair in [(2000, 0.09, 0.05, "ab", 0.5, 0, 0), (2000, 0.09, 0.05, "ab", 0.5, 0.6, 0),
                                                          (5000, 1.0, 0.01, "ab", 0.8, 0, 0), (1000, 0.09, 0.05, "paired", 0.5, 0, 0.9)]:
    v = variance * (1 - rho**2)
    se = np.sqrt(2 * v * (1 - pair) / units) if design == "paired" else np.sqrt(v / (units * share) + v / (units * (1 - share)))
    za = stats.norm.ppf(1 - alpha / 2)
    effect = 0.02
    pw = stats.norm.cdf(effect / se - za) + stats.norm.cdf(-effect / se - za)
    cases.append({"units": units, "variance": variance, "alpha": alpha, "design": design, "controlShare": share,
                  "cupedCorrelation": rho, "pairCorrelation": pair, "effect": effect, "power": float(pw),
                  "mde80": float((za + stats.norm.ppf(0.8)) * se)})
out["power"] = cases

# Binomial CDF, quantile bounds and Clopper–Pearson bounds.
out["binomial"] = [{"k": k, "n": n, "p": pr, "value": float(stats.binom.cdf(k, n, pr))}
                   for k, n, pr in [(990, 1000, 0.99), (995, 1000, 0.99), (3, 50, 0.02), (0, 10, 0.3)]]
out["clopperPearson"] = [{"events": e, "n": n, "alpha": a,
                          "lower": float(stats.beta.ppf(a, e, n - e + 1)) if e > 0 else 0.0,
                          "upper": float(stats.beta.ppf(1 - a, e + 1, n - e)) if e < n else 1.0}
                         for e, n, a in [(3, 400, 0.05), (0, 200, 0.05), (37, 120, 0.025)]]

# Lan–DeMets O'Brien–Fleming boundaries solved independently: crossing probabilities of the
# correlated z statistics by scipy's multivariate normal CDF (Genz), boundaries by root finding.
# Spending per side at α/2 (the convention of gsDesign and rpact, and of published tables).
def spent(tk, alpha):
    return 2 * (2 - 2 * stats.norm.cdf(stats.norm.ppf(1 - alpha / 4) / np.sqrt(tk)))
def boundaries(fr, alpha):
    cs = []
    for k in range(len(fr)):
        cov = np.array([[np.sqrt(min(a, b) / max(a, b)) for b in fr[: k + 1]] for a in fr[: k + 1]])
        def continue_prob(ck):
            b = np.array(cs + [ck])
            mvn = stats.multivariate_normal(mean=np.zeros(k + 1), cov=cov, allow_singular=False)
            mvn.abseps = 1e-8; mvn.releps = 1e-8; mvn.maxpts = 2_000_000
            return mvn.cdf(b, lower_limit=-b)
        target = 1 - spent(fr[k], alpha)
        cs.append(optimize.brentq(lambda ck: continue_prob(ck) - target, 0.5, 12, xtol=1e-7))
    return cs
out["groupSequential"] = [{"fractions": fr, "alpha": a, "boundaries": boundaries(fr, a)}
                          for fr, a in [([1/3, 2/3, 1], 0.05), ([0.2, 0.4, 0.6, 0.8, 1.0], 0.05), ([0.3, 0.65, 1.0], 0.01)]]
print(json.dumps(out))
