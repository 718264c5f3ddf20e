"""Issue 3's benchmarks: Gi* with space-time classes for 910 LSOAs x 36 months (target < 5 s), and the full
report (HTML and PDF) for the demo data (target < 30 s). Appends to benchmarks/results.json."""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def report_entry() -> dict:
    from vrhub.config import settings
    from vrhub.hub import Hub

    with tempfile.TemporaryDirectory() as folder:
        hub = Hub(settings(data_dir=folder))
        hub.demo(seed=2022)  # data generation and loading are not what is timed
        start = time.perf_counter()
        report = hub.report(edition="partner")
        seconds = time.perf_counter() - start
        assert report.pdf is not None
    return {
        "name": "report: demo SNA (HTML + PDF)",
        "rows": None,
        "seconds": round(seconds, 2),
        "baseline": None,
        "baseline_seconds": None,
        "ratio": None,
        "target_ratio": None,
        "target_seconds": 30,
    }


def main() -> None:
    import hotspots_bench

    entries = [hotspots_bench.run(), report_entry()]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for e in entries:
        met = e["seconds"] < e["target_seconds"]
        verdict = "met" if met else "NOT met"
        print(f"{e['name']:<48} {e['seconds']:>8.2f} s  target < {e['target_seconds']} s  {verdict}")
    print(f"peak RSS {peak:,.0f} MB")
    results = HERE / "results.json"
    existing = json.loads(results.read_text()) if results.exists() else []
    names = {e["name"] for e in entries}
    keep = [e for e in existing if e.get("name") not in names]
    results.write_text(json.dumps(keep + entries, indent=1) + "\n")


if __name__ == "__main__":
    main()
