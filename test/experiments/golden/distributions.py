"""Reference values from scipy for experiments/statistics/distributions.ts and the SRM test.

Run with /usr/bin/python3 test/experiments/golden/distributions.py > test/experiments/golden/distributions.json
then `npx biome check --write test/experiments/golden/distributions.json` (the committed file is formatted).
"""
import json
from scipy import stats

out = {"normalCdf": [], "normalQuantile": [], "tCdf": [], "tQuantile": [], "chiSquareSf": [], "srm": []}
for z in [-8.5, -5, -3.2, -1.96, -0.5, 0, 0.3, 1.644854, 2.5, 6]:
    out["normalCdf"].append({"z": z, "value": float(stats.norm.cdf(z))})
for p in [1e-10, 0.0005, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.995, 0.9999999]:
    out["normalQuantile"].append({"p": p, "value": float(stats.norm.ppf(p))})
for t, df in [(-3.1, 4), (-1.2, 2.5), (0.4, 17.3), (2.05, 30), (5.5, 9), (1.96, 1e4), (-12, 3)]:
    out["tCdf"].append({"t": t, "df": df, "value": float(stats.t.cdf(t, df))})
for p, df in [(0.975, 3), (0.975, 17.3), (0.95, 120.5), (0.025, 8), (0.999, 2)]:
    out["tQuantile"].append({"p": p, "df": df, "value": float(stats.t.ppf(p, df))})
for x, df in [(0.5, 1), (3.84, 1), (10.83, 1), (25, 2), (7.2, 3), (60, 40), (0.01, 5)]:
    out["chiSquareSf"].append({"x": x, "df": df, "value": float(stats.chi2.sf(x, df))})
for observed, percent in [([5040, 4960], [50, 50]), ([5200, 4800], [50, 50]), ([3000, 3100, 3900], [30, 30, 40]),
                          ([8950, 1050], [90, 10])]:
    total = sum(observed)
    expected = [total * p / 100 for p in percent]
    res = stats.chisquare(observed, expected)
    out["srm"].append({"observed": observed, "percent": percent, "chiSquare": float(res.statistic), "pValue": float(res.pvalue)})
print(json.dumps(out, indent=1))
