"""The pandas equivalent of `bench/features.ts`: the same 20 point-in-time features by
groupby-shift-rolling, on the same CSV. Prints one JSON line with the wall time and peak RSS, and
writes the features of the sampled ids to a CSV for the value check.

Usage: /usr/bin/python3 bench/features_pandas.py events.csv sample_ids.txt out.csv
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd


def main(events_path: str, sample_path: str, out_path: str) -> None:
    start = time.perf_counter()
    df = pd.read_csv(events_path, parse_dates=["date"])
    # Point in time needs each entity's events in time order; every (entity, date) is unique.
    df = df.sort_values(["entity", "date"], kind="stable").reset_index(drop=True)
    g = df.groupby("entity", sort=False)
    out = pd.DataFrame({"id": df["id"]})

    def shifted(column):
        # The value of the previous event: shifting first makes every window end strictly before.
        return g[column].shift(1)

    def by_events(series, window, func, min_periods=1):
        rolled = getattr(series.groupby(df["entity"], sort=False).rolling(window, min_periods=min_periods), func)()
        return rolled.to_numpy()

    def by_days(column, days, func):
        rolled = getattr(
            df.groupby("entity", sort=False).rolling(f"{days}D", on="date", closed="left")[column], func
        )()
        return rolled.to_numpy()

    x = shifted("x")
    y = shifted("y")
    z = shifted("z")
    out["x_lag1"] = x
    out["x_lag2"] = g["x"].shift(2)
    out["x_lag3"] = g["x"].shift(3)
    out["x_mean5"] = by_events(x, 5, "mean")
    out["x_mean10"] = by_events(x, 10, "mean")
    out["x_mean20"] = by_events(x, 20, "mean")
    out["x_std10"] = by_events(x, 10, "std", min_periods=2)
    out["y_sum5"] = by_events(y, 5, "sum")
    out["x_min10"] = by_events(x, 10, "min")
    out["x_max10"] = by_events(x, 10, "max")
    out["y_mean30d"] = by_days("y", 30, "mean")
    out["y_mean90d"] = by_days("y", 90, "mean")
    out["x_count30d"] = np.nan_to_num(by_days("x", 30, "count"), nan=0.0)
    out["y_std90d"] = by_days("y", 90, "std")
    out["z_mean5"] = by_events(z, 5, "mean")
    out["z_mean30d"] = by_days("z", 30, "mean")
    out["gap"] = (df["date"] - g["date"].shift(1)).dt.days.clip(upper=365).fillna(365)
    out["z_lag1"] = z
    out["x_trend"] = out["x_mean5"] - out["x_mean20"]
    out["y_ratio"] = out["y_mean30d"] / out["y_mean90d"].replace(0, np.nan)
    elapsed = time.perf_counter() - start

    sample = set(int(line) for line in open(sample_path) if line.strip())
    out[out["id"].isin(sample)].to_csv(out_path, index=False, float_format="%.17g")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": elapsed, "peakRssBytes": peak, "rows": len(out), "pandas": pd.__version__}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
