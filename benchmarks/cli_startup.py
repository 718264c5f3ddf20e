"""Issue 13's command-line start-up: `python -m vrhub --help` and `vrhub measures --help`, each run in a new
process 5 times (median), target under 1 s. Appends to benchmarks/results.json.

Two conditions, because the interpreter's own start differs so much between them:
- "bytecode cached": as after `pip install` (or any earlier run), every module's .pyc is there; the
  benchmark keeps its own cache (PYTHONPYCACHEPREFIX in benchmarks/work/pycache) and fills it first;
- "no bytecode": PYTHONDONTWRITEBYTECODE=1 and an empty cache, so every imported module is compiled from its
  source on every run (a read-only or bytecode-less environment: each module imported costs more).

`--src PATH` times another source tree (e.g. the main checkout's src, for the figures before a change);
`--no-write` prints without touching results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = 5
TARGET_SECONDS = 1.0
COMMANDS = {
    "python -m vrhub --help": ["--help"],
    "vrhub measures --help": ["measures", "--help"],
}


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vrhub", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"vrhub {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def measure(src: Path, cached: bool) -> dict[str, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(dir=HERE / "work") as cache:
        env["PYTHONPYCACHEPREFIX"] = cache  # never another run's bytecode, never the venv's own
        if cached:
            for args in COMMANDS.values():
                timed(args, env)  # compiles and stores every module the commands import
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        return {name: [timed(args, env) for _ in range(RUNS)] for name, args in COMMANDS.items()}


def commit(src: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="the vrhub source tree to time")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.json alone")
    options = parser.parse_args()
    (HERE / "work").mkdir(exist_ok=True)
    src = options.src.resolve()
    load_before = os.getloadavg()
    entries = []
    for cached in (True, False):
        condition = "bytecode cached" if cached else "no bytecode"
        for name, runs in measure(src, cached).items():
            median = statistics.median(runs)
            entries.append(
                {
                    "name": f"startup: {name} ({condition})",
                    "rows": None,
                    "seconds": round(median, 3),
                    "runs": [round(r, 3) for r in runs],
                    "baseline": None,
                    "baseline_seconds": None,
                    "ratio": None,
                    "target_ratio": None,
                    "target_seconds": TARGET_SECONDS,
                    "vrhub_commit": commit(src),
                    "python": platform.python_version(),
                    "nproc": os.cpu_count(),
                    "load_average_before": [round(x, 2) for x in load_before],
                }
            )
    for e in entries:
        verdict = "met" if e["seconds"] < TARGET_SECONDS else "NOT met"
        runs = ", ".join(f"{r:.2f}" for r in e["runs"])
        print(
            f"{e['name']:<58} median {e['seconds']:>6.2f} s ({runs})  target < {TARGET_SECONDS} s  {verdict}"
        )
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    if options.no_write:
        return
    results = HERE / "results.json"
    existing = json.loads(results.read_text()) if results.exists() else []
    names = {e["name"] for e in entries}
    keep = [e for e in existing if e.get("name") not in names]
    results.write_text(json.dumps(keep + entries, indent=1) + "\n")


if __name__ == "__main__":
    main()
