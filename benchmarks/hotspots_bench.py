"""Hot-spot analysis at force scale: Gi* over the whole period plus a Gi* per month and sfhotspot's
space-time classes, for all 910 Merseyside 2011 LSOAs x 36 months of synthetic counts (target < 5 s).

    .venv/bin/python benchmarks/hotspots_bench.py

Counts are Poisson around a fixed background with a planted city-centre cluster (Liverpool 060/061),
one that fades and one that appears in the last months, so every class occurs. Timed: queen weights,
the period Gi* (esda), 36 monthly Gi* maps with FDR, the classes and the sorted table - everything
`find_hotspots` does after counting in the warehouse. `run()` returns the result as a dict.
"""

from __future__ import annotations

import json
import resource
import statistics
import time

import numpy as np
import pandas as pd

from vrhub.analysis.hotspots import hotspots_from_counts
from vrhub.geography import load_lsoa_boundaries

MONTHS = [str(p) for p in pd.period_range("2019-01", periods=36, freq="M")]
TARGET_SECONDS = 5
REPEATS = 3


def synthetic_counts(seed: int = 2019) -> tuple[pd.DataFrame, pd.DataFrame]:
    bounds = load_lsoa_boundaries(2011)
    rng = np.random.default_rng(seed)
    names = bounds["lsoa_name"]
    rate = np.full((len(bounds), len(MONTHS)), 4.0)
    rate[names.str.match(r"Liverpool 06[01]").to_numpy()] = 40.0  # persistent
    rate[names.str.match(r"Wirral 016").to_numpy(), :24] = 30.0  # former
    rate[names.str.match(r"St\. Helens 014").to_numpy(), -5:] = 35.0  # emerging
    counts = rng.poisson(rate)
    long = pd.DataFrame(
        {
            "month": np.tile(MONTHS, len(bounds)),
            "lsoa_code": np.repeat(bounds["lsoa_code"].to_numpy(), len(MONTHS)),
            "count": counts.ravel(),
        }
    )
    long = long[long["count"] > 0].reset_index(drop=True)  # as from the warehouse: no zero rows
    long.attrs = {"months": MONTHS, "subject": "Synthetic", "vintage": 2011}
    return long, bounds


def run() -> dict:
    counts, bounds = synthetic_counts()
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = hotspots_from_counts(counts, bounds)
        seconds.append(time.perf_counter() - start)
    classes = result.table["class"].value_counts().to_dict()
    return {
        "name": "hotspots: Gi* + space-time classes, 910 LSOAs x 36 months",
        "rows": len(bounds) * len(MONTHS),
        "seconds": round(statistics.median(seconds), 3),
        "baseline": None,
        "baseline_seconds": None,
        "ratio": None,
        "target_seconds": TARGET_SECONDS,
        "first_run_seconds": round(seconds[0], 3),
        # ru_maxrss is in kB on Linux: the whole process, imports included.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "hot": int(result.table["hot"].sum()),
        "classes": {k: int(v) for k, v in classes.items()},
    }


if __name__ == "__main__":
    out = run()
    verdict = "within" if out["seconds"] < TARGET_SECONDS else "OVER"
    print(
        f"{out['name']}: {out['seconds']:.3f} s median of {REPEATS} "
        f"(first {out['first_run_seconds']:.3f} s), peak RSS {out['peak_rss_mb']:.0f} MB - "
        f"{verdict} the {TARGET_SECONDS} s target"
    )
    print(json.dumps(out))
