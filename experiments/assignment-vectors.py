"""Golden assignment vectors, computed independently of the TypeScript code (Python's hashlib).

Run with /usr/bin/python3 experiments/assignment-vectors.py > experiments/assignment-vectors.json,
then `npx biome check --write experiments/assignment-vectors.json` (the committed file is formatted).
The serving side and the analysis side both test against the JSON file.
"""
import hashlib
import json


def bucket(seed, salt, unit):
    digest = hashlib.sha256(f"{seed}\0{salt}\0{unit}".encode("utf-8")).digest()
    return (int.from_bytes(digest[:4], "big") * 10000) // 2**32


def assign(plan, unit):
    if plan["holdoutPercent"] > 0 and bucket(plan["seed"], "holdout", unit) < plan["holdoutPercent"] * 100:
        return {"status": "holdout"}
    layer = plan["layer"]
    lb = bucket(plan["seed"], "layer:" + layer["name"], unit)
    if lb < layer["from"] * 100 or lb >= layer["to"] * 100:
        return {"status": "outside-layer"}
    b = bucket(plan["seed"], plan["key"], unit)
    cumulative = 0
    for arm in plan["arms"]:
        cumulative += arm["traffic"] * 100
        if b < cumulative:
            return {"status": "assigned", "arm": arm["model"], "bucket": b}
    return {"status": "assigned", "arm": plan["arms"][-1]["model"], "bucket": b}


plans = [
    {"key": "gbm-vs-elo", "seed": "mlfolio", "holdoutPercent": 0,
     "layer": {"name": "default", "from": 0, "to": 100},
     "arms": [{"model": "elo-logistic", "control": True, "traffic": 50},
              {"model": "gradient-boosting", "control": False, "traffic": 50}]},
    {"key": "three-arms", "seed": "season-2026", "holdoutPercent": 10,
     "layer": {"name": "ranking", "from": 20, "to": 70},
     "arms": [{"model": "elo-logistic", "control": True, "traffic": 33.34},
              {"model": "gradient-boosting", "control": False, "traffic": 33.33},
              {"model": "mlp", "control": False, "traffic": 33.33}]},
    {"key": "unicode-units", "seed": "s", "holdoutPercent": 0,
     "layer": {"name": "default", "from": 0, "to": 100},
     "arms": [{"model": "a", "control": True, "traffic": 90}, {"model": "b", "control": False, "traffic": 10}]},
]
units = [f"fixture-{i}" for i in range(40)] + ["client:7f3a", "Bayern München", "", "x" * 200]
vectors = []
for plan in plans:
    cases = []
    for unit in units:
        if unit == "":
            continue
        cases.append({"unit": unit,
                      "holdoutBucket": bucket(plan["seed"], "holdout", unit),
                      "layerBucket": bucket(plan["seed"], "layer:" + plan["layer"]["name"], unit),
                      "armBucket": bucket(plan["seed"], plan["key"], unit),
                      "assignment": assign(plan, unit)})
    vectors.append({"plan": plan, "cases": cases})
print(json.dumps({"generatedBy": "experiments/assignment-vectors.py", "vectors": vectors}, indent=1, ensure_ascii=False))
