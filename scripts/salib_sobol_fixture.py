#!/usr/bin/env python3
"""Makes tests/fixtures/sobol_salib.json: a Sobol design of `megacluster sensitivity
--method sobol` (its design.csv and settings.json) with SALib's first-order and total
indices on it, which tests/sobol_salib.rs compares with the engine's to 1e-9.

Python and SALib are needed only to remake the fixture, never to run the tests:

    pip install SALib
    megacluster sensitivity scenarios/baseline.ron --method sobol --samples 64 --runs 20 \
      --outcome fabless_1t_firms@2035 --param market.ai_demand_growth=0.1..0.5 \
      --param model.fabless.spillover_weight=0..0.5 \
      --param policy.fabless_support_krw_b=0..500 --out /tmp/sobol --quiet
    scripts/salib_sobol_fixture.py /tmp/sobol tests/fixtures/sobol_salib.json
"""

import csv
import json
import sys

import numpy as np
from importlib.metadata import version
from SALib.analyze import sobol


def main(folder, dest):
    settings = json.load(open(f"{folder}/settings.json"))
    params = settings["parameters"]
    k = len(params)
    outcome = settings["settings"]["outcome"] + " mean"
    rows = list(csv.DictReader(open(f"{folder}/design.csv")))
    n = sum(1 for r in rows if r["role"] == "A")
    assert len(rows) == n * (k + 2), "not a Sobol design of N (k + 2) points"
    # SALib reads the points per sample: A, AB_0 ... AB_{k-1}, B.
    rank = {r: i for i, r in enumerate(["A"] + [f"AB_{i}" for i in range(k)] + ["B"])}
    ordered = sorted(rows, key=lambda r: (int(r["sample"]), rank[r["role"]]))
    y = np.array([float(r[outcome]) for r in ordered])
    problem = {
        "num_vars": k,
        "names": [p["path"] for p in params],
        "bounds": [[p["lo"], p["hi"]] for p in params],
    }
    si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=100, seed=1)
    fixture = {
        "made_by": "scripts/salib_sobol_fixture.py with SALib " + version("SALib"),
        "seed": settings["seed"],
        "runs_per_ensemble": settings["runs_per_ensemble"],
        "samples": n,
        "outcome": outcome,
        "parameters": params,
        # The design in the engine's order (point order of design.csv).
        "points": [
            {
                "role": r["role"],
                "sample": int(r["sample"]),
                "values": [float(r[p["path"]]) for p in params],
                "outcome": float(r[outcome]),
            }
            for r in rows
        ],
        "salib": {
            "S1": [float(v) for v in si["S1"]],
            "ST": [float(v) for v in si["ST"]],
        },
    }
    # One design point a line, so the file stays readable and diffs stay small.
    points = fixture.pop("points")
    text = json.dumps(fixture, indent=1)
    rows = ",\n".join("  " + json.dumps(p) for p in points)
    text = text[: text.rindex("}")].rstrip() + ',\n "points": [\n' + rows + "\n ]\n}\n"
    with open(dest, "w") as f:
        f.write(text)
    for p, s1, st in zip(problem["names"], si["S1"], si["ST"]):
        print(f"{p}: S1 {s1:.6f}  ST {st:.6f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
