#!/usr/bin/env python3
"""coopsim against the numpy kernel on the same scenario, in one go.

    pip install numpy          # once; numpy is not a dependency of coopsim
    python3 benches/peers/compare.py --runs 1000000

Builds coopsim in release mode, runs `coopsim bench` (every core) and the
numpy kernel (benches/peers/numpy_kernel.py) with the same scenario and run
count, and prints both speeds, their ratio and their horizon median
composites (which agree in distribution, not run by run: the generators
differ).
"""

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--runs", type=int, default=1_000_000)
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "coopsim"
    ours = json.loads(
        subprocess.run(
            [binary, "bench", args.scenario, "--runs", str(args.runs), "--quiet", "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    median = json.loads(
        subprocess.run(
            [binary, "run", args.scenario, "--runs", str(min(args.runs, 100_000)), "--quiet", "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )["indices"]["composite"]["p50"][-1]
    peer = subprocess.run(
        [sys.executable, str(ROOT / "benches" / "peers" / "numpy_kernel.py"), args.scenario, "--runs", str(args.runs)],
        capture_output=True,
        text=True,
    )
    print(f"coopsim: {ours['runs_per_second']:>12,.0f} runs/s on {ours['threads']} thread(s), "
          f"peak memory {ours['peak_memory_bytes'] / 1e6:,.0f} MB, horizon median composite {median:.2f}")
    if peer.returncode != 0:
        print(f"numpy:   failed at {args.runs:,} runs ({peer.stderr.strip().splitlines()[-1]})")
        return
    theirs = json.loads(peer.stdout)
    print(f"numpy:   {theirs['runs_per_second']:>12,.0f} runs/s, "
          f"horizon median composite {theirs['horizon_median_composite']:.2f}")
    print(f"ratio:   coopsim is {ours['runs_per_second'] / theirs['runs_per_second']:.1f} times faster")


if __name__ == "__main__":
    main()
