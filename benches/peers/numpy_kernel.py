#!/usr/bin/env python3
"""Kernel v1 written the way a numpy user would: vectorised over runs.

The same scenario, the same equations (docs/spec.md §4, "The kernel"), the same
summary (mean, sd, seven quantiles, P(high), P(low) per index and period),
with numpy's own generator instead of coopsim's keyed ChaCha streams: the
numbers agree in distribution, not run by run. This is a benchmark peer,
not part of coopsim.

    python3 benches/peers/numpy_kernel.py scenarios/baseline.toml --runs 1000000
"""

import argparse
import json
import math
import pathlib
import sys
import time
import tomllib

import numpy as np

STEPS = {1: ("", 1), 2: ("H", 2), 4: ("Q", 4), 12: ("-", 12)}


def period_index(label, spy):
    label = str(label)
    year = int(label[:4])
    if spy == 1:
        sub = 1
    elif spy == 12:
        sub = int(label[5:])
    else:
        sub = int(label[5:])
    return year * spy + sub - 1


def draw(param, runs, rng):
    """A parameter: a number, or a distribution drawn once per run."""
    if not isinstance(param, dict):
        return np.full(runs, float(param))
    kind = param["dist"]
    if kind == "normal":
        return rng.normal(param["mean"], param["sd"], runs)
    if kind == "uniform":
        return rng.uniform(param["low"], param["high"], runs)
    if kind == "triangular":
        return rng.triangular(param["low"], param["mode"], param["high"], runs)
    if kind == "beta":
        return rng.beta(param["alpha"], param["beta"], runs)
    raise ValueError(kind)


def target_at(target, period, spy):
    if not isinstance(target, list):
        return float(target)
    frames = [(period_index(f["at"], spy), f["value"]) for f in target]
    if period <= frames[0][0]:
        return frames[0][1]
    if period >= frames[-1][0]:
        return frames[-1][1]
    for (p0, v0), (p1, v1) in zip(frames, frames[1:]):
        if p0 <= period <= p1:
            return v0 + (v1 - v0) * (period - p0) / (p1 - p0)
    return frames[-1][1]


def merged_model(scenario_path):
    scenario = tomllib.loads(pathlib.Path(scenario_path).read_text())
    s = scenario["scenario"]
    model_path = pathlib.Path(scenario_path).parent.parent / "models" / f"{s['model']}.toml"
    model = tomllib.loads(model_path.read_text())
    for d, patch in scenario.get("drivers", {}).items():
        jumps = patch.pop("jumps", [])
        model["drivers"][d].update(patch)
        existing = {j["name"]: j for j in model["drivers"][d].setdefault("jumps", [])}
        for j in jumps:
            if j["name"] in existing:
                existing[j["name"]].update(j)
            else:
                model["drivers"][d]["jumps"].append(j)
    for a, patch in scenario.get("actors", {}).items():
        model["actors"][a].update(patch)
    for k, patch in scenario.get("domains", {}).items():
        model["domains"][k].update(patch)
    for a, row in scenario.get("engagement", {}).items():
        for k, patch in row.items():
            weights = patch.pop("weights", {})
            model["engagement"][a][k].update(patch)
            model["engagement"][a][k].setdefault("weights", {}).update(weights)
    return model, scenario


def simulate(scenario_path, runs, seed):
    model, scenario = merged_model(scenario_path)
    s = scenario["scenario"]
    spy = model["model"]["steps_per_year"]
    dt = 1.0 / spy
    start = period_index(s.get("start", model["model"]["start"]), spy)
    steps = period_index(s["end"], spy) - start if "end" in s else s["steps"]
    rng = np.random.default_rng(seed)
    drivers = list(model["drivers"])
    actors = list(model["actors"])
    domains = list(model["domains"])
    omega = np.array([model["domains"][k]["weight"] for k in domains])
    omega = omega / omega.sum()

    x = {d: draw(model["drivers"][d]["initial"], runs, rng) for d in drivers}
    theta = {d: draw(model["drivers"][d]["reversion"], runs, rng) for d in drivers}
    sigma = {d: draw(model["drivers"][d]["volatility"], runs, rng) for d in drivers}
    decay = {d: np.exp(-theta[d] * dt) for d in drivers}
    with np.errstate(divide="ignore", invalid="ignore"):
        shock = {
            d: np.where(
                theta[d] > 0,
                sigma[d] * np.sqrt((1 - np.exp(-2 * theta[d] * dt)) / (2 * theta[d])),
                sigma[d] * math.sqrt(dt),
            )
            for d in drivers
        }
    jumps = {
        d: [
            (1 - np.exp(-draw(j["rate"], runs, rng) * dt), draw(j["size"], runs, rng))
            for j in model["drivers"][d].get("jumps", [])
        ]
        for d in drivers
    }
    adjust = {a: 1 - np.exp(-draw(model["actors"][a]["adjustment"], runs, rng) * dt) for a in actors}
    rho = {a: draw(model["actors"][a]["reciprocity"], runs, rng) for a in actors}
    e, bias, w = {}, {}, {}
    for a in actors:
        for k in domains:
            spec = model["engagement"][a][k]
            e[a, k] = draw(spec["initial"], runs, rng)
            bias[a, k] = draw(spec.get("bias", 0.0), runs, rng)
            w[a, k] = {d: draw(v, runs, rng) for d, v in spec.get("weights", {}).items()}
    events = {}
    for ev in scenario.get("events", []):
        events.setdefault(period_index(ev["at"], spy), []).append(ev)

    # Every period of every series is kept: quantiles need all the runs.
    names = ["composite"] + domains
    series = np.empty((steps + 1, len(names) + len(drivers), runs))

    def record(t):
        total = np.zeros(runs)
        for i, k in enumerate(domains):
            index = 100 * np.prod([e[a, k] for a in actors], axis=0) ** (1 / len(actors))
            series[t, 1 + i] = index
            total += omega[i] * index
        series[t, 0] = total
        for i, d in enumerate(drivers):
            series[t, len(names) + i] = x[d]

    record(0)
    for t in range(1, steps + 1):
        period = start + t
        for d in drivers:
            mu = target_at(model["drivers"][d]["target"], period, spy)
            x[d] = mu + (x[d] - mu) * decay[d] + shock[d] * rng.standard_normal(runs)
            for p, size in jumps[d]:
                x[d] = x[d] + np.where(rng.random(runs) < p, size, 0.0)
        for ev in events.get(period, []):
            if "shift" in ev:
                x[ev["driver"]] = x[ev["driver"]] + ev["shift"]
            else:
                x[ev["driver"]] = np.full(runs, float(ev["set"]))
        for d in drivers:
            np.clip(x[d], 0.0, 1.0, out=x[d])
        new = {}
        for a in actors:
            for k in domains:
                u = bias[a, k] + sum(w[a, k][d] * x[d] for d in w[a, k])
                target = 1 / (1 + np.exp(-u))
                peer = sum(e[b, k] for b in actors if b != a) / (len(actors) - 1)
                new[a, k] = e[a, k] + adjust[a] * ((1 - rho[a]) * target + rho[a] * peer - e[a, k])
        e = new
        record(t)

    thresholds = scenario["scenario"].get("thresholds", model["model"]["thresholds"])
    q = np.percentile(series, [5, 10, 25, 50, 75, 90, 95], axis=2)
    summary = {
        "runs": runs,
        "indices": {
            name: {
                "mean": series[:, i].mean(axis=1).tolist(),
                "sd": series[:, i].std(axis=1, ddof=1).tolist(),
                "p50": q[3, :, i].tolist(),
                "p_high": (series[:, i] >= thresholds["high"]).mean(axis=1).tolist(),
                "p_low": (series[:, i] <= thresholds["low"]).mean(axis=1).tolist(),
            }
            for i, name in enumerate(names)
        },
    }
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    started = time.perf_counter()
    summary = simulate(args.scenario, args.runs, args.seed)
    seconds = time.perf_counter() - started
    composite = summary["indices"]["composite"]
    json.dump(
        {
            "runs": args.runs,
            "seconds": seconds,
            "runs_per_second": args.runs / seconds,
            "horizon_median_composite": composite["p50"][-1],
            "horizon_mean_composite": composite["mean"][-1],
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
