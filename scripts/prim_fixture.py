#!/usr/bin/env python3
"""Makes tests/fixtures/prim/: a fixed dataset with a planted box (data.csv) and what the
standalone `prim` package (Project-Platypus, EMA Workbench's PRIM; version in the
fixture) finds on it (reference.json), which tests in src/tune/prim.rs reproduce.

The dataset: 1,000 points, four uniform inputs on different ranges, y = 1 inside the
box 0.2 <= x0 <= 0.6, 10 <= x1 <= 14 (20 % of the points) and 0 outside, each y then
flipped with probability 0.1 (noise), numpy seed 20261206. PRIM runs with the
original objective of Friedman and Fisher (mean of y in the box), peel and paste alpha
0.05 and a minimum mass of 0.05, as `megacluster discover` does with `--paste`.
reference.json keeps every step of the peeling-and-pasting trajectory (coverage,
density, mass, restricted dimensions and the box's limits), the chosen box (the last
step, the package's default) and its quasi-p-values.

Python, numpy and prim are needed only to remake the fixture, never to run the tests:

    pip install prim numpy pandas scipy
    scripts/prim_fixture.py tests/fixtures/prim
"""

import json
import sys
from importlib.metadata import version

import numpy as np
import pandas as pd
from prim import Prim, original

N = 1000
SEED = 20261206
RANGES = [(0.0, 1.0), (0.0, 20.0), (-1.0, 1.0), (100.0, 200.0)]
PLANTED = {"x0": (0.2, 0.6), "x1": (10.0, 14.0)}
NOISE = 0.1
ALPHA = 0.05
MASS_MIN = 0.05


def main(dest):
    rng = np.random.default_rng(SEED)
    x = pd.DataFrame(
        {f"x{i}": rng.uniform(lo, hi, N) for i, (lo, hi) in enumerate(RANGES)}
    )
    inside = np.ones(N, dtype=bool)
    for name, (lo, hi) in PLANTED.items():
        inside &= (x[name] >= lo) & (x[name] <= hi)
    flip = rng.uniform(size=N) < NOISE
    y = (inside ^ flip).astype(int)
    data = x.assign(y=y)
    # Full precision, so that both sides read the same floats.
    data.to_csv(f"{dest}/data.csv", index=False, float_format="%.17g")

    p = Prim(x, y, obj_func=original, peel_alpha=ALPHA, paste_alpha=ALPHA, mass_min=MASS_MIN)
    box = p.find_box()
    names = list(x.columns)
    steps = []
    for i, row in box.peeling_trajectory.iterrows():
        lims = box._box_lims[i]
        steps.append(
            {
                "coverage": float(row["coverage"]),
                "density": float(row["density"]),
                "mass": float(row["mass"]),
                "restricted": int(row["res dim"]),
                "limits": [[float(lims[n][0]), float(lims[n][1])] for n in names],
            }
        )
    chosen = len(steps) - 1
    qp = box._calculate_quasi_p(chosen)
    ref = {
        "package": f"prim {version('prim')}",
        "objective": "original",
        "peel_alpha": ALPHA,
        "paste_alpha": ALPHA,
        "mass_min": MASS_MIN,
        "planted": PLANTED,
        "noise": NOISE,
        "seed": SEED,
        "names": names,
        "trajectory": steps,
        "chosen": chosen,
        "quasi_p": {n: float(v) for n, v in qp.items()},
    }
    with open(f"{dest}/reference.json", "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    print(box)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/prim")
