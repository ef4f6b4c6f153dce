#!/usr/bin/env python3
"""The fabless phase (phase 7) written the way an analyst would in numpy: every run's
design firms in one (runs x firms) array, one vectorised pass a year. It is the
comparison issue 17 asks for ("ahead of a vectorised numpy port"): the same growth
equation as src/model/systems/fabless.rs at the baseline's defaults, with the same
per-firm work (support selection, spillover pull by site, size drag, AI, technology,
grants, talent, a clamped Student-t shock, sales, profit and cash), but none of the
other eleven phases: their inputs (foundry access, site shortages, technology levels,
grants) are held at plausible values. Not a test dependency; run by hand:

    pip install numpy && python3 scripts/numpy_fabless.py [RUNS]

It prints design firm-years per second, on one core (numpy's loops are single-threaded).
"""
import sys
import time

import numpy as np

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
FIRMS, YEARS, SITES = 225, 20, 10  # the baseline's ~225 design firms, 2023-2042
P = dict(base_growth=0.04, growth_sd=0.22, tail_dof=3.0, size_drag=0.03, access_weight=0.3,
         support_growth_boost=0.25, support_half_ratio=0.1, spillover_weight=0.15,
         ai_weight=0.35, rnd_weight=0.15, talent_penalty=0.4, support_min=20.0,
         tech_weight=0.1, shock_clamp=8.0, growth_clamp=3.0)
BUDGET, PER_PROJECT = 130.0, 6.5


def simulate(rng):
    shape = (RUNS, FIRMS)
    revenue = np.exp(rng.normal(2.0, 1.3, shape))  # LogNormal(2.0, 1.3), KRW B
    margin = np.full(shape, 0.1)
    cash = 0.3 * revenue
    site = rng.integers(0, SITES, shape)
    flagged = rng.random(shape) < 0.13
    ai_exposure = rng.random(shape) * 0.5
    tech = rng.uniform(0.7, 1.0, shape)
    grants = 0.01 * revenue
    support_prev = np.zeros(shape)
    spill_prev = None
    rows = np.arange(RUNS)[:, None]
    projects = int(BUDGET // PER_PROJECT)
    scale = np.sqrt((P["tail_dof"] - 2.0) / P["tail_dof"])
    for year in range(YEARS):
        # Spillover pull: sales by site (every run at once), log change on last year's.
        mass = np.zeros((RUNS, SITES))
        np.add.at(mass, (np.broadcast_to(rows, shape), site), revenue / 1000.0)
        spill = mass + 0.2 * mass.sum(axis=1, keepdims=True)
        spill_log = np.zeros((RUNS, SITES)) if spill_prev is None else np.log(
            np.maximum(spill, 1e-9) / np.maximum(spill_prev, 1e-9))
        spill_prev = spill
        # Support: the `projects` highest random keys among eligible firms, flagged first.
        key = rng.random(shape) + flagged
        key[~(flagged | (revenue >= P["support_min"]))] = -1.0
        top = np.argpartition(-key, projects - 1, axis=1)[:, :projects]
        chosen = np.zeros(shape, dtype=bool)
        chosen[rows, top] = np.take_along_axis(key, top, axis=1) >= 0.0
        support_now = np.where(chosen, PER_PROJECT, 0.0)
        cash += support_now
        if year > 0:
            size = np.where(revenue > 100.0, np.log(np.maximum(revenue, 100.0) / 100.0), 0.0)
            ratio = np.maximum(support_prev / revenue, 0.0)
            boost = P["support_growth_boost"] * ratio / (ratio + P["support_half_ratio"])
            g = (P["base_growth"] - P["size_drag"] * size
                 + P["access_weight"] * 0.02
                 + P["spillover_weight"] * np.take_along_axis(spill_log, site, axis=1)
                 + P["ai_weight"] * ai_exposure * np.log1p(0.3)
                 + P["tech_weight"] * np.log(np.maximum(tech, 1e-6))
                 + boost
                 + P["rnd_weight"] * np.minimum(grants / revenue, 1.0)
                 - P["talent_penalty"] * 0.05)
            z = np.clip(rng.standard_t(P["tail_dof"], shape), -P["shock_clamp"],
                        P["shock_clamp"]) * scale
            g = np.clip(g + P["growth_sd"] * z, -P["growth_clamp"], P["growth_clamp"])
            revenue = revenue * np.exp(g)
        profit = revenue * margin
        cash += profit
        support_prev = support_now
    return revenue.sum()


def main():
    rng = np.random.default_rng(20230315)
    simulate(np.random.default_rng(1))  # warm up
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        simulate(rng)
        best = min(best, time.perf_counter() - t)
    firm_years = RUNS * FIRMS * YEARS
    print(f"numpy {np.__version__}: {RUNS} runs x {FIRMS} design firms x {YEARS} years in "
          f"{best:.2f} s (best of 3) = {firm_years / best / 1e6:.1f} M design firm-years/s")


if __name__ == "__main__":
    main()
